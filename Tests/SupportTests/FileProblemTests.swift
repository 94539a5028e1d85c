import Foundation
import Testing
import TestSupport
@testable import Support

/// File-system failures become sentences a person can act on, never a Foundation error dump.
@Suite struct FileProblemTests {
    private let folder: URL = {
        let url = TestFolder.root.appendingPathComponent("nnreport-problems-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// The reason Foundation's own error gives, mapped.
    private func reason(reading url: URL) -> String {
        do {
            _ = try Data(contentsOf: url)
            return "read"
        } catch {
            let problem = FileProblem(path: url.path, error: error, doing: "cannot be read")
            #expect(!problem.description.contains("Domain") && !problem.description.contains("Code="), "\(problem)")
            return problem.reason
        }
    }

    @Test(.tags(.errors)) func foundationErrorsBecomePlainReasons() throws {
        #expect(reason(reading: folder.appendingPathComponent("missing")) == "no such file or folder")
        #expect(reason(reading: folder) == "it is a folder, not a file")
        let loop = folder.appendingPathComponent("loop"), back = folder.appendingPathComponent("back")
        try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: back.path)
        try FileManager.default.createSymbolicLink(atPath: back.path, withDestinationPath: loop.path)
        #expect(reason(reading: loop) == "too many levels of symbolic links (a symbolic link loop)")
        let file = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        #expect(reason(reading: file.appendingPathComponent("inside")) == "a part of the path is a file, not a folder")
        #expect(FileProblem.reason(errno: ENOSPC) == "no space left on the device")
        #expect(FileProblem.reason(errno: EACCES) == "permission denied")
        let cocoa = NSError(domain: NSCocoaErrorDomain, code: 256, userInfo: [NSFilePathErrorKey: file.path + "/z"])
        #expect("\(FileProblem.plain(cocoa))" == "\(file.path)/z: failed: a part of the path is a file, not a folder")
    }

    @Test(.tags(.errors)) func pathsAreCheckedBeforeAnyWork() throws {
        let file = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        #expect(throws: FileProblem(path: file.path, doing: "--output cannot be used", reason: "it is a file, not a folder")) {
            try PathCheck.writableFolder(file, role: "--output")
        }
        #expect(throws: FileProblem(path: file.appendingPathComponent("a/b").path, doing: "--cache cannot be used",
                                    reason: "a part of the path is a file, not a folder")) {
            try PathCheck.writableFolder(file.appendingPathComponent("a/b"), role: "--cache")
        }
        try PathCheck.writableFolder(folder.appendingPathComponent("new/deeper"), role: "--output")
        #expect(throws: FileProblem(path: folder.path, doing: "--weights cannot be read", reason: "it is a folder, not a file")) {
            try PathCheck.readableFile(folder, role: "--weights")
        }
        #expect(throws: FileProblem(path: folder.appendingPathComponent("none").path, doing: "--weights cannot be read",
                                    reason: "no such file or folder")) {
            try PathCheck.readableFile(folder.appendingPathComponent("none"), role: "--weights")
        }
        try PathCheck.readableFile(file, role: "--weights")
    }

    @Test func excerptsAreShortAndPrintable() {
        #expect(Excerpt.of(String(repeating: "x", count: 10_000)) == String(repeating: "x", count: 80) + "…")
        #expect(Excerpt.of("a\u{0}b\u{1B}[2J") == "a\\u{0}b\\u{1b}[2J")
        // Found by the template-loading fuzz target: 80 control characters printed as 480.
        #expect(Excerpt.of(String(repeating: "\u{14}", count: 500)) == String(repeating: "\\u{14}", count: 13) + "…")
        #expect(Int(saturating: 1e30) == Int.max && Int(saturating: -Double.infinity) == Int.min && Int(saturating: Double.nan) == 0)
        #expect(Int(saturating: Float(41.9)) == 41)
    }
}
