import Engine
import XCTest
@testable import Vision

/// Forward values checked against numpy (Reference/generate_reference.py, which
/// wrote ReferenceValues.swift). The inputs are rebuilt here from the same formulas.
final class ReferenceValueTests: XCTestCase {
    func testConvBatchNormReLUPoolStackMatchesNumpy() throws {
        var rng = RNG(seed: 41)
        let conv = try Conv2D(3, 4, kernelSize: 3, stride: 2, padding: 1, bias: true, rng: &rng)
        conv.weight.value = Tensor(shape: [4, 3, 3, 3], values: formulaValues(108, 53, 97, 97, -0.5))
        conv.bias!.value = Tensor(shape: [4], values: (0..<4).map { Float(0.1 * (Double($0) - 1.5)) })
        let norm = try BatchNorm(channels: 4, kind: .twoDimensional)
        norm.weight.value = Tensor(shape: [4], values: (0..<4).map { Float(1 + 0.1 * Double($0)) })
        norm.bias.value = Tensor(shape: [4], values: (0..<4).map { Float(0.05 * Double($0) - 0.1) })
        let relu = ReLU()
        let pool = try MaxPool2D(kernelSize: 3, stride: 2, padding: 1)
        let average = GlobalAveragePool()
        let x = Tensor(shape: [2, 3, 9, 9], values: formulaValues(486, 37, 101, 50, -1))

        let convolved = conv.forward(x, mode: .training)
        assertClose(convolved.scalars, ReferenceValues.conv, tolerance: 1e-5, "conv")
        let normalised = norm.forward(convolved, mode: .training)
        assertClose(normalised.scalars, ReferenceValues.batchNorm, tolerance: 1e-5, "batch norm")
        assertClose(norm.runningMean.scalars, ReferenceValues.runningMean, tolerance: 1e-6, "running_mean")
        assertClose(norm.runningVariance.scalars, ReferenceValues.runningVariance, tolerance: 1e-6, "running_var")
        let rectified = relu.forward(normalised, mode: .training)
        assertClose(rectified.scalars, ReferenceValues.relu, tolerance: 1e-5, "relu")
        let pooled = pool.forward(rectified, mode: .training)
        XCTAssertEqual(pooled.shape, [2, 4, 3, 3])
        assertClose(pooled.scalars, ReferenceValues.maxPool, tolerance: 1e-5, "max pool")
        let averaged = average.forward(pooled, mode: .training)
        XCTAssertEqual(averaged.shape, [2, 4])
        assertClose(averaged.scalars, ReferenceValues.globalAverage, tolerance: 1e-5, "global average")
    }

    func testImageTransformsMatchNumpy() {
        let image = Tensor(shape: [3, 10, 13], values: formulaValues(390, 29, 71, 70, 0))
        assertClose(ImageTransforms.resize(image, height: 4, width: 6).scalars, ReferenceValues.resizeShrink4x6,
                    tolerance: 1e-6, "shrink")
        assertClose(ImageTransforms.resize(image, height: 17, width: 9).scalars, ReferenceValues.resizeMixed17x9,
                    tolerance: 1e-6, "grow height, shrink width")
        assertClose(ImageTransforms.resize(image, height: 13, width: 20).scalars, ReferenceValues.resizeGrow13x20,
                    tolerance: 1e-6, "grow")
        let shorter = ImageTransforms.resizeShorterSide(image, to: 7)
        XCTAssertEqual(shorter.shape, [3, 7, 9])
        assertClose(shorter.scalars, ReferenceValues.resizeShorterSide7, tolerance: 1e-6, "Resize(7)")
        XCTAssertEqual(ImageTransforms.resize(image, height: 10, width: 13), image, "same size is the identity")
        assertClose(ImageTransforms.centerCrop(image, height: 6, width: 6).scalars, ReferenceValues.centerCrop6x6,
                    tolerance: 0, "crop, offset rounded half to even")
        assertClose(ImageTransforms.centerCrop(image, height: 7, width: 8).scalars, ReferenceValues.centerCrop7x8,
                    tolerance: 0, "crop 7x8")
        assertClose(ImageTransforms.centerCrop(image, height: 12, width: 15).scalars, ReferenceValues.centerCrop12x15,
                    tolerance: 0, "crop larger than the image pads with zeros")
        assertClose(ImageTransforms.normalize(image).scalars, ReferenceValues.normalized, tolerance: 1e-6, "normalize")
    }

    func testPipelinesAndOutputSizes() {
        XCTAssertTrue(ImageTransforms.shorterSideSize(height: 1024, width: 768, to: 256) == (341, 256))
        XCTAssertTrue(ImageTransforms.shorterSideSize(height: 500, width: 375, to: 73) == (97, 73))
        XCTAssertEqual(ImagePipeline.pretrained(size: 224).steps.first, .resizeShorterSide(256))
        XCTAssertEqual(ImagePipeline.pretrained(size: 64).steps.first, .resizeShorterSide(73))
        let image = Tensor(repeating: 0.5, shape: [3, 120, 90])
        let out = ImagePipeline.pretrained(size: 64).apply(image)
        XCTAssertEqual(out.shape, [3, 64, 64])
        XCTAssertEqual(out[flat: 0], (0.5 - 0.485) / 0.229, accuracy: 1e-5, "a flat image stays flat through resize")
        XCTAssertEqual(ImagePipeline.scratch(size: 32).apply(image).shape, [3, 32, 32])
    }
}
