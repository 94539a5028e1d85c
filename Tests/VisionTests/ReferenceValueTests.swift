import Engine
import Testing
import TestSupport
@testable import Vision

/// Forward values checked against numpy (Reference/generate_reference.py, which
/// wrote ReferenceValues.swift). The inputs are rebuilt here from the same formulas.
/// (The image transforms' reference values moved to Tests/ImagesTests.)
@Suite(.tags(.numerics)) struct ReferenceValueTests {
    @Test func convBatchNormReLUPoolStackMatchesNumpy() throws {
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
        expectClose(convolved.scalars, ReferenceValues.conv, tolerance: 1e-5, "conv")
        let normalised = norm.forward(convolved, mode: .training)
        expectClose(normalised.scalars, ReferenceValues.batchNorm, tolerance: 1e-5, "batch norm")
        expectClose(norm.runningMean.scalars, ReferenceValues.runningMean, tolerance: 1e-6, "running_mean")
        expectClose(norm.runningVariance.scalars, ReferenceValues.runningVariance, tolerance: 1e-6, "running_var")
        let rectified = relu.forward(normalised, mode: .training)
        expectClose(rectified.scalars, ReferenceValues.relu, tolerance: 1e-5, "relu")
        let pooled = pool.forward(rectified, mode: .training)
        #expect(pooled.shape == [2, 4, 3, 3])
        expectClose(pooled.scalars, ReferenceValues.maxPool, tolerance: 1e-5, "max pool")
        let averaged = average.forward(pooled, mode: .training)
        #expect(averaged.shape == [2, 4])
        expectClose(averaged.scalars, ReferenceValues.globalAverage, tolerance: 1e-5, "global average")
    }
}
