import ArgumentParser
import Foundation
import Report
import Study

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train every run the study (or the selected questions) needs that the cache lacks, then write the report."
    )

    @OptionGroup var options: StudyOptions
    @OptionGroup var templateOptions: TemplateOptions

    @Option(help: "Only these questions: ids or id prefixes, comma-separated (6, 6.2, 6.2-q5).")
    var only: String?

    @Flag(help: "Retrain the selected runs even when the cache has them.")
    var force = false

    @Option(help: "Runs trained in parallel (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let filters = only?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let selected = try StudyCatalog.selection(filters)
        // A broken template should stop the command before the training, not after it.
        let templates = try templateOptions.load()
        let points = try StudyInputs.points(directory: options.data, seed: options.seed, quick: options.quick)
        let data = try StudyData(points: points)
        let plan = StudyPlan(quick: options.quick, seed: options.seed, seedCount: options.seeds)
        let planned = StudyRunner.plannedRuns(selected.part6, plan: plan, dataHash: points.contentHash)
        let cache = ResultCache(directory: options.cacheURL)
        var results: [String: RunResult] = [:]
        if !selected.part6.isEmpty {
            let runner = StudyRunner(cache: cache, jobs: jobs, reporter: ConsoleProgress())
            results = try runner.run(planned, data: data, force: force)
        }
        let manifest = StudyManifest(plan: plan, data: points)
        try manifest.save(in: options.cacheURL)

        if !selected.part7.isEmpty {
            FileHandle.standardError.write(Data("Part 7: real vs fake faces\n".utf8))
            _ = try FaceStudy.run(selected.part7, options: options.faceOptions.options, seeds: options.seedList,
                                  quick: options.quick, cache: cache, force: force, reporter: ConsoleProgress())
        }
        let all = loadAll(StudyCatalog.all, plan: plan, dataHash: points.contentHash, cache: cache, known: results)
        // Part 7 as the last `run` of it left it (this one, or an earlier one when it was not selected).
        let faces = try FaceReportInput.load(cacheDirectory: options.cacheURL)
        let summary = try ReportPipeline.publish(ReportInput(manifest: manifest, results: all, faces: faces), templates: templates,
                                                 build: templateOptions.build, output: options.outputURL)
        print("report: \(summary.description)")
    }

    /// Results of every experiment's runs that exist, from memory or the cache.
    private func loadAll(_ experiments: [any Experiment], plan: StudyPlan, dataHash: String,
                         cache: ResultCache, known: [String: RunResult]) -> [String: RunResult] {
        var results = known
        for run in StudyRunner.plannedRuns(experiments, plan: plan, dataHash: dataHash) where results[run.key] == nil {
            if let cached = cache.load(key: run.key) { results[run.key] = cached }
        }
        return results
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List every experiment and run with its cache state."
    )

    @OptionGroup var options: StudyOptions

    func run() throws {
        let points = try StudyInputs.points(directory: options.data, seed: options.seed, quick: options.quick)
        let plan = StudyPlan(quick: options.quick, seed: options.seed, seedCount: options.seeds)
        let cache = ResultCache(directory: options.cacheURL)
        print("data: \(points.source) (sha256 \(points.contentHash.prefix(12)))")
        for experiment in StudyCatalog.all {
            print("\(experiment.id)  \(experiment.title)")
            for run in experiment.runs(for: plan) {
                for seed in plan.seeds {
                    let config = run.config.withSeed(seed)
                    let key = CacheKey.key(for: config, dataHash: points.contentHash)
                    let state: String
                    if let result = cache.load(key: key) {
                        state = result.diverged ? "cached, diverged" : String(format: "cached, %.1f s", result.wallSeconds)
                    } else {
                        state = "missing"
                    }
                    let seedText = plan.seeds.count > 1 ? " seed \(seed)" : ""
                    print("  \(key.prefix(12))  \(run.label)\(seedText): \(state)")
                }
            }
        }
        try listFaces(cache: cache)
    }

    private func listFaces(cache: ResultCache) throws {
        let faceOptions = options.faceOptions.options
        let data = try FaceStudyData(faces: try StudyInputs.faces(faceOptions, seed: options.seed, quick: options.quick))
        let source = StudyInputs.backbone(faceOptions, seed: options.seed, quick: options.quick)
        let plan = FacePlan(seeds: options.seedList, quick: options.quick, epochs: faceOptions.epochs,
                            backbone: try source.identity(), xgboostRounds: faceOptions.xgboostRounds)
        print("faces: \(data.source) (sha256 \(data.contentHash.prefix(12)))")
        if case .synthetic(let config) = source {
            let state = BackboneProvider.cachedRecord(config, cache: cache) == nil ? "missing" : "cached"
            print("backbone: \(config.summary): \(state)")
        } else {
            print("backbone: \(faceOptions.weights ?? "")")
        }
        for experiment in StudyCatalog.part7 {
            print("\(experiment.id)  \(experiment.title)")
            for run in experiment.runs(for: plan) {
                for seed in plan.seeds {
                    let key = CacheKey.key(for: run.config.withSeed(seed), dataHash: data.contentHash)
                    let state = cache.load(FaceRunResult.self, key: key).map {
                        $0.diverged ? "cached, diverged" : String(format: "cached, %.1f s", $0.wallSeconds)
                    } ?? "missing"
                    let seedText = plan.seeds.count > 1 ? " seed \(seed)" : ""
                    print("  \(key.prefix(12))  \(run.label)\(seedText): \(state)")
                }
            }
        }
    }
}
