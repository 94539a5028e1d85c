import Engine
import Foundation

/// One unique Part 7 run: a config for one seed, its cache key, and the labels it appears under.
public struct PlannedFaceRun: Sendable, Equatable {
    public var key: String
    public var config: FaceRunConfig
    public var labels: [String]
}

/// Trains what the cache lacks of Part 7, one run at a time (each run's convolutions
/// already use every core), pretraining or loading the backbone first when a
/// pending run needs it.
public final class FaceStudyRunner {
    public let cache: ResultCache
    public let reporter: (any ProgressReporter)?

    public init(cache: ResultCache, reporter: (any ProgressReporter)? = nil) {
        self.cache = cache
        self.reporter = reporter
    }

    /// The unique runs behind `experiments` under `plan`, each seed separately, in first-use order.
    public static func plannedRuns(_ experiments: [any FaceExperiment], plan: FacePlan, dataHash: String) -> [PlannedFaceRun] {
        let runs = experiments.flatMap { experiment in experiment.runs(for: plan).map { (experiment.id, $0.label, $0.config) } }
        return uniqueSeededRuns(runs, seeds: plan.seeds, withSeed: { $0.withSeed($1) },
                                key: { CacheKey.key(for: $0, dataHash: dataHash) })
            .map { PlannedFaceRun(key: $0.key, config: $0.config, labels: $0.labels) }
    }

    /// Loads or trains every run; with `force`, trains them all again. `backbone` is
    /// called at most once, and only when a run to train needs the pretrained backbone;
    /// it receives a per-iteration progress callback for a pretraining that would cost
    /// `pretraining.work` units over `pretraining.iterations` steps (zero when it is cached).
    public func run(_ runs: [PlannedFaceRun], data: FaceStudyData, force: Bool = false,
                    pretraining: (work: Double, iterations: Int) = (0, 1),
                    backbone: (_ onIteration: @escaping (Int) -> Void) throws -> PretrainedBackbone) throws -> [String: FaceRunResult] {
        let started = DispatchTime.now().uptimeNanoseconds
        var results: [String: FaceRunResult] = [:]
        var pending: [PlannedFaceRun] = []
        for run in runs {
            if !force, let cached = cache.load(FaceRunResult.self, key: run.key) {
                results[run.key] = cached
            } else {
                pending.append(run)
            }
        }
        let needsBackbone = pending.contains { $0.config.method.usesBackbone }
        let pretrainingWork = needsBackbone ? pretraining.work : 0
        let totalWork = pending.reduce(pretrainingWork) { $0 + FaceWorkEstimate.of($1.config, data: data) }
        reporter?.began(total: pending.count, reused: results.count, estimatedWork: totalWork)

        var done = 0.0
        var pretrained: PretrainedBackbone?
        if needsBackbone {
            let perIteration = pretrainingWork / Double(max(1, pretraining.iterations))
            pretrained = try backbone { [reporter] iteration in
                reporter?.advanced(label: "pretraining the backbone", work: min(Double(iteration) * perIteration, pretrainingWork))
            }
            done = pretrainingWork
        }
        for run in pending {
            let work = FaceWorkEstimate.of(run.config, data: data)
            let iterations = Double(max(1, FaceWorkEstimate.iterations(run.config, data: data)))
            let label = run.labels[0]
            let result = try FaceRunExecutor.execute(run.config, data: data, backbone: pretrained, key: run.key) { [reporter, done] iteration in
                reporter?.advanced(label: label, work: done + work * min(Double(iteration) / iterations, 1))
            }
            try cache.store(result)
            results[run.key] = result
            done += work
            reporter?.finished(result.finishedRun, label: label, work: done)
        }

        var summary = RunSummary()
        summary.ran = pending.count
        summary.reused = runs.count - pending.count
        summary.diverged = runs.filter { results[$0.key]?.diverged == true }.count
        summary.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        reporter?.ended(summary)
        return results
    }
}

/// A rough cost of a Part 7 run in image passes (a training step on an image costs
/// three, an evaluation one), for the progress bar and its ETA.
enum FaceWorkEstimate {
    static func of(_ config: FaceRunConfig, data: FaceStudyData) -> Double {
        let train = Double(data.trainCount), all = Double(data.totalCount)
        let scale = pow(Double(data.imageSize) / 64, 2)
        switch config.method {
        case .scratch, .finetune:
            return scale * (Double(config.epochs) * train * 3 + Double(config.epochs + 1) * all)
        case .probe:
            return 0.05 * scale * all
        case .logisticRegression:
            return 0.02 * scale * all
        case .xgboost:
            // About 0.6 s per 100 rounds on 1,400 images of 12,288 values: ~80 image passes.
            return Double(config.rounds) * train / 1_400 * 0.8
        }
    }

    /// Optimisation steps of a network run (1 for the others, which report no iterations).
    static func iterations(_ config: FaceRunConfig, data: FaceStudyData) -> Int {
        guard config.method.isNetwork, config.batchSize > 0 else { return 1 }
        return config.epochs * ((data.trainCount + config.batchSize - 1) / config.batchSize)
    }
}
