import Datasets
import Engine
import Foundation
import Vision

/// How our own backbone is pretrained when no ImageNet weights are given: ResNet18
/// with a softmax head, trained with Adam on a multi-class synthetic image task
/// that has nothing to do with faces.
public struct BackbonePretraining: Codable, Hashable, Sendable {
    public var trainImages: Int
    public var validationImages: Int
    public var imageSize: Int
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var seed: UInt64

    /// The default: 6,000 training images for 2 epochs.
    public static func standard(imageSize: Int, seed: UInt64) -> BackbonePretraining {
        BackbonePretraining(trainImages: 6_000, validationImages: 600, imageSize: imageSize, epochs: 2,
                            batchSize: 32, learningRate: 0.001, seed: seed)
    }

    /// The `--quick` preset: a few hundred images, one epoch.
    public static func quick(imageSize: Int, seed: UInt64) -> BackbonePretraining {
        BackbonePretraining(trainImages: 192, validationImages: 64, imageSize: imageSize, epochs: 1,
                            batchSize: 32, learningRate: 0.001, seed: seed)
    }

    public var summary: String {
        "ResNet18 pretrained on \(trainImages) synthetic \(imageSize)x\(imageSize) images, Adam lr \(formatNumber(learningRate)), batch \(batchSize), \(epochs) epoch\(epochs == 1 ? "" : "s")"
    }
}

/// The record of a pretraining run, stored in the cache beside its weights.
public struct BackboneResult: Codable, Equatable, Sendable, CacheEntry {
    public var key: String
    public var config: BackbonePretraining
    public var engineVersion: String
    public var classNames: [String]
    public var history: TrainingHistory
    public var wallSeconds: Double
    public var finishedAt: String
}

/// Where the pretrained backbone comes from.
public enum BackboneSource: Sendable, Equatable {
    /// A torchvision/timm ResNet18 state dict in a safetensors file (`--weights`).
    case weightsFile(String)
    /// Our own backbone, pretrained (once, then cached) on the synthetic source task.
    case synthetic(BackbonePretraining)
}

/// A pretrained ResNet18 backbone: its weights (every tensor but the final layer's),
/// a stable identity for cache keys, and what the report says about it.
public final class PretrainedBackbone: @unchecked Sendable {
    /// `weights:<sha256 of the file>` or `synthetic:<pretraining key>`: part of the config of every run that uses it.
    public let identity: String
    /// One sentence for the report: which backbone this is.
    public let description: String
    /// The tensors of the backbone, without `fc.*`.
    public let weights: StateDict
    /// The pretraining record, for our own backbone.
    public let pretraining: BackboneResult?

    private let lock = NSLock()
    private var featureCache: [String: FaceFeatures] = [:]

    init(identity: String, description: String, weights: StateDict, pretraining: BackboneResult?) {
        self.identity = identity
        self.description = description
        self.weights = weights
        self.pretraining = pretraining
    }

    /// A ResNet18 with these backbone weights and a fresh `Linear(512, classes)` head drawn from `rng`.
    public func makeModel(classCount: Int, rng: inout RNG) throws -> ResNet18 {
        let model = try ResNet18(classCount: classCount, rng: &rng)
        try model.loadStateDict(weights, strict: true, excludingPrefixes: ["fc."])
        return model
    }

    /// The 512-d pooled features of every image of `data` (pretrained view), computed
    /// once in inference mode: what a frozen backbone feeds its final layer.
    func features(of data: FaceStudyData) throws -> FaceFeatures {
        lock.lock()
        defer { lock.unlock() }
        if let cached = featureCache[data.contentHash] { return cached }
        var rng = RNG(seed: 0)
        let model = try makeModel(classCount: 1, rng: &rng)
        func extract(_ views: FaceNetworkViews) throws -> LabeledData {
            try LabeledData(features: model.extractFeatures(views.pretrained.features, batchSize: 64),
                            labels: views.pretrained.labels, classCount: 2)
        }
        let features = FaceFeatures(train: try extract(data.train), validation: try extract(data.validation),
                                    test: try extract(data.test))
        featureCache[data.contentHash] = features
        return features
    }
}

/// The frozen backbone's features of the three splits.
struct FaceFeatures: Sendable {
    let train: LabeledData
    let validation: LabeledData
    let test: LabeledData
}

extension BackbonePretraining {
    /// Cost of the pretraining in the progress bar's units (image passes) and its number of steps.
    public var estimatedCost: (work: Double, iterations: Int) {
        let scale = pow(Double(imageSize) / 64, 2)
        let work = scale * Double(epochs) * (Double(trainImages) * 3 + 2 * Double(validationImages))
        return (work, epochs * ((trainImages + batchSize - 1) / batchSize))
    }
}
