import Foundation
import Support

/// A problem reading or writing an image, naming the file.
public struct ImageError: Error, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case unreadable, unsupportedFormat, corrupt, tooLarge, invalidArgument, encodingFailed }

    public let kind: Kind
    /// The file, or the name given to an in-memory buffer.
    public let file: String
    public let detail: String

    public var description: String { "\(file): \(detail)" }
}

/// Decodes PNG and JPEG images to RGB float32 images `[3, H, W]` with values in
/// `[0, 1]`: 8-bit samples / 255 in float32, as torchvision's `ToTensor` divides a
/// PIL image (such images are `isEightBit`, and resizing keeps them in 8-bit levels
/// as PIL does). 16-bit PNG samples are first reduced to 8 bits as Pillow reduces
/// them (`PNG.eightBitLevel`), so every decoded image is `isEightBit`.
///
/// Grey images are replicated to three channels, palettes looked up, alpha
/// dropped (as PIL's `convert("RGB")`), CMYK JPEGs converted. The format is
/// recognised by its signature, not the file name.
public enum ImageDecoder {
    /// Largest image accepted by default, in pixels (64 Mi, about 8192x8192): a file
    /// declaring more is refused from its header, before decoding (a decompression
    /// bomb of a few kilobytes can declare gigapixels).
    public static let maximumPixels = 1 << 26

    /// The image in the file at `path`.
    public static func decode(contentsOfFile path: String, maxPixels: Int = maximumPixels) throws -> Image {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ImageError(kind: .unreadable, file: path, detail: "cannot read the file: \(FileProblem.reason(of: error))")
        }
        return try decode(bytes, source: path, maxPixels: maxPixels)
    }

    /// The image encoded in `bytes`; `source` names it in error messages.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>", maxPixels: Int = maximumPixels) throws -> Image {
        if bytes.starts(with: PNG.signature) { return try PNG.decode(bytes, source: source, maxPixels: maxPixels) }
        if bytes.starts(with: JPEG.signature) { return try JPEG.decode(bytes, source: source, maxPixels: maxPixels) }
        let detail = bytes.isEmpty ? "the file is empty" : "not a PNG or JPEG file (unknown signature)"
        throw ImageError(kind: .unsupportedFormat, file: source, detail: detail)
    }

    /// `[3, H, W]` floats `sample / 255` from interleaved 8-bit RGB samples: an `isEightBit` image.
    static func planarRGB(_ samples: UnsafePointer<UInt8>, width: Int, height: Int) -> Image {
        var image = Image(channels: 3, height: height, width: width)
        image.isEightBit = true
        let plane = width * height
        image.pixels.withUnsafeMutableBufferPointer { out in
            for pixel in 0..<plane {
                out[pixel] = Float(samples[3 * pixel]) / 255
                out[plane + pixel] = Float(samples[3 * pixel + 1]) / 255
                out[2 * plane + pixel] = Float(samples[3 * pixel + 2]) / 255
            }
        }
        return image
    }

    /// The error for a decoder's `message`: too large (with the limit) or corrupt.
    static func failure(_ message: String, format: String, source: String, maxPixels: Int) -> ImageError {
        guard message.hasPrefix("image too large") else {
            return ImageError(kind: .corrupt, file: source, detail: "corrupt or unsupported \(format): \(message)")
        }
        let size = message.dropFirst("image too large: ".count)
        return ImageError(kind: .tooLarge, file: source,
                          detail: "the \(format) declares \(size), more than the limit of \(maxPixels) pixels; it is not decoded")
    }

    /// The NUL-terminated message a C wrapper wrote into `buffer`.
    static func text(of buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func checkEncodable(_ image: Image, channels allowed: Set<Int>, format: String) throws {
        guard allowed.contains(image.channels), image.height > 0, image.width > 0 else {
            throw ImageError(kind: .invalidArgument, file: "<\(format) encoder>",
                             detail: "expected an image [\(allowed.sorted().map(String.init).joined(separator: " or ")), H, W], got \(image.shape)")
        }
    }
}
