import Images

/// The course's transforms of one face image, computed from one decoded image for
/// the three kinds of model of Part 7.
///
/// - `pretrained`: `ImagePipeline.pretrained(size: S)`: shorter side to
///   `round(S · 256 / 224)`, centre crop `S x S`, ImageNet normalisation.
/// - `scratch`: `ImagePipeline.scratch(size: S)`: resize to `S x S`, values in `0...1`.
/// - `xgboost`: the centre 64x64 crop of the `scratch` image, flattened channel by
///   channel, then row by row (`C, H, W` order): 12,288 values in `0...1`.
/// - `thumbnail`: the `scratch` image as 8-bit RGB, interleaved row by row.
public struct FacePreprocessing: Sendable {
    /// Side of the XGBoost crop.
    public static let xgboostSide = 64
    /// Values per XGBoost feature row: `3 · 64 · 64`.
    public static let xgboostFeatureCount = 3 * xgboostSide * xgboostSide
    /// Version of the arithmetic that turns an image into its views: part of the
    /// Part 7 data hash (`FaceData.contentHash`), so that results cached for views
    /// computed another way are not reused. Bump it when a view's values can change.
    /// 2: 8-bit images are resized in 8 bits as PIL does, and samples are divided by
    /// 255 as `ToTensor` does (torchvision's exact tensors).
    public static let version = 2

    /// `S`: the side of the `pretrained` and `scratch` images.
    public let imageSize: Int
    public let pretrained: ImagePipeline
    public let scratch: ImagePipeline

    /// Fails for an image size below 64, the side of the XGBoost crop; `source`
    /// names the data in the message.
    public init(imageSize: Int, source: String) throws {
        guard imageSize >= Self.xgboostSide else {
            throw DataError(file: source, "image size \(imageSize) is too small: the XGBoost features are the centre "
                + "\(Self.xgboostSide)x\(Self.xgboostSide) crop of the resized image, so the size must be at least \(Self.xgboostSide)")
        }
        self.imageSize = imageSize
        pretrained = .pretrained(size: imageSize)
        scratch = .scratch(size: imageSize)
    }

    /// The transforms of one image.
    public struct Views: Sendable {
        /// `[3, S, S]`, ImageNet-normalised.
        public let pretrained: Image
        /// `[3, S, S]` in `0...1`.
        public let scratch: Image
        /// `S · S · 3` bytes: the `scratch` image quantised, RGB interleaved
        /// (`round(255 · clamp(v, 0, 1))`, as the PNG encoder stores it).
        public let thumbnail: [UInt8]
    }

    /// The views of `image`, a decoded `[3, H, W]` image in `0...1`.
    public func views(of image: Image) -> Views {
        precondition(image.channels == 3, "the face views need an RGB image [3, H, W], got \(image.shape)")
        let small = scratch.apply(image)
        return Views(pretrained: pretrained.apply(image), scratch: small, thumbnail: small.interleavedBytes())
    }

    /// The XGBoost features of a `scratch` view `[3, S, S]`: its centre 64x64 crop
    /// (`C, H, W` order, 12,288 values).
    func xgboostFeatures(ofScratch image: Image) -> Image {
        let side = Self.xgboostSide
        return ImageTransforms.centerCrop(image, height: side, width: side)
    }
}
