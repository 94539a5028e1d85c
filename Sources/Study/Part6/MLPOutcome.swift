import Engine
import Foundation

/// Class predictions over a regular grid covering the data, for decision-boundary maps.
public struct DecisionGrid: Codable, Equatable, Sendable {
    /// Cells per side; cell (row 0, column 0) is at the lowest latitude and longitude.
    public var resolution: Int
    public var longitude: ClosedRange<Double>
    public var latitude: ClosedRange<Double>
    /// Predicted class of each cell, row-major from the south-west corner (one byte each).
    public var classes: Data

    /// Centre of cell `(row, column)` as (longitude, latitude).
    public func center(row: Int, column: Int) -> (Double, Double) {
        let cellWidth = (longitude.upperBound - longitude.lowerBound) / Double(resolution)
        let cellHeight = (latitude.upperBound - latitude.lowerBound) / Double(resolution)
        return (longitude.lowerBound + (Double(column) + 0.5) * cellWidth,
                latitude.lowerBound + (Double(row) + 0.5) * cellHeight)
    }
}

/// What an MLP run computed: its history, its best epoch, and (for runs that store
/// one) its decision grid and test predictions.
public struct MLPOutcome: RunOutcome {
    public var parameterCount: Int
    public var history: TrainingHistory
    /// Epoch with the highest validation accuracy (earliest on ties), 0 before training.
    public var bestEpoch: Int
    /// The model's decision grid at ``bestEpoch``.
    public var decisionGrid: DecisionGrid?
    /// Predicted class of every test point at ``bestEpoch``, in test-set order (runs with a decision grid).
    public var testPredictions: Data?

    public init(parameterCount: Int, history: TrainingHistory, bestEpoch: Int, decisionGrid: DecisionGrid? = nil,
                testPredictions: Data? = nil) {
        self.parameterCount = parameterCount
        self.history = history
        self.bestEpoch = bestEpoch
        self.decisionGrid = decisionGrid
        self.testPredictions = testPredictions
    }

    public var divergence: Divergence? { history.divergence }

    /// Metrics at the best epoch.
    public var best: EpochMetrics? { history.epochs.first { $0.epoch == bestEpoch } }

    public var status: String { String(format: "val acc %.3f", best?.validation?.accuracy ?? 0) }
}

/// What became of a training run, beyond its accuracy: whether its loss blew up, and
/// whether the model at its best epoch answers one class for every point.
public struct TrainingBehaviour: Codable, Equatable, Sendable {
    /// A loss that exceeds ``explosionFactor`` times `ln K` (the loss of a uniform guess over
    /// `K` classes) at initialisation or during training has exploded.
    public static let explosionFactor = 100.0

    /// The highest finite loss the run saw (every split's loss per epoch, every batch's
    /// loss) and where: epoch 0 is the untrained network.
    public var peakLoss: Double
    public var peakEpoch: Int
    /// The peak is orders of magnitude above `ln K`.
    public var exploded: Bool
    /// The class the best-epoch model predicts for every test point, when it predicts only one.
    public var collapsedClass: Int?
    /// The loss or a gradient became non-finite and training stopped.
    public var diverged: Bool

    /// The behaviour of `run` on data with `classCount` classes.
    ///
    /// A net with batch norm is evaluated at epoch 0 with its initial running statistics
    /// (mean 0, variance 1), which pass raw inputs through unnormalised: that evaluation
    /// is not what training sees (training normalises each batch by its own statistics),
    /// so it does not count towards the peak.
    public init(_ run: RunResult<MLPRun>, classCount: Int) {
        var peak = (loss: -Double.infinity, epoch: 0)
        for metrics in run.history.epochs where metrics.epoch > 0 || !run.config.batchNorm {
            for loss in [metrics.train.loss, metrics.validation?.loss, metrics.test?.loss].compactMap({ $0 }) where loss.isFinite {
                if loss > peak.loss { peak = (loss, metrics.epoch) }
            }
        }
        let iterations = run.history.iterationLosses.count
        let perEpoch = max(1, iterations / max(run.history.epochs.count - 1, 1))
        for (index, loss) in run.history.iterationLosses.enumerated() where Double(loss).isFinite && Double(loss) > peak.loss {
            peak = (Double(loss), index / perEpoch + 1)
        }
        peakLoss = peak.loss.isFinite ? peak.loss : 0
        peakEpoch = peak.epoch
        exploded = peakLoss > Self.explosionFactor * log(Double(max(classCount, 2)))
        if let predictions = run.testPredictions, let first = predictions.first, predictions.allSatisfy({ $0 == first }) {
            collapsedClass = Int(first)
        }
        diverged = run.outcome.divergence != nil
    }

    /// Nothing went wrong.
    public var isNormal: Bool { !exploded && collapsedClass == nil && !diverged }
}
