import Engine
import Images

// Images knows nothing of Engine: the data sets turn its images into tensors here,
// copying the floats unchanged.

extension Tensor {
    /// The image as a `[C, H, W]` tensor.
    public init(_ image: Image) {
        self.init(shape: image.shape, values: image.pixels)
    }

    /// The batch as an `[N, C, H, W]` tensor.
    public init(_ batch: ImageBatch) {
        self.init(shape: batch.shape, values: batch.pixels)
    }

    /// `[images.count] + shape`: the images, each of `shape` values, one after another.
    init(stacking images: [Image], shape: [Int]) {
        let size = shape.reduce(1, *)
        self.init(zeros: [images.count] + shape)
        withUnsafeMutableBufferPointer { target in
            for (index, image) in images.enumerated() {
                precondition(image.pixels.count == size, "stacking \(image.shape) as \(shape)")
                image.pixels.withUnsafeBufferPointer { source in
                    (target.baseAddress! + index * size).update(from: source.baseAddress!, count: size)
                }
            }
        }
    }
}

extension ImageTransforms {
    /// torchvision's `Normalize(mean, std)` on every image of a batch `[N, C, H, W]`
    /// (or on one image `[C, H, W]`): `(x[c] - mean[c]) / std[c]` per channel, the
    /// arithmetic of `normalize(_: Image, mean:std:)`.
    public static func normalize(_ images: Tensor, mean: [Float] = imageNetMean, std: [Float] = imageNetStd) -> Tensor {
        var result = images
        normalizeInPlace(&result, mean: mean, std: std)
        return result
    }

    /// `normalize(_:mean:std:)` on the tensor itself: no copy when `images` is the only
    /// owner of its values (a batch of large images need not exist twice).
    public static func normalizeInPlace(_ images: inout Tensor, mean: [Float] = imageNetMean, std: [Float] = imageNetStd) {
        precondition(images.rank == 3 || images.rank == 4, "normalize needs [C, H, W] or [N, C, H, W], got \(images.shape)")
        let channels = images.shape[images.rank - 3]
        let plane = images.shape[images.rank - 2] * images.shape[images.rank - 1]
        images.withUnsafeMutableBufferPointer { values in
            normalize(values, channels: channels, planeSize: plane, mean: mean, std: std)
        }
    }
}
