import Engine
import Foundation
import Images

/// The real-vs-fake face images of Part 7, split three ways, each image already
/// transformed for every kind of model (see `FacePreprocessing`).
///
/// Built by `SyntheticFaces.generate` (the built-in default) or
/// `FaceDataset.load(folder:...)` (the course's folders). Label 0 is real, 1 is fake.
///
/// Memory: each split holds `2 · N · 3 · S²` floats (`pretrained` and `scratch`),
/// plus the XGBoost rows (shared with `scratch` at `S` = 64) and `N · 3 · S²` bytes
/// of thumbnails: about 220 MB for the course's 2,000 images at 64x64, 2.8 GB at 224x224.
public struct FaceDataset: Sendable {
    public var train: FaceSplit
    public var validation: FaceSplit
    public var test: FaceSplit
    /// `S`: the side of the `pretrained` and `scratch` images.
    public var imageSize: Int
    /// Where the images came from, for the report (a folder path, or
    /// `built-in faces (seed 0, 64x64, flaw strength 1)`).
    public var source: String
    /// SHA-256 of the data: of the files and their names for a folder (see
    /// `load(folder:...)`), of the generated pixels and parameters for the built-in
    /// data. Part of every cached result's key; it does not cover `imageSize`.
    public var contentHash: String
    /// Files left out of a folder because they could not be decoded (only with `skipUnreadable`).
    public var skipped: [SkippedFile]
    /// The strength of the fakes' flaws when the images are the built-in faces; nil for a folder.
    public var builtInStrength: Double?

    /// Class names by label.
    public static let classNames = ["real", "fake"]

    public init(train: FaceSplit, validation: FaceSplit, test: FaceSplit, imageSize: Int, source: String,
                contentHash: String, skipped: [SkippedFile] = []) {
        self.train = train
        self.validation = validation
        self.test = test
        self.imageSize = imageSize
        self.source = source
        self.contentHash = contentHash
        self.skipped = skipped
    }

    /// The splits in the order train, validation, test.
    public var splits: [FaceSplit] { [train, validation, test] }

    /// A file left out of a folder because it could not be read or decoded.
    public struct SkippedFile: Sendable, Equatable {
        public let path: String
        public let reason: String
    }
}

/// The images of one split, in loading order: class 0 first, then class 1.
public struct FaceSplit: Sendable {
    /// `[N, 3, S, S]`: the pretrained-backbone input (ImageNet-normalised).
    public let pretrained: Tensor
    /// `[N, 3, S, S]`: the from-scratch input, in `0...1`.
    public let scratch: Tensor
    /// `[N, 12288]`: the XGBoost input, each row the centre 64x64 crop of the
    /// `scratch` image in `C, H, W` order. At `S` = 64 it shares `scratch`'s storage.
    public let xgboost: Tensor
    /// `N` labels: 0 real, 1 fake.
    public let labels: [Int32]
    /// Display name of each image: its path relative to the data folder, such as
    /// `test/1_fake/00123.png` (the built-in data uses the names `FaceExport` writes).
    public let names: [String]
    /// Each image's `scratch` view as 8-bit RGB, `S · S · 3` bytes interleaved row by
    /// row, for showing samples without the original files.
    public let thumbnails: [[UInt8]]
    /// `S`.
    public let imageSize: Int

    /// Stacks the views of each image (all from one `preprocessing`).
    init(views: [FacePreprocessing.Views], labels: [Int32], names: [String], preprocessing: FacePreprocessing) {
        precondition(views.count == labels.count && labels.count == names.count, "one label and name per image")
        let size = preprocessing.imageSize
        pretrained = Tensor(stacking: views.map(\.pretrained), shape: [3, size, size])
        scratch = Tensor(stacking: views.map(\.scratch), shape: [3, size, size])
        if size == FacePreprocessing.xgboostSide {
            xgboost = scratch.reshaped([views.count, FacePreprocessing.xgboostFeatureCount])
        } else {
            xgboost = Tensor(stacking: views.map { preprocessing.xgboostFeatures(ofScratch: $0.scratch) },
                             shape: [FacePreprocessing.xgboostFeatureCount])
                .reshaped([views.count, FacePreprocessing.xgboostFeatureCount])
        }
        thumbnails = views.map(\.thumbnail)
        self.labels = labels
        self.names = names
        imageSize = size
    }

    /// Number of images.
    public var count: Int { labels.count }

    /// Number of real and of fake images.
    public var classCounts: [Int] {
        let fake = labels.reduce(0) { $0 + Int($1) }
        return [count - fake, fake]
    }

    /// Image `index`'s thumbnail as a PNG file's bytes.
    public func thumbnailPNG(_ index: Int) throws -> Data {
        try PNG.rgbWriter(width: imageSize, height: imageSize, rgb: thumbnails[index])
    }
}
