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
    /// centres at `i + 0.5`. Separable: rows, then columns, in float (PIL rounds to
    /// 8 bits between passes; values here differ from PIL's by that rounding only).
    public static func resize(_ image: Image, height: Int, width: Int) -> Image {
        precondition(height > 0 && width > 0, "resize needs a positive size, got \(height)x\(width)")
        let channels = image.channels, inHeight = image.height, inWidth = image.width
        var current = image
        if width != inWidth {
            let filter = ResamplingFilter(inputSize: inWidth, outputSize: width)
            var next = Image(channels: channels, height: inHeight, width: width)
            current.pixels.withUnsafeBufferPointer { source in
                next.pixels.withUnsafeMutableBufferPointer { target in
                    for line in 0..<(channels * inHeight) {
                        filter.apply(source.baseAddress! + line * inWidth, stride: 1,
                                     into: target.baseAddress! + line * width, outputStride: 1)
                    }
                }
            }
            current = next
        }
        if height != inHeight {
            let filter = ResamplingFilter(inputSize: inHeight, outputSize: height)
            var next = Image(channels: channels, height: height, width: width)
            current.pixels.withUnsafeBufferPointer { source in
                next.pixels.withUnsafeMutableBufferPointer { target in
                    for c in 0..<channels {
                        for column in 0..<width {
                            filter.apply(source.baseAddress! + c * inHeight * width + column, stride: width,
                                         into: target.baseAddress! + c * height * width + column, outputStride: width)
                        }
                    }
                }
            }
            current = next
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

/// PIL's separable resampling coefficients for one axis (`precompute_coeffs` in
/// Pillow's Resample.c with the bilinear filter, support 1).
struct ResamplingFilter {
    let outputSize: Int
    let windowSize: Int
    /// First input index of each output's window.
    let starts: [Int]
    /// Number of inputs in each window.
    let counts: [Int]
    /// `windowSize` weights per output, normalised to sum to 1.
    let weights: [Float]

    init(inputSize: Int, outputSize: Int) {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = 1.0 * filterScale
        windowSize = Int(support.rounded(.up)) * 2 + 1
        self.outputSize = outputSize
        var starts: [Int] = [], counts: [Int] = []
        var weights = [Float](repeating: 0, count: outputSize * windowSize)
        for output in 0..<outputSize {
            let center = (Double(output) + 0.5) * scale
            // C's (int) conversion truncates toward zero.
            let low = max(Int((center - support + 0.5).rounded(.towardZero)), 0)
            let high = min(Int((center + support + 0.5).rounded(.towardZero)), inputSize)
            let count = max(high - low, 0)
            var taps = [Double](repeating: 0, count: count)
            var total = 0.0
            for tap in 0..<count {
                let x = (Double(tap + low) - center + 0.5) / filterScale
                let weight = max(0, 1 - abs(x))
                taps[tap] = weight
                total += weight
            }
            for tap in 0..<count { weights[output * windowSize + tap] = Float(total != 0 ? taps[tap] / total : taps[tap]) }
            starts.append(low)
            counts.append(count)
        }
        self.starts = starts
        self.counts = counts
        self.weights = weights
    }

    /// Resamples one line read with `stride` into an output line written with `outputStride`.
    func apply(_ source: UnsafePointer<Float>, stride: Int, into target: UnsafeMutablePointer<Float>, outputStride: Int) {
        for output in 0..<outputSize {
            let start = starts[output], base = output * windowSize
            var sum: Float = 0
            for tap in 0..<counts[output] { sum += source[(start + tap) * stride] * weights[base + tap] }
            target[output * outputStride] = sum
        }
    }
}
