import Testing
import TestSupport
@testable import Images

/// `Image` and `ImageBatch`: layout, the 8-bit conversions the codecs share, stacking.
@Suite struct ImageValueTests {
    /// 2x3 RGB pixels, every byte value distinct, 0 and 255 included.
    let rgb: [UInt8] = [0, 1, 2, 50, 100, 150, 255, 254, 253, 7, 77, 177, 128, 127, 129, 10, 20, 30]

    @Test func rgbBytesBecomePlanarFloatsAsThePNGDecoderMakesThem() throws {
        let image = Image(width: 3, height: 2, rgb: rgb)
        #expect(image.shape == [3, 2, 3])
        #expect(image.planeSize == 6)
        // Pixel (x 1, y 0) is bytes 3...5; channel c of pixel p is pixels[c · 6 + p].
        // Divided in float32, as torchvision's ToTensor divides a PIL image (not multiplied by 1/255).
        #expect([image.pixels[1], image.pixels[7], image.pixels[13]] == [Float(50) / 255, Float(100) / 255, Float(150) / 255])
        #expect(image.isEightBit)
        let decoded = try PNG.decode(try PNG.encode(samples: rgb.map(UInt16.init), width: 3, height: 2, colorType: .rgb, bitDepth: 8))
        #expect(decoded == image, "the same floats, bit for bit")
        #expect(image.interleavedBytes() == rgb, "8-bit values survive the round trip")
    }

    @Test func interleavedBytesClampAndRoundAsTheEncodersStoreThem() throws {
        let image = Image(channels: 1, height: 1, width: 6, pixels: [-0.5, .nan, 0.4 / 255, 1.6 / 255, 0.999, 7])
        #expect(image.interleavedBytes() == [0, 0, 0, 2, 255, 255])
        let decoded = try PNG.decode(try PNG.encode(image: image))
        #expect(decoded.interleavedBytes() == [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 255, 255, 255, 255, 255, 255])
        let colour = Image(width: 3, height: 2, rgb: rgb)
        #expect(try PNG.decode(try PNG.encode(image: colour)) == colour)
    }

    @Test func batchesStackImagesOfOneSize() {
        let a = Image(width: 3, height: 2, rgb: rgb), b = Image(width: 3, height: 2, rgb: rgb.reversed())
        let batch = ImageBatch(channels: 3, height: 2, width: 3, images: [a, b])
        #expect(batch.shape == [2, 3, 2, 3])
        #expect(batch.pixels == a.pixels + b.pixels)
        #expect(batch[0] == a)
        #expect(batch[1] == b)
        #expect(ImageBatch(channels: 3, height: 0, width: 0, images: []).shape == [0, 3, 0, 0])
    }

    /// The batch form normalises each image as the one-image form does.
    @Test(.tags(.numerics)) func batchNormalisationEqualsOneImageAtATime() {
        let a = Image(channels: 2, height: 3, width: 4, pixels: formulaValues(24, 7, 11, 10, 0))
        let b = Image(channels: 2, height: 3, width: 4, pixels: formulaValues(24, 5, 13, 3, -1))
        let mean: [Float] = [0.25, -0.5], std: [Float] = [0.5, 3]
        var batch = a.pixels + b.pixels
        batch.withUnsafeMutableBufferPointer { ImageTransforms.normalize($0, channels: 2, planeSize: 12, mean: mean, std: std) }
        let one = ImageTransforms.normalize(a, mean: mean, std: std).pixels + ImageTransforms.normalize(b, mean: mean, std: std).pixels
        #expect(batch == one)
        #expect(one[13] == (a.pixels[13] - -0.5) / 3, "image 0, channel 1")
        #expect(one[25] == (b.pixels[1] - 0.25) / 0.5, "image 1, channel 0")
    }
}
