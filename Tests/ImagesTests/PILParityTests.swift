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
        #expect(Set(Self.cases.map(\.file)) == ["ramp_90x70.png", "ramp_300x257.png", "grey_61x83.png", "ramp_90x70.jpg"])
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
