import ArgumentParser
import Cluster
import Foundation
import Study

struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Run the study's plan on a Slurm cluster: job arrays over a shared cache.",
        subcommands: [SlurmSubmit.self, SlurmStatusCommand.self]
    )
}

struct SlurmSubmit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Write batch scripts into <output>/slurm/ and submit them: the units others depend on, a job array of shards, the report."
    )

    @OptionGroup var options: StudyArguments
    @OptionGroup var templateOptions: TemplateOptions

    @OptionGroup var selection: QuestionSelection

    @Option(parsing: .unconditional, help: "Array tasks: each trains one shard of the plan's units.")
    var tasks: Int

    @Option(help: "Slurm partition.")
    var partition: String?

    @Option(parsing: .unconditional, help: "Cores of each task (its shard's runs share them).")
    var cpusPerTask: Int = 2

    @Option(help: "Memory of each task (sbatch --mem), e.g. 4G.")
    var mem: String?

    @Option(help: "Time limit of each task (sbatch --time), e.g. 02:00:00.")
    var time: String?

    @Option(help: "Account to charge (sbatch --account).")
    var account: String?

    @Option(help: "More sbatch options, one per use: --sbatch-arg=--qos=short.")
    var sbatchArg: [String] = []

    @Flag(help: "Print the scripts and submit nothing.")
    var dryRun = false

    func validate() throws {
        guard tasks >= 1 else { throw ValidationError("--tasks must be at least 1") }
        guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task must be at least 1") }
    }

    func run() throws {
        let filters = selection.only.map(QuestionFilter.parse) ?? []
        let questions = try options.questions(only: selection.only)
        // As in `run`: a broken template or an unusable folder stops the submission, not the jobs an hour later.
        _ = try templateOptions.load()
        try options.checkPaths(for: questions, writingReport: true)
        let session = options.session()
        let plan = try session.plan(questions)
        let scripts = SlurmScripts(
            binary: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path,
            studyArguments: options.study.arguments, only: filters, output: options.outputURL, cache: options.cacheURL,
            templates: templateOptions.folder, workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            tasks: tasks,
            resources: SlurmResources(partition: partition, cpusPerTask: cpusPerTask, memory: mem, time: time, account: account,
                                      extra: sbatchArg))
        let outcome = try SlurmSubmitter.submit(plan, session: session, scripts: scripts, dryRun: dryRun)
        if dryRun {
            for (name, text) in outcome.scripts { print("# \(scripts.folder.path)/\(name)\n\(text)") }
            print("\(outcome.missing) of \(outcome.total) units are missing; nothing submitted (--dry-run)")
            return
        }
        guard let submission = outcome.submission else {
            print("every unit of the plan is cached: nothing to submit; `nnreport render` writes the report")
            return
        }
        print("\(outcome.missing) of \(outcome.total) units are missing; submitted from \(scripts.folder.path):")
        if let first = submission.dependencies { print("  \(first)  dependencies (units others need first)") }
        print("  \(submission.train)  \(submission.tasks) shard(s)\(submission.dependencies == nil ? "" : ", after \(submission.dependencies!)")")
        print("  \(submission.render)  the report, after the shards")
        print("follow: squeue --jobs \(submission.jobs.joined(separator: ","))")
        print("        nnreport slurm status (with the same options); logs in \(scripts.folder.path)/logs")
    }
}

struct SlurmStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "How many units of the plan are cached, running or missing, and the state of the last submission's jobs."
    )

    @OptionGroup var options: StudyArguments

    @OptionGroup var selection: QuestionSelection

    func run() throws {
        let questions = try options.questions(only: selection.only)
        // The same folders as `slurm submit` and `run`, so a mistyped path is named rather than read as "nothing submitted".
        try options.checkPaths(for: questions, writingReport: true)
        let session = options.session()
        let plan = try session.plan(questions)
        let status = try SlurmStatus.of(plan, session: session, output: options.outputURL)
        print("\(plan.units.count) units: \(status.cached) cached, \(status.running) running, \(status.missing) missing")
        guard let submission = status.submission else {
            print("no submission in \(options.outputURL.path)/slurm")
            return
        }
        print("submitted \(submission.submitted): jobs \(submission.jobs.joined(separator: ", "))")
        for task in status.tasks { print("  \(task.id)  \(task.name)  \(task.state)") }
        if !status.failed.isEmpty {
            print("failed: " + status.failed.map(\.id).joined(separator: ", ")
                  + "; `nnreport slurm submit` again resubmits what is missing")
        }
    }
}
