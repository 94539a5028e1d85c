import Foundation
import Study
import Support

/// One experiment's results as the report reads them: the analysis, and the raw
/// run results behind it (for per-iteration losses, decision maps and timing).
public struct ExperimentEntry: Sendable {
    public var experiment: any Experiment
    /// Nil when some of its runs are not in the cache.
    public var result: ExperimentResult?
    /// `runs[group][seed]`, aligned with `result.groups`; empty when `result` is nil.
    public var runs: [[RunResult]]

    public init(experiment: any Experiment, result: ExperimentResult?, runs: [[RunResult]]) {
        self.experiment = experiment
        self.result = result
        self.runs = runs
    }
}

/// A cached run with the experiment labels it appears under (`6.1.2-q1 lr 0.001`).
public struct RunRecord: Sendable {
    public var result: RunResult
    public var labels: [String]
}

/// Everything the report is made from: the study's manifest and the cached
/// results of its experiments. No data files and no training are involved.
public struct ReportInput: Sendable {
    /// What the last `nnreport run` studied; nil when nothing has been run yet.
    public var manifest: StudyManifest?
    /// Every experiment of the catalog, in report order.
    public var experiments: [ExperimentEntry]
    /// The unique runs found, in first-use order.
    public var runs: [RunRecord]
    /// Part 7 (real vs fake faces), when it has been run with this cache.
    public var faces: FaceReportInput?

    /// Analyses `results` (keyed by cache key) under the manifest's plan. Runs a
    /// manifest's plan does not ask for are ignored. `faces` is Part 7, analysed on its own.
    public init(manifest: StudyManifest?, results: [String: RunResult], experiments: [any Experiment] = StudyCatalog.all,
                faces: FaceReportInput? = nil) {
        self.manifest = manifest
        self.faces = faces
        guard let manifest else {
            self.experiments = experiments.map { ExperimentEntry(experiment: $0, result: nil, runs: []) }
            runs = []
            return
        }
        let plan = manifest.plan
        let analyses = StudyAnalysis.analyze(experiments, plan: plan, dataHash: manifest.dataHash, results: results)
        self.experiments = analyses.map { experiment, result in
            guard result != nil else { return ExperimentEntry(experiment: experiment, result: nil, runs: []) }
            let runs = experiment.runs(for: plan).map { run in
                plan.seeds.compactMap { results[CacheKey.key(for: run.config.withSeed($0), dataHash: manifest.dataHash)] }
            }
            return ExperimentEntry(experiment: experiment, result: result, runs: runs)
        }
        runs = StudyRunner.plannedRuns(experiments, plan: plan, dataHash: manifest.dataHash).compactMap { planned in
            results[planned.key].map { RunRecord(result: $0, labels: planned.labels) }
        }
    }

    /// Reads the manifests and every result the study needs from `cacheDirectory`
    /// (Part 6, and Part 7 when it has been run). A missing manifest gives a report
    /// where every question of its part is "not computed".
    public static func load(cacheDirectory: URL, experiments: [any Experiment] = StudyCatalog.all) throws -> ReportInput {
        let manifest: StudyManifest?
        do {
            manifest = try StudyManifest.load(from: cacheDirectory)
        } catch {
            throw ReportError.io(path: cacheDirectory.path, message: "\(error)")
        }
        let faces = try FaceReportInput.load(cacheDirectory: cacheDirectory)
        guard let manifest else { return ReportInput(manifest: nil, results: [:], experiments: experiments, faces: faces) }
        let cache = ResultCache(directory: cacheDirectory)
        let keys = StudyRunner.plannedRuns(experiments, plan: manifest.plan, dataHash: manifest.dataHash).map(\.key)
        // Decoding dominates rendering time; the files are independent.
        let loaded = CoreBudget.machine().map(count: keys.count) { cache.load(key: keys[$0]) }
        var results: [String: RunResult] = [:]
        for (key, result) in zip(keys, loaded) { results[key] = result }
        return ReportInput(manifest: manifest, results: results, experiments: experiments, faces: faces)
    }

    /// The entry of the experiment with this id.
    public func entry(_ id: String) -> ExperimentEntry? {
        experiments.first { $0.experiment.id == id }
    }

    /// The `results.json` of this input (with Part 7 when it exists), when there is a Part 6 manifest.
    public var studyResults: StudyResults? {
        guard let manifest else { return nil }
        var results = StudyResults(manifest: manifest, analyses: experiments.map { ($0.experiment, $0.result) })
        results.faces = faces?.studyResults
        return results
    }

    /// How many questions of both parts have results.
    public var computedCount: Int {
        experiments.filter { $0.result != nil }.count + (faces?.experiments.filter { $0.result != nil }.count ?? 0)
    }
}
