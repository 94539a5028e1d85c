import Foundation
import Testing

/// Golden-file comparison shared by the test targets, after swift-argument-parser's
/// `assertSnapshot`: the expected text lives in `Snapshots/FILE` beside the calling
/// test file. A missing file FAILS (a test that records and passes checks nothing)
/// and says how to record it: `NNREPORT_RECORD=1 make test` (or `swift test` with
/// that variable) writes every missing or differing file and still fails, so a
/// recording run is never mistaken for a passing one. A mismatch fails with the first
/// differing lines and their context, and leaves the actual output in a temporary
/// folder for a full diff.
public func assertGoldenFile(_ actual: String, fileName: String, filePath: String = #filePath,
                             sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent(fileName)
    let expected = try? String(contentsOf: file, encoding: .utf8)
    guard expected != actual else { return }
    if ProcessInfo.processInfo.environment["NNREPORT_RECORD"] == "1" {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file, options: .atomic)
            Issue.record("Recorded golden file \(file.path); run the tests again without NNREPORT_RECORD to check it",
                         sourceLocation: sourceLocation)
        } catch {
            Issue.record("Could not record golden file \(file.path): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected else {
        let message = "Golden file \(file.path) is missing; record it with NNREPORT_RECORD=1 make test, read it, and commit it"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        return
    }
    let saved = FileManager.default.temporaryDirectory.appendingPathComponent("nnreport-snapshots")
        .appendingPathComponent(fileName)
    try? FileManager.default.createDirectory(at: saved.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? Data(actual.utf8).write(to: saved, options: .atomic)
    Issue.record("""
        Golden file \(fileName) differs (actual output saved at \(saved.path); \
        re-record with NNREPORT_RECORD=1 make test if the change is intended):
        \(lineDiff(expected: expected, actual: actual))
        """, sourceLocation: sourceLocation)
}

/// The first differing line of two texts with 3 lines of context, as
/// "-" (expected) and "+" (actual) lines with line numbers.
public func lineDiff(expected: String, actual: String, context: Int = 3) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var first = 0
    while first < old.count && first < new.count && old[first] == new[first] { first += 1 }
    var lines = ["expected \(old.count) lines, actual \(new.count) lines; first difference at line \(first + 1)"]
    for index in max(0, first - context)..<first {
        lines.append("  \(index + 1): \(old[index].prefix(200))")
    }
    for index in first..<min(old.count, first + context + 1) {
        lines.append("- \(index + 1): \(old[index].prefix(200))")
    }
    for index in first..<min(new.count, first + context + 1) {
        lines.append("+ \(index + 1): \(new[index].prefix(200))")
    }
    return lines.joined(separator: "\n")
}
