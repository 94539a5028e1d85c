import Foundation
import Study

/// What every job of a submission asks Slurm for (`nnreport slurm submit` options).
public struct SlurmResources: Sendable, Equatable {
    public var partition: String?
    /// Cores of each task; each shard runs its units on them (`run --jobs`).
    public var cpusPerTask: Int
    /// `--mem`, e.g. `4G`.
    public var memory: String?
    /// `--time`, e.g. `02:00:00`.
    public var time: String?
    public var account: String?
    /// More `sbatch` options, passed as they are (`--sbatch-arg=--qos=short`).
    public var extra: [String]

    public init(partition: String? = nil, cpusPerTask: Int = 2, memory: String? = nil, time: String? = nil,
                account: String? = nil, extra: [String] = []) {
        self.partition = partition
        self.cpusPerTask = cpusPerTask
        self.memory = memory
        self.time = time
        self.account = account
        self.extra = extra
    }

    /// The `#SBATCH` lines of these resources.
    var directives: [String] {
        var lines = ["--cpus-per-task=\(cpusPerTask)"]
        if let partition { lines.append("--partition=\(partition)") }
        if let memory { lines.append("--mem=\(memory)") }
        if let time { lines.append("--time=\(time)") }
        if let account { lines.append("--account=\(account)") }
        return lines + extra
    }
}

/// The batch scripts of a submission: the units others depend on first, then a job
/// array whose tasks train one shard each, then the report. Every script calls the
/// same `nnreport` binary by absolute path with every study option, so each job plans
/// exactly the keys of the local plan; the cache on the shared filesystem is the merge.
public struct SlurmScripts: Sendable {
    /// The `nnreport` executable the jobs run.
    public var binary: String
    /// The study options, as `nnreport` arguments (absolute paths).
    public var studyArguments: [String]
    /// `--only` filters, if any.
    public var only: [String]
    public var output: URL
    public var cache: URL
    public var templates: URL
    /// The folder the jobs start in (where the submission was made).
    public var workingDirectory: URL
    public var tasks: Int
    public var resources: SlurmResources

    public init(binary: String, studyArguments: [String], only: [String], output: URL, cache: URL, templates: URL,
                workingDirectory: URL, tasks: Int, resources: SlurmResources) {
        self.binary = binary
        self.studyArguments = studyArguments
        self.only = only
        self.output = output.standardizedFileURL
        self.cache = cache.standardizedFileURL
        self.templates = templates.standardizedFileURL
        self.workingDirectory = workingDirectory.standardizedFileURL
        self.tasks = tasks
        self.resources = resources
    }

    /// `<output>/slurm`, where the scripts, the logs and the submission record go.
    public var folder: URL { output.appendingPathComponent("slurm", isDirectory: true) }
    var logs: URL { folder.appendingPathComponent("logs", isDirectory: true) }

    private var location: [String] { ["--output", output.path, "--cache", cache.path] }
    private var selection: [String] { only.isEmpty ? [] : ["--only", only.joined(separator: ",")] }
    private var jobs: String { "\"${SLURM_CPUS_PER_TASK:-\(resources.cpusPerTask)}\"" }

    /// Stage 1: the units others depend on (Part 7's backbone).
    public var dependencies: String {
        script(name: "nnreport-dependencies", array: nil, resources: resources.directives,
               command: [binary, "run"] + studyArguments + selection + location + ["--only-dependencies", "--no-render"],
               suffix: ["--jobs", jobs])
    }

    /// Stage 2: `tasks` array tasks, each training its shard of the plan.
    public var train: String {
        script(name: "nnreport-train", array: "0-\(tasks - 1)", resources: resources.directives,
               command: [binary, "run"] + studyArguments + selection + location + ["--no-render"],
               suffix: ["--jobs", jobs, "--shard", "\"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\""])
    }

    /// Stage 3: the report, from whatever the shards cached (it says what is missing).
    public var render: String {
        var directives = ["--cpus-per-task=1"]
        if let partition = resources.partition { directives.append("--partition=\(partition)") }
        if let account = resources.account { directives.append("--account=\(account)") }
        return script(name: "nnreport-render", array: nil, resources: directives + resources.extra,
                      command: [binary, "render"] + location + ["--templates", templates.path], suffix: [])
    }

    private func script(name: String, array: String?, resources: [String], command: [String], suffix: [String]) -> String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)"]
        if let array { lines.append("#SBATCH --array=\(array)") }
        lines += resources.map { "#SBATCH \($0)" }
        lines.append("#SBATCH --output=\(logs.path)/%x-%A" + (array == nil ? "" : "_%a") + ".out")
        lines.append("# Written by `nnreport slurm submit`; every option of the study is passed on, so this job")
        lines.append("# plans the same units, with the same cache keys, as the submitting machine.")
        lines.append("set -euo pipefail")
        lines.append("cd " + Self.quoted(workingDirectory.path))
        lines.append("exec " + (command.map(Self.quoted) + suffix).joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` as one bash word.
    static func quoted(_ text: String) -> String {
        let safe = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+:=,@%".contains($0)) }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
