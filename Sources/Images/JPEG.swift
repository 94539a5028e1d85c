import CJPEG

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// JPEG decoding and encoding through libjpeg-turbo: the only file that imports it.
public enum JPEG {
    /// The first bytes of every JPEG file (start-of-image marker and the next marker's prefix).
    public static let signature: [UInt8] = [0xFF, 0xD8, 0xFF]

    /// Decodes a JPEG to `[3, H, W]` RGB floats in `[0, 1]` (see `ImageDecoder`).
    /// A file cut short is an error, not an image padded with grey.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>",
                              maxPixels: Int = ImageDecoder.maximumPixels) throws -> Image {
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { data in
            nnr_jpeg_decode_rgb(data.baseAddress, UInt(data.count), max(maxPixels, 1), &pixels,
                                &width, &height, &message, message.count)
        }
        guard status == 0, let pixels else {
            throw ImageDecoder.failure(ImageDecoder.text(of: message), format: "JPEG", source: source, maxPixels: maxPixels)
        }
        defer { free(pixels) }
        return ImageDecoder.planarRGB(pixels, width: Int(width), height: Int(height))
    }

    /// Encodes a `[3, H, W]` (RGB) or `[1, H, W]` (grey) image with values in `[0, 1]`
    /// as a baseline JPEG of `quality` 1-100.
    public static func encode(image: Image, quality: Int = 90) throws -> [UInt8] {
        try ImageDecoder.checkEncodable(image, channels: [1, 3], format: "JPEG")
        guard (1...100).contains(quality) else {
            throw ImageError(kind: .invalidArgument, file: "<JPEG encoder>", detail: "quality must be 1-100, got \(quality)")
        }
        let samples = image.interleavedBytes()
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = samples.withUnsafeBufferPointer { data in
            nnr_jpeg_encode(data.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels),
                            Int32(quality), &output, &size, &message, message.count)
        }
        guard status == 0, let output else {
            let text = ImageDecoder.text(of: message)
            throw ImageError(kind: .encodingFailed, file: "<JPEG encoder>", detail: "libjpeg: \(text)")
        }
        defer { free(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }
}
