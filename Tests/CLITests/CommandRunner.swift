import Foundation
import XCTest

/// Runs the built `nnreport` executable, which `make test` builds next to the test bundle.
enum CommandRunner {
    struct Outcome {
        var status: Int32
        var output: String
        var error: String
    }

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["NNREPORT_BINARY"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("nnreport")
    }

    static func checkBinary() throws {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("nnreport executable not found at \(binary.path); build it first (make test does)")
        }
    }

    static func start(_ arguments: [String], directory: URL? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return (process, output, error)
    }

    static func run(_ arguments: [String], directory: URL? = nil) throws -> Outcome {
        let (process, output, error) = try start(arguments, directory: directory)
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                       error: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnreport-cli-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
