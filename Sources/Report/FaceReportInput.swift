import Foundation
import Study

/// One Part 7 question's results as the report reads them.
public struct FaceExperimentEntry: Sendable {
    public var experiment: any FaceExperiment
    /// Nil when some of its runs are not in the cache.
    public var result: FaceExperimentResult?

    public init(experiment: any FaceExperiment, result: FaceExperimentResult?) {
        self.experiment = experiment
        self.result = result
    }
}

/// A cached Part 7 run with the labels it appears under (`7.1-probe lr 0.01`).
public struct FaceRunRecord: Sendable {
    public var result: FaceRunResult
    public var labels: [String]
}

/// Part 7 as the report reads it: the manifest the last `nnreport run` saved (data,
/// plan, backbone, test thumbnails) and the analyses of the cached runs. No images
/// and no training are involved.
public struct FaceReportInput: Sendable {
    public var manifest: FaceManifest
    /// Every Part 7 question, in report order.
    public var experiments: [FaceExperimentEntry]
    /// The unique runs found, in first-use order.
    public var runs: [FaceRunRecord]

    /// Analyses `results` (keyed by cache key) under the manifest's plan.
    public init(manifest: FaceManifest, results: [String: FaceRunResult],
                experiments: [any FaceExperiment] = StudyCatalog.part7) {
        self.manifest = manifest
        self.experiments = FaceStudyAnalysis.analyze(experiments, manifest: manifest, results: results).map {
            FaceExperimentEntry(experiment: $0.experiment, result: $0.result)
        }
        runs = FaceStudyRunner.plannedRuns(experiments, plan: manifest.plan, dataHash: manifest.dataHash).compactMap { planned in
            results[planned.key].map { FaceRunRecord(result: $0, labels: planned.labels) }
        }
    }

    /// Reads the Part 7 manifest and its cached results from `cacheDirectory`; nil when
    /// Part 7 has never been run with this cache.
    public static func load(cacheDirectory: URL, experiments: [any FaceExperiment] = StudyCatalog.part7) throws -> FaceReportInput? {
        let manifest: FaceManifest?
        do {
            manifest = try FaceManifest.load(from: cacheDirectory)
        } catch {
            throw ReportError.io(path: cacheDirectory.path, message: "\(error)")
        }
        guard let manifest else { return nil }
        let results = manifest.cachedResults(in: ResultCache(directory: cacheDirectory), experiments: experiments)
        return FaceReportInput(manifest: manifest, results: results, experiments: experiments)
    }

    /// The entry of the question with this id.
    public func entry(_ id: String) -> FaceExperimentEntry? {
        experiments.first { $0.experiment.id == id }
    }

    /// The computed result of the question with this id, if any.
    public func result(_ id: String) -> FaceExperimentResult? {
        entry(id)?.result
    }

    /// The Part 7 half of `results.json`.
    public var studyResults: FaceStudyResults {
        FaceStudyResults(manifest: manifest, analyses: experiments.map { ($0.experiment, $0.result) })
    }
}
