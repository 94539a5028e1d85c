import Foundation
import Testing

/// The folder of a published report's files (`<output>/report-<digest>`, the one
/// `index.html` links to); fails unless there is exactly one.
public func publishedReportFolder(_ output: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
    let names = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix("report-") }
    try #require(names.count == 1, "expected one report-* folder in \(output.path), found \(names)", sourceLocation: sourceLocation)
    return output.appendingPathComponent(names[0])
}
