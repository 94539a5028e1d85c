import Foundation
import Testing
import TestSupport
import Images

/// Decompression bombs: an image whose header declares more pixels than the limit
/// is refused from the header, before anything is decoded or allocated for it.
@Suite(.tags(.errors)) struct PixelLimitTests {
    private let image = Image(channels: 3, height: 80, width: 100, pixels: (0..<(3 * 80 * 100)).map { Float($0 % 7) / 7 })

    @Test func theLimitIsCheckedForPNGAndJPEG() throws {
        for (format, bytes) in [("PNG", try PNG.encode(image: image)), ("JPEG", try JPEG.encode(image: image))] {
            #expect(try ImageDecoder.decode(bytes, source: "ok", maxPixels: 100 * 80).width == 100)
            let error = #expect(throws: ImageError.self) { try ImageDecoder.decode(bytes, source: "big", maxPixels: 100 * 80 - 1) }
            #expect(error?.kind == .tooLarge, "\(format)")
            #expect(error?.description == "big: the \(format) declares 100x80 pixels, more than the limit of 7999 pixels; it is not decoded",
                    "\(String(describing: error))")
        }
    }

    /// A PNG of a few bytes whose header says 100,000 x 100,000 (10 gigapixels).
    @Test func aBombIsRefusedFromItsHeader() throws {
        var bytes = try PNG.encode(image: image)
        // IHDR: length (4), "IHDR" (4), width (4), height (4), ..., CRC over type and data.
        let ihdr = 8
        let side = UInt32(100_000)
        for (offset, value) in [(ihdr + 8, side), (ihdr + 12, side)] {
            for byte in 0..<4 { bytes[offset + byte] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(byte))) }
        }
        let crc = Self.crc32(bytes[(ihdr + 4)..<(ihdr + 8 + 13)])
        for byte in 0..<4 { bytes[ihdr + 21 + byte] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * UInt32(byte))) }
        let error = #expect(throws: ImageError.self) { try ImageDecoder.decode(bytes, source: "bomb.png") }
        #expect(error?.kind == .tooLarge)
        #expect(error?.detail.contains("100000x100000 pixels, more than the limit of \(ImageDecoder.maximumPixels)") == true,
                "\(String(describing: error))")
    }

    /// The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).
    static func crc32<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
