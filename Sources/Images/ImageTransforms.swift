/// Geometric and photometric transforms of `[C, H, W]` float images (`Image`), with
/// torchvision's semantics (PyTorch semantics are the contract).
public enum ImageTransforms {
    /// ImageNet channel means (torchvision's `Normalize` constants for pretrained models).
    public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
    /// ImageNet channel standard deviations.
    public static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

    /// Bilinear resize to `height x width`, antialiased when shrinking, as PIL's
    /// `Image.resize(..., BILINEAR)` and torchvision's `resize(..., antialias=True)`:
    /// each output pixel averages the input under a triangle filter whose support
    /// is scaled by the shrink factor (`max(1, in/out)`), weights normalised, pixel
    /// centres at `i + 0.5`. Separable: a pass along the rows and one along the
    /// columns, each only when that side changes, in Pillow's order.
    ///
    /// An `isEightBit` image is resized as PIL resizes a `uint8` image, bit for bit:
    /// 22-bit fixed-point weights, each pass's result rounded and clamped to a level
    /// 0...255, so the result is 8-bit too (what `ToTensor` then divides by 255).
    /// Other images are resized in float32 with the same weights.
    public static func resize(_ image: Image, height: Int, width: Int) -> Image {
        precondition(height > 0 && width > 0, "resize needs a positive size, got \(height)x\(width)")
        let from = (height: image.height, width: image.width), to = (height: height, width: width)
        if image.isEightBit {
            let levels = resample(image.levels, channels: image.channels, from: from, to: to, zero: UInt8(0)) {
                $0.apply($1, stride: $2, into: $3, outputStride: $4)
            }
            return Image(channels: image.channels, height: height, width: width, levels: levels)
        }
        let pixels = resample(image.pixels, channels: image.channels, from: from, to: to, zero: Float(0)) {
            $0.apply($1, stride: $2, into: $3, outputStride: $4)
        }
        return Image(channels: image.channels, height: height, width: width, pixels: pixels)
    }

    /// Separable resampling of `channels` planes `[C, H, W]` as Pillow's
    /// `ImagingResampleInner`: one pass along the rows when the width changes, one
    /// along the columns when the height changes, rows first unless the height
    /// shrinks by more than twice as many pixels as the width (Pillow 13's order; up
    /// to 12 rows always came first, which can move an 8-bit result by a level).
    /// `line(filter, source, stride, target, outputStride)` resamples one line.
    private static func resample<Sample>(
        _ planes: [Sample], channels: Int, from: (height: Int, width: Int), to: (height: Int, width: Int), zero: Sample,
        line: (ResamplingFilter, UnsafePointer<Sample>, Int, UnsafeMutablePointer<Sample>, Int) -> Void
    ) -> [Sample] {
        var current = planes
        var size = from
        // One pass: `lines` lines, line `i` read from `offsets(i).source` and written
        // at `offsets(i).target`, both with `stride`.
        func pass(from inputSize: Int, to outputSize: Int, lines: Int, count: Int, stride: Int,
                  offsets: (Int) -> (source: Int, target: Int)) {
            let filter = ResamplingFilter(inputSize: inputSize, outputSize: outputSize)
            var next = [Sample](repeating: zero, count: count)
            current.withUnsafeBufferPointer { source in
                next.withUnsafeMutableBufferPointer { target in
                    for index in 0..<lines {
                        let offset = offsets(index)
                        line(filter, source.baseAddress! + offset.source, stride, target.baseAddress! + offset.target, stride)
                    }
                }
            }
            current = next
        }
        func rows() {
            guard to.width != size.width else { return }
            let height = size.height, width = size.width
            pass(from: width, to: to.width, lines: channels * height, count: channels * height * to.width, stride: 1) {
                ($0 * width, $0 * to.width)
            }
            size.width = to.width
        }
        func columns() {
            guard to.height != size.height else { return }
            let height = size.height, width = size.width
            pass(from: height, to: to.height, lines: channels * width, count: channels * to.height * width, stride: width) {
                let (c, column) = $0.quotientAndRemainder(dividingBy: width)
                return (c * height * width + column, c * to.height * width + column)
            }
            size.height = to.height
        }
        let heightShrink = from.height - to.height, widthShrink = from.width - to.width
        if heightShrink > 0 && heightShrink > 2 * widthShrink {
            columns()
            rows()
        } else {
            rows()
            columns()
        }
        return current
    }

    /// The output size of torchvision's `Resize(size)` with an integer size: the
    /// shorter side becomes `size`, the longer `int(size · long / short)`.
    public static func shorterSideSize(height: Int, width: Int, to size: Int) -> (height: Int, width: Int) {
        let short = min(height, width), long = max(height, width)
        let newLong = Int(Double(size * long) / Double(short))
        return width <= height ? (newLong, size) : (size, newLong)
    }

    /// torchvision's `Resize(size)`: the shorter side scaled to `size`, aspect kept.
    public static func resizeShorterSide(_ image: Image, to size: Int) -> Image {
        precondition(size > 0, "resizeShorterSide needs a positive size, got \(size)")
        let target = shorterSideSize(height: image.height, width: image.width, to: size)
        return resize(image, height: target.height, width: target.width)
    }

