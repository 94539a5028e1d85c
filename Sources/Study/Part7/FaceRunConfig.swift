import Datasets
import Engine
import Foundation

/// How a Part 7 run learns to tell real from fake faces.
public enum FaceMethod: String, Codable, Hashable, Sendable, CaseIterable {
    /// Gradient-boosted trees (XGBoost) on the flattened 64x64 centre crop.
    case xgboost
    /// ResNet18 from random weights.
    case scratch
    /// Linear probing: the pretrained backbone frozen in eval mode, only the final layer trained.
    case probe
    /// L2-regularised logistic regression (LIBLINEAR) on the frozen backbone's 512-d features.
    case logisticRegression = "logreg"
    /// Every weight trained, starting from the pretrained backbone.
    case finetune

    /// Whether the method starts from the pretrained backbone.
    public var usesBackbone: Bool { self == .probe || self == .logisticRegression || self == .finetune }

    /// Whether the method is a network trained by gradient descent (with a history per epoch).
    public var isNetwork: Bool { self == .scratch || self == .probe || self == .finetune }

    /// Display name: `XGBoost`, `ResNet18 from scratch`, ...
    public var displayName: String {
        switch self {
        case .xgboost: "XGBoost"
        case .scratch: "ResNet18 from scratch"
        case .probe: "Linear probing"
        case .logisticRegression: "Logistic regression"
        case .finetune: "Fine-tuning"
        }
    }
}

/// Everything that determines one Part 7 run's numbers, given the face data and
/// (for methods that use it) the pretrained backbone, identified by `backbone`.
///
/// Fields a method does not use are left at zero, so equal runs get equal keys.
public struct FaceRunConfig: Codable, Hashable, Sendable {
    public var method: FaceMethod
    /// Adam's learning rate (networks) or XGBoost's eta; 0 for logistic regression.
    public var learningRate: Double
    /// Mini-batch size and epochs of the networks.
    public var batchSize: Int
    public var epochs: Int
    /// Boosting rounds of XGBoost.
    public var rounds: Int
    /// Inverse regularisation strength C of logistic regression.
    public var regularization: Double
    /// Identity of the pretrained backbone (`synthetic:<key>` or `weights:<sha256>`), nil when unused.
    public var backbone: String?
    public var seed: UInt64

    public static func network(_ method: FaceMethod, learningRate: Double, batchSize: Int = 32, epochs: Int = 1,
                               backbone: String?, seed: UInt64) -> FaceRunConfig {
        FaceRunConfig(method: method, learningRate: learningRate, batchSize: batchSize, epochs: epochs, rounds: 0,
                      regularization: 0, backbone: method.usesBackbone ? backbone : nil, seed: seed)
    }

    public static func xgboost(learningRate: Double, rounds: Int = 100, seed: UInt64) -> FaceRunConfig {
        FaceRunConfig(method: .xgboost, learningRate: learningRate, batchSize: 0, epochs: 0, rounds: rounds,
                      regularization: 0, backbone: nil, seed: seed)
    }

    public static func logisticRegression(regularization: Double = 1, backbone: String?, seed: UInt64) -> FaceRunConfig {
        FaceRunConfig(method: .logisticRegression, learningRate: 0, batchSize: 0, epochs: 0, rounds: 0,
                      regularization: regularization, backbone: backbone, seed: seed)
    }

    /// The same run with another seed.
    public func withSeed(_ seed: UInt64) -> FaceRunConfig {
        var copy = self
        copy.seed = seed
        return copy
    }

    /// Short description: `Fine-tuning, Adam lr 0.001, batch 32, 1 epoch`.
    public var summary: String {
        switch method {
        case .xgboost: "XGBoost, eta \(formatNumber(learningRate)), \(rounds) rounds"
        case .logisticRegression: "Logistic regression, C \(formatNumber(regularization))"
        case .scratch, .probe, .finetune:
            "\(method.displayName), Adam lr \(formatNumber(learningRate)), batch \(batchSize), \(epochs) epoch\(epochs == 1 ? "" : "s")"
        }
    }
}

extension CacheKey {
    private struct FaceMaterial: Encodable {
        var format: Int
        var part = 7
        var engine: String
        var data: String
        var config: FaceRunConfig
    }

    /// The content address of a Part 7 run (see `key(for:dataHash:engineVersion:)`).
    public static func key(for config: FaceRunConfig, dataHash: String, engineVersion: String = EngineVersion.current) -> String {
        hash(FaceMaterial(format: formatVersion, engine: engineVersion, data: dataHash, config: config))
    }
}
