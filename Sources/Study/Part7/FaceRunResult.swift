import Engine
import Foundation

/// The outcome of one Part 7 run.
public struct FaceRunResult: Codable, Equatable, Sendable {
    /// Cache key: SHA-256 of the config, data hash and engine version.
    public var key: String
    public var config: FaceRunConfig
    public var dataHash: String
    public var dataSource: String
    public var engineVersion: String
    /// Per-epoch metrics and per-iteration losses of a network; nil for XGBoost and
    /// logistic regression, which have no epochs.
    public var history: TrainingHistory?
    /// Loss and accuracy on each split after training (for a diverged network, at the
    /// last epoch it completed; nil if none). The loss is the binary cross-entropy (log loss).
    public var metrics: EpochMetrics?
    /// Predicted probability that each test image is fake, little-endian float32 in
    /// test-set order; empty when the run diverged.
    public var testProbabilities: Data
    /// Seconds the run took and when it finished (ISO 8601, UTC): provenance only.
    public var wallSeconds: Double
    public var finishedAt: String

    public var diverged: Bool { history?.divergence != nil }

    /// The test probabilities as numbers.
    public var testScores: [Float] {
        testProbabilities.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// Predicted class (1 = fake) of every test image: probability above one half.
    public var testPredictions: [Int32] { testScores.map { $0 > 0.5 ? 1 : 0 } }

    /// The same result without its timing fields, for comparing the numbers of two runs.
    public var withoutTiming: FaceRunResult {
        var copy = self
        copy.wallSeconds = 0
        copy.finishedAt = ""
        return copy
    }

    /// The progress line's view of this result.
    public var finishedRun: FinishedRun {
        let status = history?.divergence.map { "diverged at epoch \($0.epoch), iteration \($0.iteration)" }
            ?? String(format: "test acc %.3f", metrics?.test?.accuracy ?? 0)
        return FinishedRun(summary: config.summary, status: status, wallSeconds: wallSeconds)
    }

    static func encode(_ scores: [Float]) -> Data {
        scores.withUnsafeBufferPointer { Data(buffer: $0) }
    }
}
