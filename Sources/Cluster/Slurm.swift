import Foundation
import Support

/// Errors of the cluster path, with a message for the user.
public struct ClusterError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The Slurm commands `nnreport` calls (`sbatch`, `squeue`, `scontrol`), found on the
/// `PATH`, with the environment (`SLURM_CONF` and the like) passed through.
public enum Slurm {
    /// Standard output of `command arguments`; an error with its standard error when it fails.
    static func call(_ command: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        do {
            try process.run()
        } catch {
            throw ClusterError("cannot start \(command): \(FileProblem.reason(of: error))")
        }
        let errorText = Thread.detachedRead(error.fileHandleForReading)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorText(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if process.terminationStatus == 127 {
                throw ClusterError("\(command) is not on the PATH: is this a Slurm login node? (\(message))")
            }
            throw ClusterError("\(command) \(arguments.joined(separator: " ")) failed (exit \(process.terminationStatus)): \(message)")
        }
        return text
    }

    /// Submits `script` with `sbatch --parsable`, after the jobs of `dependency`
    /// (`afterok:123`); returns the job id.
    static func submit(_ script: URL, dependency: String? = nil) throws -> String {
        var arguments = ["--parsable"]
        if let dependency { arguments.append("--dependency=\(dependency)") }
        let output = try call("sbatch", arguments + [script.path])
        // --parsable prints "id" or "id;cluster".
        guard let id = output.split(separator: "\n").first?.split(separator: ";").first.map(String.init), !id.isEmpty,
              id.allSatisfy(\.isNumber) else {
            throw ClusterError("sbatch printed no job id for \(script.path): \(output)")
        }
        return id
    }

    /// A job or array task as Slurm reports it.
    public struct Task: Sendable, Equatable {
        /// `123` or `124_2` (array job 124, task 2).
        public var id: String
        /// `PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED`, `TIMEOUT`, …
        public var state: String
        public var name: String

        /// The array task index, when this is an array task.
        public var arrayIndex: Int? { id.split(separator: "_").dropFirst().first.flatMap { Int($0) } }
    }

    /// The tasks of `jobs` that Slurm still knows: queued or running from `squeue`,
    /// recently finished ones from `scontrol show job` (kept for `MinJobAge`, 300 s by default).
    static func tasks(of jobs: [String]) throws -> [Task] {
        guard !jobs.isEmpty else { return [] }
        var found: [String: Task] = [:]
        for id in jobs {
            guard let text = try? call("scontrol", ["show", "job", "--oneliner", id]) else { continue }
            for line in text.split(separator: "\n") {
                let fields = Dictionary(line.split(separator: " ").compactMap { field -> (String, String)? in
                    let parts = field.split(separator: "=", maxSplits: 1)
                    return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
                }, uniquingKeysWith: { first, _ in first })
                guard let job = fields["JobId"], let state = fields["JobState"] else { continue }
                let task = fields["ArrayTaskId"].map { "\(fields["ArrayJobId"] ?? job)_\($0)" } ?? job
                found[task] = Task(id: task, state: state, name: fields["JobName"] ?? "")
            }
        }
        let queue = try call("squeue", ["--noheader", "--array", "--jobs", jobs.joined(separator: ","), "--format=%i|%T|%j"])
        for line in queue.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            found[fields[0]] = Task(id: fields[0], state: fields[1], name: fields[2])
        }
        return found.values.sorted { $0.id < $1.id }
    }
}

extension Thread {
    /// Reads `handle` to its end on a thread of its own; the returned function waits for the data.
    static func detachedRead(_ handle: FileHandle) -> () -> Data {
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.data = handle.readDataToEndOfFile()
            done.signal()
        }
        return {
            done.wait()
            return box.data
        }
    }
}
