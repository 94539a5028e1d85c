import Foundation
import CPNG

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PNG decoding and encoding through libpng: the only file that imports it.
public enum PNG {
    /// The eight bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// PNG color types, with the sample count per pixel of each.
    public enum ColorType: Int32, Sendable, CaseIterable {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6

        public var samplesPerPixel: Int {
            switch self {
            case .gray, .palette: 1
            case .grayAlpha: 2
            case .rgb: 3
            case .rgba: 4
            }
        }

        /// Bit depths the PNG specification allows for this color type.
        public var allowedBitDepths: [Int] {
            switch self {
            case .gray: [1, 2, 4, 8, 16]
            case .palette: [1, 2, 4, 8]
            case .rgb, .grayAlpha, .rgba: [8, 16]
            }
        }
    }

    /// Decodes a PNG to `[3, H, W]` RGB floats in `[0, 1]` (see `ImageDecoder`); an image
    /// declaring more than `maxPixels` pixels is refused before it is decoded. 16-bit
    /// samples are first reduced to 8 bits as Pillow reduces them (`eightBitLevel`), so
    /// every PNG decodes to an `isEightBit` image.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>",
                              maxPixels: Int = ImageDecoder.maximumPixels) throws -> Image {
        var pixels: UnsafeMutableRawPointer?
        var width: Int32 = 0, height: Int32 = 0, bytesPerSample: Int32 = 0, colorType: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { data in
            nnr_png_decode_rgb(data.baseAddress, data.count, max(maxPixels, 1), &pixels,
                               &width, &height, &bytesPerSample, &colorType, &message, message.count)
        }
        guard status == 0, let pixels else {
            let text = ImageDecoder.text(of: message)
            throw ImageDecoder.failure(text, format: "PNG", source: source, maxPixels: maxPixels)
        }
        defer { free(pixels) }
        if bytesPerSample == 2 {
            // libpng rejects any other color type, and a palette is never 16-bit.
            let type = ColorType(rawValue: colorType) ?? .rgb
            reduceToEightBits(pixels, count: 3 * Int(width) * Int(height), colorType: type)
        }
        return ImageDecoder.planarRGB(pixels.assumingMemoryBound(to: UInt8.self), width: Int(width), height: Int(height))
    }

    /// The 8-bit level Pillow 13 makes of a 16-bit `sample` of a PNG of `colorType` when
    /// torchvision's loader opens it (`Image.open(f).convert("RGB")`): PIL holds such
    /// images in 8 bits, except grey, and `ToTensor` then divides by 255.
    ///
    /// - RGB, RGBA and grey with alpha: the high byte, `sample >> 8` (a truncation, not
    ///   `round(sample / 257)`: `0x12FF` gives 18, not 19). Pillow opens these as `RGB`
    ///   and `RGBA` (grey with alpha too), unpacking `RGB;16B`, `RGBA;16B` and `LA;16B`
    ///   to the most significant byte; `convert("RGB")` then drops alpha.
    /// - Grey: `min(sample, 255)`, a clip, not a scaling. Pillow opens a 16-bit grey
    ///   PNG as mode `I;16`, whose conversion to `RGB` clips, so every sample from 255
    ///   up is white: a 16-bit grey photograph comes out almost all white.
    ///
    /// Found by experiment over all 65,536 samples of each color type (tRNS, gAMA and
    /// sBIT chunks and fully transparent alpha changed nothing);
    /// `Tests/ImagesTests/Reference/pil/make_fixtures.py` repeats it for each color
    /// type, with and without tRNS, before it writes the 16-bit fixtures.
    public static func eightBitLevel(of sample: UInt16, colorType: ColorType) -> UInt8 {
        colorType == .gray ? UInt8(min(sample, 255)) : UInt8(sample >> 8)
    }

    /// Replaces `count` native-endian 16-bit samples at `pixels` by their `eightBitLevel`s,
    /// packed in the first `count` bytes (each byte is written after the two it comes from are read).
    private static func reduceToEightBits(_ pixels: UnsafeMutableRawPointer, count: Int, colorType: ColorType) {
        for index in 0..<count {
            let sample = pixels.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)
            pixels.storeBytes(of: eightBitLevel(of: sample, colorType: colorType), toByteOffset: index, as: UInt8.self)
        }
    }

    /// Encodes a `[3, H, W]` (RGB) or `[1, H, W]` (grey) image with values in `[0, 1]`
    /// as an 8-bit PNG (values clamped and rounded), for the report's figures.
    public static func encode(image: Image) throws -> [UInt8] {
        try ImageDecoder.checkEncodable(image, channels: [1, 3], format: "PNG")
        let samples = image.interleavedBytes().map(UInt16.init)
        return try encode(samples: samples, width: image.width, height: image.height,
                          colorType: image.channels == 3 ? .rgb : .gray, bitDepth: 8)
    }

    /// Encodes 8-bit RGB pixels (3 bytes each, rows from the top): the form the
    /// chart gallery asks for.
    public static func rgbWriter(width: Int, height: Int, rgb: [UInt8]) throws -> Data {
        Data(try encode(samples: rgb.map(UInt16.init), width: width, height: height, colorType: .rgb, bitDepth: 8))
    }

    /// Encodes raw samples: `samples` holds `width·height·samplesPerPixel` values in
    /// row-major, interleaved order, each below `2^bitDepth` (palette indices for
    /// `.palette`, whose `palette` lists RGB triples). Every color type and bit depth
    /// of the PNG specification is supported.
    public static func encode(samples: [UInt16], width: Int, height: Int, colorType: ColorType, bitDepth: Int,
                              palette: [(UInt8, UInt8, UInt8)] = []) throws -> [UInt8] {
        func invalid(_ detail: String) -> ImageError { ImageError(kind: .invalidArgument, file: "<PNG encoder>", detail: detail) }
        guard width > 0, height > 0, width <= 1 << 20, height <= 1 << 20 else { throw invalid("bad size \(width)x\(height)") }
        guard colorType.allowedBitDepths.contains(bitDepth) else {
            throw invalid("bit depth \(bitDepth) is not allowed for color type \(colorType)")
        }
        let perRow = width * colorType.samplesPerPixel
        guard samples.count == perRow * height else {
            throw invalid("expected \(perRow * height) samples for \(width)x\(height) \(colorType), got \(samples.count)")
        }
        let limit = colorType == .palette ? palette.count : 1 << bitDepth
        guard colorType != .palette || (1...(1 << bitDepth)).contains(palette.count) else {
            throw invalid("a \(bitDepth)-bit palette image needs 1 to \(1 << bitDepth) palette entries")
        }
        guard samples.allSatisfy({ Int($0) < limit }) else { throw invalid("a sample is out of range for \(bitDepth) bits") }

        // Pack rows as PNG stores them: sub-byte samples MSB first, 16-bit big-endian.
        let rowBytes = (perRow * bitDepth + 7) / 8
        var rows = [UInt8](repeating: 0, count: rowBytes * height)
        for y in 0..<height {
            for x in 0..<perRow {
                let value = samples[y * perRow + x]
                switch bitDepth {
                case 16:
                    rows[y * rowBytes + 2 * x] = UInt8(value >> 8)
                    rows[y * rowBytes + 2 * x + 1] = UInt8(value & 0xFF)
                case 8:
                    rows[y * rowBytes + x] = UInt8(value)
                default:
                    let bit = x * bitDepth
                    rows[y * rowBytes + bit / 8] |= UInt8(value) << UInt8(8 - bitDepth - bit % 8)
                }
            }
        }
        let flatPalette = palette.flatMap { [$0.0, $0.1, $0.2] }
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = rows.withUnsafeBufferPointer { data in
            flatPalette.withUnsafeBufferPointer { entries in
                nnr_png_encode(data.baseAddress, Int32(width), Int32(height), colorType.rawValue, Int32(bitDepth),
                               entries.baseAddress, Int32(palette.count), &output, &size, &message, message.count)
            }
        }
        guard status == 0, let output else {
            let text = ImageDecoder.text(of: message)
            throw ImageError(kind: .encodingFailed, file: "<PNG encoder>", detail: "libpng: \(text)")
        }
        defer { free(output) }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
