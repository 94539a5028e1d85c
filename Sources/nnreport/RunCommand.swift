import ArgumentParser
import Foundation
import Report
import Study
import Support

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train every run the study (or the selected questions) needs that the cache lacks, then write the report."
    )

    @OptionGroup var options: StudyArguments
    @OptionGroup var templateOptions: TemplateOptions

    @OptionGroup var selection: QuestionSelection

    @Flag(help: "Retrain the selected runs even when the cache has them.")
    var force = false

    @Option(parsing: .unconditional, help: "Cores the runs share (default: every core): one core to each MLP or ResNet18 run, many side by side; XGBoost, the backbone and the runs on its features take all of them when nothing else could use them, else one; a core left idle goes to a running ResNet18 until another unit needs it.")
    var jobs: Int?

    @Option(help: "Train only shard I of N of the plan's units (0 ≤ I < N), e.g. one Slurm array task: 2/4.")
    var shard: String?

    @Flag(help: "Train only the units others depend on (Part 7's pretrained backbone).")
    var onlyDependencies = false

    @Option(parsing: .unconditional, help: "Seconds a unit waits for a dependency that another shard trains.")
    var wait: Double = 7200

    @Flag(help: "Train, but do not write the report (for shards: `nnreport render` writes it once they are done).")
    var noRender = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let shard { _ = try Shard(parsing: shard) }
        if shard != nil && onlyDependencies { throw ValidationError("--shard and --only-dependencies exclude each other") }
        guard wait >= 0 else { throw ValidationError("--wait must be at least 0") }
    }

    func run() throws {
        let questions = try options.questions(only: selection.only)
        // A broken template or an unwritable folder should stop the command before the training, not after it.
        let templates = noRender ? nil : try templateOptions.load()
        try options.checkPaths(for: questions, writingReport: !noRender)
        let cache: ResultCache
        do {
            // The session, and the data and images it holds, ends here: the report is
            // made from the cache alone.
            let session = options.session()
            let plan = try session.plan(questions)
            let selection: UnitSelection = try shard.map { .shard(try Shard(parsing: $0)) } ?? (onlyDependencies ? .dependencies : .all)
            try session.run(plan, jobs: jobs ?? CoreBudget.machineCores, force: force, selection: selection, waitSeconds: wait,
                            reporter: ConsoleProgress())
            cache = session.cache
        }
        guard let templates else { return }
        let study = try LoadedStudy.load(cache: cache)
        let summary = try ReportPipeline.publish(study, templates: templates, build: templateOptions.build,
                                                 output: options.outputURL)
        print("report: \(summary.description)")
    }
}

/// `--only 6.1,7.2` → `["6.1", "7.2"]`.
enum QuestionFilter {
    static func parse(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the plan's units in order: key, part, questions, label, estimated core-seconds, dependencies, cached."
    )

    @OptionGroup var options: StudyArguments

    @OptionGroup var selection: QuestionSelection

    @Flag(help: "Print the plan as JSON (the contract of the cluster path; see the README).")
    var json = false

    func run() throws {
        let session = options.session()
        let plan = try session.plan(try options.questions(only: selection.only))
        let document = PlanDocument(plan, isCached: session.isUsable)
        if json {
            print(String(decoding: try document.encoded(), as: UTF8.self))
            return
        }
        for unit in document.units {
            let dependencies = unit.dependencies.isEmpty ? "" : "  after " + unit.dependencies.map { String($0.prefix(12)) }.joined(separator: ", ")
            print("\(unit.key.prefix(12))  \(unit.cached ? "cached " : "missing")  \(String(format: "%8.1f", unit.cost)) core-s  "
                  + "\(unit.cores == "all" ? "1 or all " : unit.growsIntoIdleCores ? "1 or more" : "1 core   ")  "
                  + "\(unit.labels[0])\(dependencies)")
        }
        print("\(document.units.count) units, \(document.cachedCount) cached; the missing ones cost about "
              + String(format: "%.0f", document.missingCost) + " core-seconds")
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every question and run of the study with its cache state."
    )

    @OptionGroup var options: StudyArguments

    @OptionGroup var selection: QuestionSelection

    func run() throws {
        let session = options.session()
        let plan = try session.plan(try options.questions(only: selection.only))
        let inputs = try session.planInputs(for: Set(plan.parts))
        let cache = session.cache
        for part in plan.parts {
            switch part {
            case .six:
                if let map = inputs.map?.shape { print("data: \(map.dataSource) (sha256 \(map.dataHash.prefix(12)))") }
            case .seven:
                if let faces = inputs.faces?.shape { print("faces: \(faces.dataSource) (sha256 \(faces.dataHash.prefix(12)))") }
                for unit in plan.units where unit.part == part && unit.kind == .backbone {
                    print("backbone: \(unit.summary): \(cache.status(key: unit.key) == nil ? "missing" : "cached")")
                }
                if let weights = options.study.weights { print("backbone: \(weights)") }
            }
            for question in plan.questions where question.question.part == part {
                print("\(question.id)  \(question.title)")
                let seeds = Set(question.runs.map(\.seed)).count
                for run in question.runs {
                    let state = cache.status(key: run.key).map {
                        $0.diverged ? "cached, diverged" : String(format: "cached, %.1f s", $0.wallSeconds)
                    } ?? "missing"
                    print("  \(run.key.prefix(12))  \(run.label)\(seeds > 1 ? " seed \(run.seed)" : ""): \(state)")
                }
            }
        }
    }
}
