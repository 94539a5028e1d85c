/// 6.1.2-q2: the base model trained for 100 epochs at lr 0.001.
public struct EpochsQuestion: Question {
    public let id = "6.1.2-q2"
    public let title = "Number of epochs"
    public static let checkpoints = [1, 5, 10, 20, 50, 100]

    public func runs(for settings: StudySettings) -> [QuestionRun<MLPRun>] {
        var config = settings.base
        config.epochs = settings.epochs(100)
        return [QuestionRun("lr 0.001, \(config.epochs) epochs", config)]
    }

    public func analyze(_ groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .epochs(EpochsAnalysis(group: groups[0], results: results[0]))
    }
}

/// Validation loss at the named epochs, and where it stops improving.
public struct EpochsAnalysis: Codable, Equatable, Sendable {
    public struct Checkpoint: Codable, Equatable, Sendable {
        public var epoch: Int
        public var validationLoss: Estimate
        public var validationAccuracy: Estimate
    }

    public var checkpoints: [Checkpoint]
    /// Relative tolerance of `plateauEpoch`.
    public static let plateauTolerance = 0.01
    /// First epoch whose validation loss is within 1% of the lowest the run reaches:
    /// after it, training improves validation loss by less than 1%.
    public var plateauEpoch: Estimate?
    /// Epoch of the lowest validation loss.
    public var minimumEpoch: Estimate?

    init(group: RunGroup<MLPRun>, results: [RunResult<MLPRun>]) {
        checkpoints = EpochsQuestion.checkpoints.compactMap { epoch in
            guard let index = group.curves.epochs.firstIndex(of: epoch) else { return nil }
            return Checkpoint(epoch: epoch, validationLoss: group.curves.validationLoss[index],
                              validationAccuracy: group.curves.validationAccuracy[index])
        }
        var plateaus: [Double] = [], minima: [Double] = []
        for result in results {
            let curve = result.history.epochs.filter { $0.epoch > 0 }.compactMap { metrics in
                metrics.validation.map { (metrics.epoch, $0.loss) }
            }
            guard let lowest = curve.min(by: { $0.1 < $1.1 }) else { continue }
            minima.append(Double(lowest.0))
            let plateau = curve.first { $0.1 <= lowest.1 * (1 + Self.plateauTolerance) }!
            plateaus.append(Double(plateau.0))
        }
        plateauEpoch = Estimate(plateaus)
        minimumEpoch = Estimate(minima)
    }
}
