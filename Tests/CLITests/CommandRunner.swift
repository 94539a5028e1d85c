import Foundation
import Testing

/// Runs the built `nnreport` executable, which `make test` builds next to the test bundle.
enum CommandRunner {
    struct Outcome {
        var status: Int32
        var output: String
        var error: String
        /// Whether the process ended by a signal (then `status` is the signal's number).
        var signalled: Bool
    }

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["NNREPORT_BINARY"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("nnreport")
    }

    /// Fails (never skips) when the executable is missing: `make test` builds it.
    static func checkBinary(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                     "nnreport executable not found at \(binary.path); build it first (make test does)",
                     sourceLocation: sourceLocation)
    }

    static func run(_ arguments: [String], directory: URL? = nil, environment: [String: String] = [:]) throws -> Outcome {
        try checkBinary()
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes while the process runs, so a full pipe never blocks it.
        let errorData = Reader(error.fileHandleForReading)
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                       error: String(decoding: errorData.wait(), as: UTF8.self),
                       signalled: process.terminationReason == .uncaughtSignal)
    }

    /// Reads a pipe to its end on a thread of its own.
    private final class Reader: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }.start()
        }

        func wait() -> Data {
            done.wait()
            return data
        }
    }
}
