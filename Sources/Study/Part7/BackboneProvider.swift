import Datasets
import Engine
import Foundation
import Support
import Vision

/// The source task our own backbone is pretrained on: labelled images in the
/// pretrained view (ImageNet-normalised), with a name per class.
public struct SourceTask: Sendable {
    public var train: LabeledData
    public var validation: LabeledData
    public var classNames: [String]

    public init(train: LabeledData, validation: LabeledData, classNames: [String]) {
        self.train = train
        self.validation = validation
        self.classNames = classNames
    }
}

extension BackboneSource {
    /// The identity the runs that use this backbone carry in their configs, computed
    /// without pretraining anything: the SHA-256 of a weights file, or the cache key
    /// of the pretraining run.
    public func identity() throws -> String {
        switch self {
        case .weightsFile(let path):
            "weights:" + SHA256.hex(try BackboneProvider.readWeights(path))
        case .synthetic(let config):
            "synthetic:" + BackboneProvider.key(for: config)
        }
    }
}

/// Loads the pretrained backbone: from a weights file, from the cache, or by
/// pretraining it once on the synthetic source task and caching the weights.
public enum BackboneProvider {
    /// Reads and checks a torchvision/timm ResNet18 state dict. Errors name the file and the tensor.
    public static func load(weightsFile path: String) throws -> PretrainedBackbone {
        let bytes = try readWeights(path)
        do {
            let file = try SafeTensors(bytes: [UInt8](bytes), source: path)
            let dict = try StateDict(file)
            let backbone = StateDict(entries: dict.entries.filter { !$0.name.hasPrefix("fc.") })
            var rng = RNG(seed: 0)
            // Checks every backbone tensor's presence and shape now, not in the middle of the study.
            _ = try ResNet18(classCount: 1, rng: &rng).loadStateDict(backbone, strict: true, excludingPrefixes: ["fc."])
            let hash = SHA256.hex(bytes)
            let name = (path as NSString).lastPathComponent
            return PretrainedBackbone(
                identity: "weights:" + hash,
                description: "ResNet18 weights from \(name) (sha256 \(hash.prefix(12))), as given by --weights",
                weights: backbone, pretraining: nil)
        } catch let error as StateDictError {
            throw DataError(file: path, "is not a ResNet18 state dict: \(error.description)")
        }
    }

    /// Our own backbone for `config`: from the cache when its weights are there,
    /// else pretrained on `sourceTask()` and stored (weights first, then the record,
    /// both atomically, so a record in the cache always has its weights).
    public static func synthetic(_ config: BackbonePretraining, cache: ResultCache, force: Bool = false,
                                 sourceTask: () throws -> SourceTask,
                                 onIteration: @escaping (Int) -> Void = { _ in }) throws -> PretrainedBackbone {
        let key = key(for: config)
        let weightsURL = weightsURL(key: key, cache: cache)
        if !force, let record = cache.load(BackboneResult.self, key: key),
           let weights = try? StateDict(contentsOfFile: weightsURL.path) {
            return backbone(record, weights: weights)
        }
        let started = DispatchTime.now().uptimeNanoseconds
        let task = try sourceTask()
        let (model, history) = try FaceNetworkTraining.pretrain(config, train: task.train, validation: task.validation,
                                                               classCount: task.classNames.count, onIteration: onIteration)
        if let divergence = history.divergence {
            throw StudyError.invalidOption(
                "pretraining the backbone diverged at epoch \(divergence.epoch), iteration \(divergence.iteration); "
                    + "pass ImageNet weights with --weights")
        }
        let weights = StateDict(entries: model.stateDict().entries.filter { !$0.name.hasPrefix("fc.") })
        try AtomicFile.write(Data(try weights.encoded(metadata: ["pretraining": config.summary])), to: weightsURL)
        let record = BackboneResult(
            key: key, config: config, engineVersion: EngineVersion.current, classNames: task.classNames, history: history,
            wallSeconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9,
            finishedAt: ISO8601DateFormatter().string(from: Date()))
        try cache.store(record)
        return backbone(record, weights: weights)
    }

    /// The cached pretraining record for `config`, if any (for the report).
    public static func cachedRecord(_ config: BackbonePretraining, cache: ResultCache) -> BackboneResult? {
        cache.load(BackboneResult.self, key: key(for: config))
    }

    static func backbone(_ record: BackboneResult, weights: StateDict) -> PretrainedBackbone {
        PretrainedBackbone(identity: "synthetic:" + record.key, description: describe(record), weights: weights,
                           pretraining: record)
    }

    /// One sentence on our own backbone, with its measured source-task accuracy.
    public static func describe(_ record: BackboneResult) -> String {
        let accuracy = record.history.epochs.last?.validation.map { String(format: "%.3f", $0.accuracy) } ?? "?"
        return "our own ResNet18, pretrained on \(record.config.trainImages) synthetic images of \(record.classNames.count) "
            + "shape and texture classes (validation accuracy \(accuracy) after \(record.config.epochs) "
            + "epoch\(record.config.epochs == 1 ? "" : "s")); no ImageNet weights were given (--weights)"
    }

    static func key(for config: BackbonePretraining) -> String {
        struct Material: Encodable {
            var format: Int
            var kind = "backbone"
            var engine: String
            var config: BackbonePretraining
        }
        return CacheKey.hash(Material(format: CacheKey.formatVersion, engine: EngineVersion.current, config: config))
    }

    static func weightsURL(key: String, cache: ResultCache) -> URL {
        cache.directory.appendingPathComponent("backbones", isDirectory: true).appendingPathComponent("\(key).safetensors")
    }

    static func readWeights(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataError(file: path, "cannot be read: \((error as NSError).localizedDescription)")
        }
    }
}
