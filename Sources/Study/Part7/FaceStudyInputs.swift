import Datasets
import Foundation

/// The Part 7 settings a user can choose (`nnreport run --faces DIR --weights FILE ...`).
public struct FaceOptions: Sendable, Equatable {
    /// Folder in the course's layout; nil for the built-in faces.
    public var directory: String?
    /// torchvision/timm ResNet18 weights (safetensors); nil to pretrain our own backbone.
    public var weights: String?
    /// Side of the images the networks see.
    public var imageSize: Int
    /// Epochs of every network run.
    public var epochs: Int
    /// Artifact strength of the built-in fakes.
    public var strength: Double
    /// Leave out unreadable images of a folder instead of stopping.
    public var skipUnreadable: Bool
    /// Boosting rounds of XGBoost.
    public var xgboostRounds: Int

    public init(directory: String? = nil, weights: String? = nil, imageSize: Int = 64, epochs: Int = 1,
                strength: Double = 1, skipUnreadable: Bool = false, xgboostRounds: Int = FacePlan.defaultXGBoostRounds) {
        self.directory = directory
        self.weights = weights
        self.imageSize = imageSize
        self.epochs = epochs
        self.strength = strength
        self.skipUnreadable = skipUnreadable
        self.xgboostRounds = xgboostRounds
    }
}

extension StudyInputs {
    /// Loads the face folder when given, else generates the built-in faces from `seed`
    /// (at the small size in quick mode).
    public static func faces(_ options: FaceOptions, seed: UInt64, quick: Bool) throws -> FaceDataset {
        if let directory = options.directory {
            return try FaceDataset.load(folder: directory, imageSize: options.imageSize,
                                        skipUnreadable: options.skipUnreadable)
        }
        return try SyntheticFaces.generate(SyntheticFaces.Configuration(
            seed: seed, size: quick ? .quick : .standard, imageSize: options.imageSize, strength: options.strength))
    }

    /// Where the pretrained backbone comes from: the weights file, or our own pretraining.
    public static func backbone(_ options: FaceOptions, seed: UInt64, quick: Bool) -> BackboneSource {
        if let weights = options.weights { return .weightsFile(weights) }
        return .synthetic(quick ? .quick(imageSize: options.imageSize, seed: seed)
                                : .standard(imageSize: options.imageSize, seed: seed))
    }
}
