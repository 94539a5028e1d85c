import Engine
import Foundation

/// Trains one Part 7 run from its config: the only place where a `FaceRunConfig`
/// becomes a model and a training procedure.
public enum FaceRunExecutor {
    /// Trains `config` on `data` (with `backbone` for the methods that start from it).
    /// `onIteration` receives each optimisation step's index, for progress.
    public static func execute(_ config: FaceRunConfig, data: FaceStudyData, backbone: PretrainedBackbone?, key: String,
                               onIteration: @escaping (Int) -> Void = { _ in }) throws -> FaceRunResult {
        let started = DispatchTime.now().uptimeNanoseconds
        var history: TrainingHistory?
        let metrics: EpochMetrics?
        let probabilities: [Float]
        switch config.method {
        case .scratch, .probe, .finetune:
            let trained = try FaceNetworkTraining.run(config, data: data, backbone: backbone, onIteration: onIteration)
            history = trained.history
            // A diverged run reports the last epoch it completed, if any.
            metrics = trained.history.epochs.last
            probabilities = trained.testProbabilities
        case .xgboost:
            (metrics, probabilities) = try FaceBaselineTraining.xgboost(config, data: data)
        case .logisticRegression:
            guard let backbone, backbone.identity == config.backbone else {
                throw StudyError.invalidOption("\(config.summary) needs the pretrained backbone \(config.backbone ?? "?")")
            }
            (metrics, probabilities) = try FaceBaselineTraining.logisticRegression(config, features: try backbone.features(of: data))
        }
        return FaceRunResult(
            key: key, config: config, dataHash: data.contentHash, dataSource: data.source,
            engineVersion: EngineVersion.current, history: history, metrics: metrics,
            testProbabilities: FaceRunResult.encode(probabilities),
            wallSeconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9,
            finishedAt: ISO8601DateFormatter().string(from: Date()))
    }
}