    /// torchvision's `CenterCrop((height, width))`: the offsets are
    /// `round((H - h) / 2)` and `round((W - w) / 2)` (Python's round, ties to even);
    /// an image smaller than the crop is first padded with zeros, the extra pixel
    /// of an odd padding going right and bottom.
    public static func centerCrop(_ image: Image, height: Int, width: Int) -> Image {
        precondition(height > 0 && width > 0, "centerCrop needs a positive size, got \(height)x\(width)")
        let channels = image.channels, inHeight = image.height, inWidth = image.width
        // Offsets of the crop window in the (virtually zero-padded) input.
        func offset(_ input: Int, _ crop: Int) -> Int {
            if crop > input { return -((crop - input) / 2) }
            return Int((Double(input - crop) / 2).rounded(.toNearestOrEven))
        }
        let top = offset(inHeight, height), left = offset(inWidth, width)
        var result = Image(channels: channels, height: height, width: width)
        // The zeros of the padding are a level too.
        result.isEightBit = image.isEightBit
        image.pixels.withUnsafeBufferPointer { source in
            result.pixels.withUnsafeMutableBufferPointer { target in
                for c in 0..<channels {
                    for y in 0..<height {
                        let inY = y + top
                        guard inY >= 0 && inY < inHeight else { continue }
                        for x in 0..<width {
                            let inX = x + left
                            guard inX >= 0 && inX < inWidth else { continue }
                            target[(c * height + y) * width + x] = source[(c * inHeight + inY) * inWidth + inX]
                        }
                    }
                }
            }
        }
        return result
    }

    /// torchvision's `Normalize(mean, std)`: `(x[c] - mean[c]) / std[c]` per channel.
    public static func normalize(_ image: Image, mean: [Float] = imageNetMean, std: [Float] = imageNetStd) -> Image {
        var result = image
        result.pixels.withUnsafeMutableBufferPointer { values in
            normalize(values, channels: image.channels, planeSize: image.planeSize, mean: mean, std: std)
        }
        result.isEightBit = false
        return result
    }

    /// `normalize` in place on images stored one after another, as a batch
    /// `[N, C, H, W]` is: `values` holds `N · C · planeSize` floats, `N` whole images
    /// of `channels` planes each; channel `c` of every image becomes
    /// `(x - mean[c]) / std[c]`.
    public static func normalize(_ values: UnsafeMutableBufferPointer<Float>, channels: Int, planeSize: Int,
                                 mean: [Float] = imageNetMean, std: [Float] = imageNetStd) {
        precondition(mean.count == channels && std.count == channels,
                     "normalize needs one mean and std per channel, got \(mean.count) and \(std.count) for \(channels)")
        let imageSize = channels * planeSize
        precondition(imageSize == 0 ? values.isEmpty : values.count % imageSize == 0,
                     "\(values.count) values are not whole images of \(channels) planes of \(planeSize)")
        let images = imageSize == 0 ? 0 : values.count / imageSize
        for n in 0..<images {
            for c in 0..<channels {
                let start = (n * channels + c) * planeSize
                for index in start..<(start + planeSize) { values[index] = (values[index] - mean[c]) / std[c] }
            }
        }
    }
}

/// One resampling step of the transforms applied in order, as torchvision's `Compose`.
public enum ImageTransform: Sendable, Equatable {
    /// `Resize((height, width))`.
    case resize(height: Int, width: Int)
    /// `Resize(size)`: shorter side to `size`.
    case resizeShorterSide(Int)
    /// `CenterCrop((height, width))`.
    case centerCrop(height: Int, width: Int)
    /// `Normalize(mean, std)`.
    case normalize(mean: [Float], std: [Float])

    public func apply(_ image: Image) -> Image {
        switch self {
        case let .resize(height, width): ImageTransforms.resize(image, height: height, width: width)
        case let .resizeShorterSide(size): ImageTransforms.resizeShorterSide(image, to: size)
        case let .centerCrop(height, width): ImageTransforms.centerCrop(image, height: height, width: width)
        case let .normalize(mean, std): ImageTransforms.normalize(image, mean: mean, std: std)
        }
    }
}

/// A list of transforms applied in order.
public struct ImagePipeline: Sendable, Equatable {
    public var steps: [ImageTransform]

    public init(_ steps: [ImageTransform]) {
        self.steps = steps
    }

    public func apply(_ image: Image) -> Image {
        steps.reduce(image) { $1.apply($0) }
    }

    /// The pretrained-backbone preprocessing of the study: shorter side to
    /// `round(size · 256 / 224)`, centre crop `size x size`, ImageNet normalisation
    /// (torchvision's ImageNet evaluation transform, 256/224 at `size` 224).
    public static func pretrained(size: Int) -> ImagePipeline {
        let resized = Int((Double(size) * 256 / 224).rounded())
        return ImagePipeline([.resizeShorterSide(resized), .centerCrop(height: size, width: size),
                              .normalize(mean: ImageTransforms.imageNetMean, std: ImageTransforms.imageNetStd)])
    }

    /// The from-scratch preprocessing of the study: resize to `size x size`, values left in `[0, 1]`.
    public static func scratch(size: Int) -> ImagePipeline {
        ImagePipeline([.resize(height: size, width: size)])
    }
}
