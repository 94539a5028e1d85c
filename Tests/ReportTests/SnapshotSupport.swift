import Foundation
import Testing
import TestSupport

/// Golden-file comparison of HTML fragments (`Snapshots/NAME.html`, see
/// `assertGoldenFile`).
///
/// Inline charts are replaced by `<svg id="…"/>`: their bytes are the Charts
/// tests' business, and keeping them out keeps these files readable.
func assertHTMLSnapshot(_ html: String, named name: String, filePath: String = #filePath,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    assertGoldenFile(withoutInlineSVG(html), fileName: name + ".html", filePath: filePath, sourceLocation: sourceLocation)
}

/// `<svg … id="X" …>…</svg>` → `<svg id="X"/>`.
func withoutInlineSVG(_ html: String) -> String {
    var out = ""
    var rest = Substring(html)
    while let start = rest.range(of: "<svg ") {
        out += rest[..<start.lowerBound]
        guard let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) else { break }
        let opening = rest[start.lowerBound..<(rest[start.lowerBound...].firstIndex(of: ">") ?? end.lowerBound)]
        let id = opening.range(of: " id=\"").map { range in opening[range.upperBound...].prefix { $0 != "\"" } } ?? ""
        out += "<svg id=\"\(id)\"/>"
        rest = rest[end.upperBound...]
    }
    return out + rest
}

