import Engine
import Foundation

/// What the MLP sees: the raw coordinates, or their sine features (question 6.2-q7).
public enum FeatureMap: String, Codable, Hashable, Sendable {
    case coordinates
    case sine
}

/// An optimizer and its hyperparameters.
public struct OptimizerConfig: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable { case adam, sgd }

    public var kind: Kind
    public var learningRate: Double
    public var momentum: Double

    public init(kind: Kind = .adam, learningRate: Double, momentum: Double = 0) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
    }

    public static func adam(_ learningRate: Double) -> OptimizerConfig { OptimizerConfig(kind: .adam, learningRate: learningRate) }
}

/// A Part 6 run: an MLP on the 2D map, everything that determines its numbers given the data.
public struct MLPRun: RunSpec {
    public typealias Outcome = MLPOutcome
    public typealias Aggregate = MLPAggregate

    public var depth: Int
    public var width: Int
    public var batchNorm: Bool
    public var residual: Bool
    public var features: FeatureMap
    public var optimizer: OptimizerConfig
    public var batchSize: Int
    public var epochs: Int
    public var seed: UInt64
    /// Side of the square grid of decision-boundary predictions to store, or nil for none.
    /// Runs with a grid also store their test-set predictions.
    public var decisionGrid: Int?

    public init(depth: Int, width: Int, batchNorm: Bool = false, residual: Bool = false,
                features: FeatureMap = .coordinates, optimizer: OptimizerConfig = .adam(0.001),
                batchSize: Int = 256, epochs: Int = 50, seed: UInt64 = 0, decisionGrid: Int? = nil) {
        self.depth = depth
        self.width = width
        self.batchNorm = batchNorm
        self.residual = residual
        self.features = features
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.epochs = epochs
        self.seed = seed
        self.decisionGrid = decisionGrid
    }

    public static var part: StudyPart { .six }
    public var kind: UnitKind { .mlp }

    /// The network this config trains on data with `classCount` classes.
    public func model(classCount: Int) -> MLPConfig {
        MLPConfig(inputFeatures: features == .sine ? 2 * 10 : 2, classCount: classCount, depth: depth, width: width,
                  batchNorm: batchNorm, residual: residual)
    }

    public func withSeed(_ seed: UInt64) -> MLPRun {
        var copy = self
        copy.seed = seed
        return copy
    }

    /// Short description: `6x16 BN, Adam lr 0.001, batch 256, 50 epochs`.
    public var summary: String {
        var parts = ["\(depth)x\(width)" + (batchNorm ? " BN" : "") + (residual ? " residual" : "")]
        if features == .sine { parts[0] += " sine" }
        parts.append("\(optimizer.kind == .adam ? "Adam" : "SGD") lr \(formatNumber(optimizer.learningRate))")
        parts.append("batch \(batchSize)")
        parts.append("\(epochs) epoch\(epochs == 1 ? "" : "s")")
        return parts.joined(separator: ", ")
    }

    public func key(dataHash: String?, engineVersion: String) -> String {
        CacheKey.key(for: self, format: CacheKey.mlpFormatVersion, data: dataHash ?? "", engine: engineVersion)
    }

    /// Estimated core-seconds on data of `shape`: multiply-adds of the forward and
    /// backward passes and the per-epoch evaluation of every split, a per-layer cost
    /// of each optimisation step (what dominates at batch 1), and a fixed cost for the
    /// decision grid and the result. Calibrated on the default study on this machine
    /// (2026-12: the base run took 2.3 s, batch 1 1.2 s, width 64 14.6 s; every Part 6
    /// run's estimate is within 1.5x of its wall time, see `nnreport plan`).
    public func estimatedCost(_ inputs: PlanInputs) -> Double {
        inputs.map.map { estimatedCost($0.shape) } ?? 0
    }

    func estimatedCost(_ shape: MapShape) -> Double {
        let inputs = features == .sine ? 20.0 : 2.0
        let width = Double(width), depth = Double(depth)
        // Batch norm roughly doubles the elementwise work of a narrow layer (measured: +50% at
        // width 16, +110% for the 100-layer net of width 4).
        let normalisation = batchNorm ? depth * 16 * width : 0
        let perSample = inputs * width + max(depth - 1, 0) * (width * width + 12 * width) + width * Double(shape.classCount)
            + normalisation
        let train = Double(shape.splitSizes[0])
        let evaluated = Double(shape.splitSizes.reduce(0, +))
        let steps = (train / Double(batchSize)).rounded(.up) * Double(epochs)
        let multiplyAdds = Double(epochs) * (3 * perSample * train + perSample * evaluated)
        return 0.035e-9 * multiplyAdds + 1.6e-6 * steps * (depth + 1) + 0.5
    }
}

extension StudySettings {
    /// Resolution of stored decision-boundary grids.
    public var decisionGrid: Int { quick ? 60 : 300 }

    /// The base configuration of Part 6.1: depth 6, width 16, Adam lr 0.001, batch 256, 50 epochs.
    ///
    /// Every run stores a decision grid: it costs a fraction of a second, and it makes
    /// the base run of 6.1.2-q1, q3, the (6, 16) grid model and 6.2-q7's baseline one
    /// and the same cached run.
    public var base: MLPRun {
        MLPRun(depth: 6, width: 16, optimizer: .adam(0.001), batchSize: 256, epochs: epochs(50), seed: seeds[0],
               decisionGrid: decisionGrid)
    }
}
