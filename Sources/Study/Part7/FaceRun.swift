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

/// A Part 7 run: everything that determines its numbers, given the face data and
/// (for methods that use it) the pretrained backbone, identified by `backbone`.
/// One config type for the three kinds of Part 7 run (ResNet18, XGBoost, logistic
/// regression), so that a question can compare them side by side.
///
/// Fields a method does not use are left at zero, so equal runs get equal keys.
public struct FaceRun: RunSpec {
    public typealias Outcome = FaceOutcome
    public typealias Aggregate = FaceAggregate

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
    /// Training images a network evaluates after training for its train accuracy,
    /// spread evenly over the training split (``LabeledData/evenlySpaced(_:)``; the
    /// whole split when it is smaller). Nil for XGBoost and logistic regression, which
    /// score every training image at no cost, and in runs cached before it existed
    /// (which evaluated every training image; nil is not encoded, so their keys stay).
    public var trainEvaluationImages: Int?

    /// As many training images as the built-in test split has: a full pass over the
    /// 1,400 training images cost 3.6 s of a run's 18 (2026-12-05, engine 0.4.0), for a
    /// number only the results table and the generalisation-gap sentence use.
    public static let defaultTrainEvaluationImages = 400

    public static func network(_ method: FaceMethod, learningRate: Double, batchSize: Int = 32, epochs: Int = 1,
                               backbone: String?, seed: UInt64,
                               trainEvaluationImages: Int? = defaultTrainEvaluationImages) -> FaceRun {
        FaceRun(method: method, learningRate: learningRate, batchSize: batchSize, epochs: epochs, rounds: 0,
                regularization: 0, backbone: method.usesBackbone ? backbone : nil, seed: seed,
                trainEvaluationImages: trainEvaluationImages)
    }

    public static func xgboost(learningRate: Double, rounds: Int = 100, seed: UInt64) -> FaceRun {
        FaceRun(method: .xgboost, learningRate: learningRate, batchSize: 0, epochs: 0, rounds: rounds,
                regularization: 0, backbone: nil, seed: seed)
    }

    public static func logisticRegression(regularization: Double = 1, backbone: String?, seed: UInt64) -> FaceRun {
        FaceRun(method: .logisticRegression, learningRate: 0, batchSize: 0, epochs: 0, rounds: 0,
                regularization: regularization, backbone: backbone, seed: seed)
    }

    public static var part: StudyPart { .seven }

    public var kind: UnitKind {
        switch method {
        case .xgboost: .xgboost
        case .logisticRegression: .logisticRegression
        case .probe: .probe
        case .scratch, .finetune: .resnet
        }
    }

    public func withSeed(_ seed: UInt64) -> FaceRun {
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

    public func key(dataHash: String?, engineVersion: String) -> String {
        CacheKey.key(for: self, part: 7, data: dataHash ?? "", engine: engineVersion)
    }

    /// Estimated core-seconds on images of `shape`, from image passes (a training step
    /// on an image costs three, an evaluation one; see ``ResNetPass``) and XGBoost's
    /// 1.6 core-seconds per round on 1,400 images (2026-12-04, this machine: 7.8-8.3 s
    /// on two cores at 10 rounds).
    public func estimatedCost(_ inputs: PlanInputs) -> Double {
        inputs.faces.map { estimatedCost($0.shape) } ?? 0
    }

    /// A run that starts from our own pretrained backbone needs its pretraining first.
    public func dependencies(_ inputs: PlanInputs) -> [any RunSpec] {
        guard method.usesBackbone, let pretraining = inputs.faces?.pretraining, backbone == pretraining.identity else { return [] }
        return [pretraining]
    }

    func estimatedCost(_ shape: FaceShape) -> Double {
        let train = Double(shape.splitSizes[0]), all = Double(shape.splitSizes.reduce(0, +))
        let pass = ResNetPass.coreSeconds(imageSize: shape.imageSize)
        switch method {
        case .scratch, .finetune:
            let evaluated = all - train + min(train, Double(trainEvaluationImages ?? shape.splitSizes[0]))
            return pass * Double(epochs) * (train * 3 + evaluated)
        case .probe:
            return pass * 0.05 * all
        case .logisticRegression:
            return pass * 0.02 * all
        case .xgboost:
            return 1.6 * Double(rounds) * train / 1_400
        }
    }

    /// Optimisation steps of a network run (1 for the others, which report no iterations).
    func iterations(trainImages: Int) -> Int {
        guard method.isNetwork, batchSize > 0 else { return 1 }
        return epochs * ((trainImages + batchSize - 1) / batchSize)
    }
}

extension StudySettings {
    /// Learning rates of the three network methods.
    public static let networkLearningRates: [Double] = [0.1, 0.01, 0.001, 0.0001, 0.00001]
    /// Learning rates (eta) of XGBoost.
    public static let xgboostLearningRates: [Double] = [0.1, 0.01, 0.00001]

    /// The network run of `method` at `learningRate`, for the first seed.
    public func network(_ method: FaceMethod, learningRate: Double) -> FaceRun {
        .network(method, learningRate: learningRate, epochs: faceEpochs, backbone: backbone, seed: seeds[0])
    }
}

/// What one image's pass through ResNet18 (forward, or one third of a training step)
/// costs, for the plan's estimates: 2.9 ms of one core at 64x64, growing as the
/// side to the power 1.8 (engine 0.4.0, 2026-12-05, this machine, one core per run:
/// 17.4-18.5 s for a run of 6,200 passes at 64x64; `nnreport bench resnet18` on two
/// cores does 9.5 times fewer images a second at 224x224 than at 64x64).
enum ResNetPass {
    static func coreSeconds(imageSize: Int) -> Double { 0.0029 * pow(Double(imageSize) / 64, 1.8) }

    /// A unit on every core does ~10% less per core (`nnreport bench resnet18`: 211-214
    /// training images/s on two cores, 118-123 on one; the backbone took 65 s on two
    /// cores, 2026-12-05, against 56 s for its 38,400 passes at one core's rate per core).
    static let everyCoreOverhead = 1.1
}
