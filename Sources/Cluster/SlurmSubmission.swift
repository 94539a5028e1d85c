import Foundation
import Study
import Support

/// What `slurm submit` sent to Slurm, kept in `<output>/slurm/submission.json` for
/// `slurm status`.
public struct SlurmSubmission: Codable, Equatable, Sendable {
    /// Stage 1, when some units others depend on were missing.
    public var dependencies: String?
    /// The job array of the shards.
    public var train: String
    public var render: String
    public var tasks: Int
    /// When it was submitted (ISO 8601, UTC).
    public var submitted: String

    /// Every job id, in stage order.
    public var jobs: [String] { [dependencies, train, render].compactMap { $0 } }

    static func url(in folder: URL) -> URL { folder.appendingPathComponent("submission.json") }

    /// The last submission made into `output`, if any.
    public static func load(output: URL) throws -> SlurmSubmission? {
        let url = url(in: output.appendingPathComponent("slurm", isDirectory: true))
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ClusterError("\(url.path) cannot be read: \(FileProblem(path: url.path, error: error, doing: "read").reason)")
        }
        guard let submission = try? JSONDecoder().decode(SlurmSubmission.self, from: data) else {
            throw ClusterError("\(url.path) is not a submission record of nnreport (damaged or edited); submit again to rewrite it")
        }
        return submission
    }
}

/// `nnreport slurm submit`: the scripts written, and (unless it is a dry run) submitted.
public enum SlurmSubmitter {
    public struct Outcome: Sendable {
        public var scripts: [(name: String, text: String)]
        /// Nil for a dry run, or when nothing was missing.
        public var submission: SlurmSubmission?
        public var missing: Int
        public var total: Int
    }

    /// Writes the stages' scripts into `<output>/slurm/` and submits those needed for
    /// what `plan` is missing: stage 1 (afterok gates stage 2) only when units others
    /// depend on are missing, stage 2 the job array, stage 3 the report (afterany, so a
    /// partial report still appears and says what is missing). Nothing is submitted
    /// when every unit is cached, or with `dryRun`.
    public static func submit(_ plan: StudyPlan, session: StudySession, scripts: SlurmScripts,
                              dryRun: Bool) throws -> Outcome {
        let missing = plan.units.filter { !session.isUsable($0) }
        let dependenciesMissing = plan.dependencies.contains { !session.isUsable($0) }
        var written: [(String, String)] = []
        if dependenciesMissing { written.append(("dependencies.sh", scripts.dependencies)) }
        written += [("train.sh", scripts.train), ("render.sh", scripts.render)]
        var outcome = Outcome(scripts: written, submission: nil, missing: missing.count, total: plan.units.count)
        guard !dryRun, !missing.isEmpty else { return outcome }

        try FileManager.default.createDirectory(at: scripts.logs, withIntermediateDirectories: true)
        var urls: [String: URL] = [:]
        for (name, text) in written {
            let url = scripts.folder.appendingPathComponent(name)
            try AtomicFile.write(Data(text.utf8), to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            urls[name] = url
        }
        let first = try urls["dependencies.sh"].map { try Slurm.submit($0) }
        let train = try Slurm.submit(urls["train.sh"]!, dependency: first.map { "afterok:\($0)" })
        let render = try Slurm.submit(urls["render.sh"]!, dependency: "afterany:\(train)")
        let submission = SlurmSubmission(dependencies: first, train: train, render: render, tasks: scripts.tasks,
                                         submitted: ISO8601DateFormatter().string(from: Date()))
        try AtomicFile.writeJSON(submission, to: SlurmSubmission.url(in: scripts.folder), pretty: true)
        outcome.submission = submission
        return outcome
    }
}

/// `nnreport slurm status`: the plan's units by state, and the submission's tasks.
public struct SlurmStatus: Sendable {
    public var cached: Int
    /// Missing units whose shard's task is queued or running.
    public var running: Int
    public var missing: Int
    public var tasks: [Slurm.Task]
    public var submission: SlurmSubmission?

    /// Array tasks (and other jobs) that ended without success.
    public var failed: [Slurm.Task] {
        let bad: Set<String> = ["FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL",
                                "DEADLINE"]
        return tasks.filter { bad.contains($0.state) || $0.state.hasPrefix("CANCELLED") }
    }

    /// The status of `plan` in the session's cache, with the tasks of the last submission into `output`.
    public static func of(_ plan: StudyPlan, session: StudySession, output: URL) throws -> SlurmStatus {
        let submission = try SlurmSubmission.load(output: output)
        let tasks = try submission.map { try Slurm.tasks(of: $0.jobs) } ?? []
        let active: Set<String> = ["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED"]
        var busy = Set<String>()
        if let submission {
            for task in tasks where active.contains(task.state) && task.id.hasPrefix(submission.train) {
                // An array task whose index is not yet split out (`123_[0-3]`) stands for all its shards.
                if let index = task.arrayIndex, let shard = try? Shard(index: index, count: submission.tasks) {
                    busy.formUnion(plan.units(of: shard).map(\.key))
                } else {
                    busy.formUnion(plan.units.map(\.key))
                }
            }
            if let first = submission.dependencies, tasks.contains(where: { $0.id == first && active.contains($0.state) }) {
                busy.formUnion(plan.dependencies.map(\.key))
            }
        }
        var status = SlurmStatus(cached: 0, running: 0, missing: 0, tasks: tasks, submission: submission)
        for unit in plan.units {
            if session.isUsable(unit) {
                status.cached += 1
            } else if busy.contains(unit.key) {
                status.running += 1
            } else {
                status.missing += 1
            }
        }
        return status
    }
}
