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
    public var decisionGrid: DecisionGrid?
    /// Predicted class of every test point, in test-set order (runs with a decision grid).
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
