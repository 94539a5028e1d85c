import Foundation
import Support
import Testing
import TestSupport
import Images

/// Image files through the study's pipelines against PIL + torchvision.transforms:
/// `Reference/pil/make_fixtures.py` wrote the files and `expected.json`, the tensors
/// torchvision makes of them (`Image.open(path).convert("RGB")`, then Resize /
/// CenterCrop / ToTensor / Normalize). PIL resizes uint8 images in 8 bits, so the
/// comparison is exact: the same float32 bit patterns, checked by their SHA-256.
/// 16-bit PNGs (RGB, RGBA, grey, grey with alpha, grey with a transparent level)
/// are reduced to 8 bits as Pillow opens them, then go the same way; Adam7-interlaced
/// PNGs (one with empty passes) decode to the same pixels as plain ones.
@Suite(.tags(.numerics)) struct PILParityTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Reference/pil")

    struct Case: Decodable, CustomTestStringConvertible {
        let file: String
        let pipeline: String
        let size: Int
        let shape: [Int]
        let sha256: String
        let sum: Double
        let indices: [Int]
        let values: [Float]

        var testDescription: String { "\(file) \(pipeline)(\(size))" }
    }

    struct Expected: Decodable { let cases: [Case] }

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("expected.json")),
              let expected = try? JSONDecoder().decode(Expected.self, from: data) else { return [] }
        return expected.cases
    }()

    @Test func everyFixtureHasCases() {
        #expect(Set(Self.cases.map(\.file)) == ["ramp_90x70.png", "ramp_300x257.png", "grey_61x83.png", "ramp_90x70.jpg",
                                                "rgb16_90x70.png", "rgba16_48x40.png", "grey16_83x61.png",
                                                "greyalpha16_40x48.png", "grey16trns_50x30.png", "interlaced_45x37.png",
                                                "interlaced_5x3.png"])
    }

    /// Pillow 13.0.0's 8-bit values of 16-bit PNG samples, from the experiment that
    /// `make_fixtures.py` (`check_sixteen_bit_rules`) repeats over all 65,536 samples:
    /// `Image.open(f).convert("RGB")` of a 16-bit RGB PNG of samples `0x12FF`, `0x00FF`,
    /// `0x0100` gave 18, 0, 1 (the high byte, where rounding `v / 257` would give 19,
    /// 1, 1); RGBA and grey with alpha the same; a 16-bit grey PNG (mode `I;16`) gave
    /// 255, 255, 255, and `0x0080` gave 128 (a clip, where scaling would give 0).
    @Test func sixteenBitSamplesAreReducedAsPillowReducesThem() throws {
        let samples: [UInt16] = [0x12FF, 0x00FF, 0x0100, 0x0080, 0xFFFF, 0]
        let highBytes: [UInt8] = [18, 0, 1, 0, 255, 0]
        let clipped: [UInt8] = [255, 255, 255, 128, 255, 0]
        for type in [PNG.ColorType.rgb, .rgba, .grayAlpha] {
            #expect(samples.map { PNG.eightBitLevel(of: $0, colorType: type) } == highBytes, "\(type)")
        }
        #expect(samples.map { PNG.eightBitLevel(of: $0, colorType: .gray) } == clipped)

        // The decoder picks the rule of the file's color type: one pixel per sample,
        // the sample in every colour channel (alpha 0x1234, dropped).
        for type in [PNG.ColorType.rgb, .rgba, .gray, .grayAlpha] {
            let alpha: [UInt16] = type == .rgba || type == .grayAlpha ? [0x1234] : []
            let pixels = samples.flatMap { Array(repeating: $0, count: type.samplesPerPixel - alpha.count) + alpha }
            let image = try ImageDecoder.decode(try PNG.encode(samples: pixels, width: samples.count, height: 1,
                                                               colorType: type, bitDepth: 16))
            #expect(image.isEightBit)
            let expected = type == .gray ? clipped : highBytes
            #expect(image.pixels == (0..<3).flatMap { _ in expected.map { Float($0) / 255 } }, "\(type)")
        }
    }

    @Test(arguments: cases) func tensorsAreTorchvisionsBitForBit(_ expected: Case) throws {
        let image = try ImageDecoder.decode(contentsOfFile: Self.folder.appendingPathComponent(expected.file).path)
        #expect(image.isEightBit)
        let pipeline: ImagePipeline = expected.pipeline == "pretrained" ? .pretrained(size: expected.size) : .scratch(size: expected.size)
        let tensor = pipeline.apply(image)
        #expect(tensor.shape == expected.shape)
        var hasher = SHA256()
        tensor.pixels.withUnsafeBufferPointer { hasher.update(floats: $0) }
        let sampled = expected.indices.map { tensor.pixels[$0] }
        let sum = tensor.pixels.reduce(0.0) { $0 + Double($1) }
        // On a mismatch, the sampled values and the sum say how far off it is.
        #expect(hasher.finalizeHex() == expected.sha256,
                "sampled \(sampled) expected \(expected.values); sum \(sum) expected \(expected.sum)")
        #expect(sampled == expected.values)
    }

    /// The float path is left as it was: images made from floats resize in float32.
    @Test func floatImagesAreNotRoundedToLevels() {
        let image = Image(channels: 1, height: 1, width: 4, pixels: [0, 0.1, 0.2, 0.3])
        let resized = ImageTransforms.resize(image, height: 1, width: 3)
        #expect(!resized.isEightBit)
        #expect(resized.pixels.contains { ($0 * 255).rounded() / 255 != $0 })
    }
}
