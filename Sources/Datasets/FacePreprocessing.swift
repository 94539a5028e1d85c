import Engine
import Vision

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
        public let pretrained: Tensor
        /// `[3, S, S]` in `0...1`.
        public let scratch: Tensor
        /// `S · S · 3` bytes: the `scratch` image quantised, RGB interleaved.
        public let thumbnail: [UInt8]
    }

    /// The views of `image`, a decoded `[3, H, W]` image in `0...1`.
    public func views(of image: Tensor) -> Views {
        let small = scratch.apply(image)
        return Views(pretrained: pretrained.apply(image), scratch: small, thumbnail: rgbBytes(small))
    }

    /// The XGBoost features of a `scratch` view `[3, S, S]`: its centre 64x64 crop.
    func xgboostFeatures(ofScratch image: Tensor) -> Tensor {
        let side = Self.xgboostSide
        return ImageTransforms.centerCrop(image, height: side, width: side).reshaped([Self.xgboostFeatureCount])
    }
}

/// Interleaved 8-bit RGB of a `[3, H, W]` image in `0...1`: `round(255 · clamp(v, 0, 1))`,
/// as Vision's PNG encoder stores it.
func rgbBytes(_ image: Tensor) -> [UInt8] {
    precondition(image.rank == 3 && image.shape[0] == 3, "rgbBytes needs [3, H, W], got \(image.shape)")
    let plane = image.shape[1] * image.shape[2]
    var bytes = [UInt8](repeating: 0, count: 3 * plane)
    image.withUnsafeBufferPointer { values in
        for channel in 0..<3 {
            for pixel in 0..<plane {
                let value = values[channel * plane + pixel]
                bytes[3 * pixel + channel] = UInt8(((value.isNaN ? 0 : min(max(value, 0), 1)) * 255).rounded())
            }
        }
    }
    return bytes
}
