import Datasets
import Engine
import Foundation
import Support
import Vision

/// How our own backbone is pretrained when no ImageNet weights are given: ResNet18
/// with a softmax head, trained with Adam on a multi-class synthetic image task
/// that has nothing to do with faces. A unit of the plan that the probing, logistic
/// regression and fine-tuning units depend on; its weights are cached under
/// `<cache>/backbones/<key>.safetensors` beside its record.
public struct BackbonePretraining: RunSpec {
    public typealias Outcome = BackboneOutcome
    public typealias Aggregate = BackboneOutcome.NoAggregate

    public var trainImages: Int
    public var validationImages: Int
    public var imageSize: Int
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var seed: UInt64
    /// The version of the source task (`SyntheticShapes.version`); nil in records written
    /// before it was recorded, when the task had the ten shape classes only.
    public var sourceTask: String?

    /// The default: 9,000 training images for one epoch (measured against 6,000 for two,
    /// 2026-12-05, engine 0.4.0: the same transfer over three seeds, fine-tuning 0.698
    /// against 0.697 and probing 0.618 against 0.612, in 47.5 s instead of 65 s; 6,000
    /// for one epoch had dropped fine-tuning to 0.642).
    public static func standard(imageSize: Int, seed: UInt64) -> BackbonePretraining {
        BackbonePretraining(trainImages: 9_000, validationImages: 600, imageSize: imageSize, epochs: 1,
                            batchSize: 32, learningRate: 0.001, seed: seed, sourceTask: SyntheticShapes.version)
    }

    /// The `--quick` preset: a few hundred images, one epoch.
    public static func quick(imageSize: Int, seed: UInt64) -> BackbonePretraining {
        BackbonePretraining(trainImages: 192, validationImages: 64, imageSize: imageSize, epochs: 1,
                            batchSize: 32, learningRate: 0.001, seed: seed, sourceTask: SyntheticShapes.version)
    }

    public static var part: StudyPart { .seven }
    /// The source task's images are generated from the config itself.
    public static var trainsOnPartData: Bool { false }
    public var kind: UnitKind { .backbone }

    public func withSeed(_ seed: UInt64) -> BackbonePretraining {
        var copy = self
        copy.seed = seed
        return copy
    }

    public var summary: String {
        "ResNet18 pretrained on \(trainImages.thousandsSeparated) synthetic \(imageSize)x\(imageSize) images, Adam lr \(formatNumber(learningRate)), batch \(batchSize), \(epochs) epoch\(epochs == 1 ? "" : "s")"
    }

    /// The key depends on the config alone: the source task's images are generated from it.
    public func key(dataHash: String?, engineVersion: String) -> String {
        CacheKey.key(for: self, kind: "backbone", data: nil, engine: engineVersion)
    }

    /// The identity that the runs using this backbone carry in their configs.
    public var identity: String { "synthetic:" + key(dataHash: nil, engineVersion: EngineVersion.current) }

    /// Estimated core-seconds: image passes of training, and of evaluating as many
    /// training as validation images, on every core (see ``ResNetPass``; 2026-12-04,
    /// this machine: the default took 71 s on 2 cores).
    public func estimatedCost(_ inputs: PlanInputs) -> Double { estimatedCost }

    var estimatedCost: Double {
        ResNetPass.coreSeconds(imageSize: imageSize) * ResNetPass.everyCoreOverhead
            * Double(epochs) * (Double(trainImages) * 3 + 2 * Double(validationImages))
    }

    public static func aggregate(_ results: [RunResult<BackbonePretraining>]) -> BackboneOutcome.NoAggregate { .init() }
}

/// What the pretraining computed besides its weights: the source task's classes and
/// the training history.
public struct BackboneOutcome: RunOutcome {
    public var classNames: [String]
    public var history: TrainingHistory

    public var divergence: Divergence? { history.divergence }

    public var status: String {
        String(format: "source-task val acc %.3f", history.epochs.last?.validation?.accuracy ?? 0)
    }

    /// The pretraining is never repeated over seeds within a plan: nothing to aggregate.
    public struct NoAggregate: Codable, Equatable, Sendable {}
}

/// A pretrained ResNet18 backbone: its weights (every tensor but the final layer's),
/// a stable identity for cache keys, and what the report says about it.
public final class PretrainedBackbone: @unchecked Sendable {
    /// `weights:<sha256 of the file>` or `synthetic:<pretraining key>`: part of the config of every run that uses it.
    public let identity: String
    /// The tensors of the backbone, without `fc.*`.
    public let weights: StateDict

    private let lock = NSLock()
    private var featureCache: [String: FaceFeatures] = [:]

    init(identity: String, weights: StateDict) {
        self.identity = identity
        self.weights = weights
    }

    /// A ResNet18 with these backbone weights and a fresh `Linear(512, classes)` head
    /// drawn from `rng`, whose layers split their work over `cores`.
    public func makeModel(classCount: Int, rng: inout RNG, cores: CoreBudget = .single) throws -> ResNet18 {
        let model = try ResNet18(classCount: classCount, rng: &rng, workspace: ConvolutionWorkspace(cores: cores))
        try model.loadStateDict(weights, strict: true, excludingPrefixes: ["fc."])
        return model
    }

    /// The 512-d pooled features of every image of `data` (pretrained view), computed
    /// once in inference mode: what a frozen backbone feeds its final layer. The first
    /// caller computes them on its cores; the others wait and share them. `seconds` is
    /// the time this call spent computing them (nil when it reused them): shared work,
    /// which the report counts on its own rather than in the caller's time.
    func features(of data: FaceData, cores: CoreBudget) throws -> (features: FaceFeatures, seconds: Double?) {
        lock.lock()
        defer { lock.unlock() }
        if let cached = featureCache[data.contentHash] { return (cached, nil) }
        let start = DispatchTime.now().uptimeNanoseconds
        var rng = RNG(seed: 0)
        let model = try makeModel(classCount: 1, rng: &rng, cores: cores)
        func extract(_ views: FaceNetworkViews) throws -> LabeledData {
            try LabeledData(features: model.extractFeatures(views.pretrained.features, batchSize: 64),
                            labels: views.pretrained.labels, classCount: 2)
        }
        let features = FaceFeatures(train: try extract(data.train), validation: try extract(data.validation),
                                    test: try extract(data.test))
        featureCache[data.contentHash] = features
        return (features, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}

/// The frozen backbone's features of the three splits.
struct FaceFeatures: Sendable {
    let train: LabeledData
    let validation: LabeledData
    let test: LabeledData
}
