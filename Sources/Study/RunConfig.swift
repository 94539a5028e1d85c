import Engine

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

/// Everything that determines one training run's numbers, given the data.
///
/// Two runs with equal configs on equal data give bit-identical results, so the
/// config (with the data hash and engine version) is the run's cache key.
public struct RunConfig: Codable, Hashable, Sendable {
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

    /// The network this config trains on data with `classCount` classes.
    public func model(classCount: Int) -> MLPConfig {
        MLPConfig(inputFeatures: features == .sine ? 2 * 10 : 2, classCount: classCount, depth: depth, width: width,
                  batchNorm: batchNorm, residual: residual)
    }

    /// The same run with another seed.
    public func withSeed(_ seed: UInt64) -> RunConfig {
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
}

/// `0.001`, `1e-05` → `0.00001`, `1`: a learning rate as a reader writes it.
public func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    var text = String(format: "%.10f", value)
    while text.hasSuffix("0") { text.removeLast() }
    return text
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
