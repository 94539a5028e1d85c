/// An image as planar float samples: `channels` planes of `height` rows of `width`
/// values, the layout of a PyTorch `[C, H, W]` tensor (torchvision's `ToTensor`).
///
/// Decoded images are RGB with values in `[0, 1]`; `ImageTransforms.normalize`
/// leaves that range. A value type: copies share the array until one is written.
///
/// An image decoded from 8-bit samples is `isEightBit`: it stands for what PIL holds
/// as a `uint8` image, and torchvision's transforms of such an image resize it in
/// 8 bits (see `ImageTransforms.resize`).
public struct Image: Sendable, Equatable {
    /// `C`: 3 for RGB, 1 for grey.
    public let channels: Int
    /// `H`, in pixels.
    public let height: Int
    /// `W`, in pixels.
    public let width: Int
    /// `C · H · W` values: channel by channel, each plane row by row from the top.
    public internal(set) var pixels: [Float]
    /// Whether every value is an 8-bit level `k / 255` (float32 division, as
    /// `ToTensor`), from 8-bit samples: resizing then rounds to levels, as PIL
    /// resamples a `uint8` image, and cropping keeps the levels; `normalize` and
    /// images made from floats are not 8-bit.
    public internal(set) var isEightBit = false

    /// The image with `pixels` in `[C, H, W]` order; their count must be `C · H · W`.
    public init(channels: Int, height: Int, width: Int, pixels: [Float]) {
        precondition(channels >= 0 && height >= 0 && width >= 0, "negative size [\(channels), \(height), \(width)]")
        precondition(pixels.count == channels * height * width,
                     "[\(channels), \(height), \(width)] needs \(channels * height * width) values, got \(pixels.count)")
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// A black image (every value 0).
    public init(channels: Int, height: Int, width: Int) {
        self.init(channels: channels, height: height, width: width,
                  pixels: [Float](repeating: 0, count: max(channels * height * width, 0)))
    }

    /// 8-bit RGB pixels (3 bytes each, rows from the top, as `PNG.rgbWriter` takes them)
    /// as an `isEightBit` `[3, H, W]` image in `[0, 1]`, with the decoders' arithmetic
    /// (`Float(sample) / 255`): the same floats, bit for bit, as decoding the PNG file
    /// of these pixels.
    public init(width: Int, height: Int, rgb: [UInt8]) {
        precondition(width >= 0 && height >= 0 && rgb.count == 3 * width * height,
                     "\(rgb.count) bytes for a \(width)x\(height) RGB image")
        guard !rgb.isEmpty else {
            self.init(channels: 3, height: height, width: width)
            return
        }
        self = rgb.withUnsafeBufferPointer { samples in
            ImageDecoder.planarRGB(samples.baseAddress!, width: width, height: height)
        }
    }

    /// An `isEightBit` image of 8-bit `levels` in `[C, H, W]` order (values `level / 255`).
    init(channels: Int, height: Int, width: Int, levels: [UInt8]) {
        self.init(channels: channels, height: height, width: width, pixels: levels.map { Float($0) / 255 })
        isEightBit = true
    }

    /// The 8-bit levels of an `isEightBit` image, in `[C, H, W]` order.
    var levels: [UInt8] {
        precondition(isEightBit, "levels of an image that is not 8-bit")
        return pixels.map { UInt8(($0 * 255).rounded()) }
    }

    /// `[C, H, W]`.
    public var shape: [Int] { [channels, height, width] }

    /// Values per channel: `H · W`.
    public var planeSize: Int { height * width }

    /// Interleaved 8-bit samples, `C` per pixel, rows from the top:
    /// `round(255 · clamp(v, 0, 1))` with NaN as 0, as the PNG and JPEG encoders store them.
    public func interleavedBytes() -> [UInt8] {
        let plane = planeSize
        var bytes = [UInt8](repeating: 0, count: channels * plane)
        pixels.withUnsafeBufferPointer { values in
            for c in 0..<channels {
                for pixel in 0..<plane {
                    let value = values[c * plane + pixel]
                    let scaled = (value.isNaN ? 0 : min(max(value, 0), 1)) * 255
                    bytes[pixel * channels + c] = UInt8(scaled.rounded())
                }
            }
        }
        return bytes
    }
}

extension Image: CustomStringConvertible {
    public var description: String {
        let shown = pixels.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Image(\(shape): [\(shown)\(pixels.count > 8 ? ", ..." : "")])"
    }
}
