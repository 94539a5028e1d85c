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

/// The outcome of one run: its history and everything needed to trace it.
public struct RunResult: Codable, Equatable, Sendable {
    /// Cache key: SHA-256 of the config, data hash and engine version.
    public var key: String
    public var config: RunConfig
    public var dataHash: String
    public var dataSource: String
    public var engineVersion: String
    public var parameterCount: Int
    public var history: TrainingHistory
    /// Epoch with the highest validation accuracy (earliest on ties), 0 before training.
    public var bestEpoch: Int
    public var decisionGrid: DecisionGrid?
    /// Predicted class of every test point, in test-set order (runs with a decision grid).
    public var testPredictions: Data?
    /// Seconds the run took, and when it finished (ISO 8601, UTC): provenance only,
    /// never part of any computed number.
    public var wallSeconds: Double
    public var finishedAt: String

    public var diverged: Bool { history.divergence != nil }

    /// Metrics at the best epoch.
    public var best: EpochMetrics? { history.epochs.first { $0.epoch == bestEpoch } }

    /// The same result without its timing fields, for comparing the numbers of two runs.
    public var withoutTiming: RunResult {
        var copy = self
        copy.wallSeconds = 0
        copy.finishedAt = ""
        return copy
    }
}
