import Engine
import Foundation

extension FaceRun {
    /// Trains the run on the faces: a ResNet18 (from scratch, probed or fine-tuned) on
    /// the unit's cores, XGBoost with one thread per core, or logistic regression on
    /// the frozen backbone's features.
    public func execute(_ context: UnitContext) throws -> FaceOutcome {
        let data = try context.inputs.faces()
        let iterations = Double(iterations(trainImages: data.faces.train.count))
        switch method {
        case .scratch, .probe, .finetune:
            let backbone = method.usesBackbone ? try context.inputs.backbone(for: self) : nil
            let trained = try FaceNetworkTraining.run(self, data: data, backbone: backbone, cores: context.cores) {
                context.progress(min(Double($0) / iterations, 1))
            }
            // A diverged run reports the last epoch it completed, if any.
            let sampled = trainEvaluationImages.flatMap { $0 < data.faces.train.count ? $0 : nil }
            return FaceOutcome(history: trained.history, metrics: trained.history.epochs.last,
                               testScores: trained.testProbabilities, sharedSeconds: trained.sharedSeconds,
                               trainImagesEvaluated: sampled)
        case .xgboost:
            let (metrics, probabilities) = try FaceBaselineTraining.xgboost(self, data: data, threads: context.cores.count)
            return FaceOutcome(history: nil, metrics: metrics, testScores: probabilities)
        case .logisticRegression:
            let backbone = try context.inputs.backbone(for: self)
            let (features, seconds) = try backbone.features(of: data, cores: context.cores)
            let (metrics, probabilities) = try FaceBaselineTraining.logisticRegression(self, features: features)
            return FaceOutcome(history: nil, metrics: metrics, testScores: probabilities, sharedSeconds: seconds)
        }
    }
}
