import Engine
import Foundation

/// What a Part 7 run computed: its metrics after training, its test probabilities,
/// and (networks) its history.
public struct FaceOutcome: RunOutcome {
    /// Per-epoch metrics and per-iteration losses of a network; nil for XGBoost and
    /// logistic regression, which have no epochs.
    public var history: TrainingHistory?
    /// Loss and accuracy on each split after training (for a diverged network, at the
    /// last epoch it completed; nil if none). The loss is the binary cross-entropy (log loss).
    public var metrics: EpochMetrics?
    /// Predicted probability that each test image is fake, little-endian float32 in
    /// test-set order; empty when the run diverged.
    public var testProbabilities: Data
    /// Seconds of the run's wall time spent on work that other runs share: the frozen
    /// backbone's features, computed by whichever run needs them first. Nil when the
    /// run did none (and in results cached before this was recorded).
    public var sharedSeconds: Double?
    /// Training images the train accuracy was measured on, when fewer than the whole
    /// training split (``FaceRun/trainEvaluationImages``); nil when every one was.
    public var trainImagesEvaluated: Int?

    public init(history: TrainingHistory?, metrics: EpochMetrics?, testScores: [Float], sharedSeconds: Double? = nil,
                trainImagesEvaluated: Int? = nil) {
        self.history = history
        self.metrics = metrics
        self.sharedSeconds = sharedSeconds
        self.trainImagesEvaluated = trainImagesEvaluated
        testProbabilities = testScores.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    public var divergence: Divergence? { history?.divergence }

    public var status: String { String(format: "test acc %.3f", metrics?.test?.accuracy ?? 0) }

    /// The test probabilities as numbers.
    public var testScores: [Float] {
        testProbabilities.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// Predicted class (1 = fake) of every test image: probability above one half.
    public var testPredictions: [Int32] { testScores.map { $0 > 0.5 ? 1 : 0 } }
}
