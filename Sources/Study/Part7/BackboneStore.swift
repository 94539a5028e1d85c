import Datasets
import Engine
import Foundation
import Support
import Vision

/// Where the pretrained backbone comes from.
public enum BackboneSource: Sendable, Equatable {
    /// A torchvision/timm ResNet18 state dict in a safetensors file or a PyTorch
    /// checkpoint (`.pth`) (`--weights`).
    case weightsFile(String)
    /// Our own backbone, pretrained (once, then cached) on the synthetic source task.
    case synthetic(BackbonePretraining)

    /// The weights file when `options` name one, else our own pretraining (the quick
    /// preset in quick mode).
    public init(_ options: StudyOptions) {
        if let weights = options.weights {
            self = .weightsFile(weights)
        } else {
            self = .synthetic(options.quick ? .quick(imageSize: options.imageSize, seed: options.seed)
                                            : .standard(imageSize: options.imageSize, seed: options.seed))
        }
    }
}

/// Pretrained backbones on disk: torchvision/timm weights files, and the weights our
/// own pretraining units leave in the cache.
public enum BackboneStore {
    /// Reads and checks a torchvision/timm ResNet18 state dict. Errors name the file and the tensor.
    public static func load(weightsFile path: String) throws -> PretrainedBackbone {
        let bytes = try readWeights(path)
        do {
            let dict = try StateDict(weightsFile: [UInt8](bytes), source: path)
            let backbone = StateDict(entries: dict.entries.filter { !$0.name.hasPrefix("fc.") })
            var rng = RNG(seed: 0)
            // Checks every backbone tensor's presence and shape now, not in the middle of the study.
            _ = try ResNet18(classCount: 1, rng: &rng).loadStateDict(backbone, strict: true, excludingPrefixes: ["fc."])
            return PretrainedBackbone(identity: "weights:" + SHA256.hex(bytes), weights: backbone)
        } catch let error as StateDictError {
            throw DataError(file: path, "is not a ResNet18 state dict: \(error.description)")
        }
    }

    /// Our own backbone of `config`, from the weights its pretraining unit cached.
    public static func load(_ config: BackbonePretraining, cache: ResultCache) throws -> PretrainedBackbone {
        let key = config.key(dataHash: nil, engineVersion: EngineVersion.current)
        let url = weightsURL(key: key, cache: cache)
        guard cache.load(RunResult<BackbonePretraining>.self, key: key) != nil,
              let weights = try? StateDict(contentsOfFile: url.path) else {
            throw StudyError.unavailable("the pretrained backbone \(key.prefix(12)) is not in the cache \(cache.directory.path); "
                                         + "its pretraining unit must run first")
        }
        return PretrainedBackbone(identity: config.identity, weights: weights)
    }

    /// One sentence on our own backbone, with its measured source-task accuracy.
    public static func describe(_ record: RunResult<BackbonePretraining>) -> String {
        let accuracy = record.history.epochs.last?.validation.map { String(format: "%.3f", $0.accuracy) } ?? "?"
        let classes = record.config.sourceTask == nil ? "shape and texture classes"
            : "classes (shapes and textures, and the hair colour and accessory of portraits)"
        return "our own ResNet18, pretrained on \(record.config.trainImages.thousandsSeparated) synthetic images of \(record.classNames.count) "
            + classes + " (validation accuracy \(accuracy) after \(record.config.epochs) "
            + "epoch\(record.config.epochs == 1 ? "" : "s")); no ImageNet weights were given (--weights)"
    }

    /// One sentence on a weights file the user gave.
    public static func describe(weightsFile name: String, identity: String) -> String {
        let hash = identity.hasPrefix("weights:") ? String(identity.dropFirst("weights:".count).prefix(12)) : "?"
        return "ResNet18 weights from \(name) (sha256 \(hash)), as given by --weights"
    }

    static func weightsURL(key: String, cache: ResultCache) -> URL {
        cache.directory.appendingPathComponent("backbones", isDirectory: true).appendingPathComponent("\(key).safetensors")
    }

    static func readWeights(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataError(file: path, "cannot be read: \(FileProblem.reason(of: error))")
        }
    }
}
