import Foundation
import MarkupValidation
import Testing
import TestSupport

/// Golden-file comparison of SVG output (`Snapshots/NAME.svg`, see `assertGoldenFile`),
/// after checking that libxml2 parses it.
func assertSnapshot(_ actual: String, named name: String, filePath: String = #filePath,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    assertWellFormed(actual, name: name + ".svg", sourceLocation: sourceLocation)
    assertGoldenFile(actual, fileName: name + ".svg", filePath: filePath, sourceLocation: sourceLocation)
}

/// Fails unless libxml2 parses `svg` as well-formed XML.
func assertWellFormed(_ svg: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let errors = MarkupValidator.xmlErrors(svg, name: name)
    if let first = errors.first {
        let lines = svg.split(separator: "\n", omittingEmptySubsequences: false)
        let line = first.line > 0 && first.line <= lines.count ? String(lines[first.line - 1].prefix(300)) : ""
        Issue.record("\(first)\n\(line)", sourceLocation: sourceLocation)
    }
}
