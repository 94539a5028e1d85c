import Testing
import TestSupport
@testable import Engine

@Suite(.tags(.numerics))
struct LayerGradientTests {
    /// Inputs kept at least 0.1 away from zero, so ±h never crosses a ReLU kink.
    private func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = RNG(seed: seed)
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, values: (0..<count).map { _ in
            let magnitude = rng.uniform(0.1, 1)
            return rng.uniformFloat() < 0.5 ? -magnitude : magnitude
        })
    }

    @Test func linear() throws {
        var rng = RNG(seed: 1)
        GradientCheck.assertGradientsMatch(try Linear(3, 4, rng: &rng), input: GradientCheck.randomTensor([5, 3], rng: &rng))
    }

    @Test func linearWithoutBias() throws {
        var rng = RNG(seed: 2)
        let layer = try Linear(4, 2, bias: false, rng: &rng)
        #expect(layer.parameters.count == 1)
        GradientCheck.assertGradientsMatch(layer, input: GradientCheck.randomTensor([3, 4], rng: &rng))
    }

    @Test func linearBatchOfOne() throws {
        // Batch 1 takes the SGEMV path in BLAS.
        var rng = RNG(seed: 3)
        GradientCheck.assertGradientsMatch(try Linear(5, 3, rng: &rng), input: GradientCheck.randomTensor([1, 5], rng: &rng))
    }

    @Test func reLU() {
        GradientCheck.assertGradientsMatch(ReLU(), input: awayFromZero([4, 6], seed: 4), h: 1e-3)
    }

    @Test func batchNormTraining() throws {
        var rng = RNG(seed: 5)
        let layer = try BatchNorm(channels: 3)
        // Non-trivial affine parameters, so γ and β enter the check.
        layer.weight.value = GradientCheck.randomTensor([3], rng: &rng, range: 0.5...1.5)
        layer.bias.value = GradientCheck.randomTensor([3], rng: &rng)
        GradientCheck.assertGradientsMatch(layer, input: GradientCheck.randomTensor([6, 3], rng: &rng, range: -2...2))
    }

    @Test func batchNormTwoDimensional() throws {
        var rng = RNG(seed: 6)
        let layer = try BatchNorm(channels: 2, kind: .twoDimensional)
        layer.weight.value = GradientCheck.randomTensor([2], rng: &rng, range: 0.5...1.5)
        GradientCheck.assertGradientsMatch(layer, input: GradientCheck.randomTensor([2, 2, 3, 5], rng: &rng))
    }

    @Test func batchNormWideChannelsUseVectorPath() throws {
        // 19 channels: two full 8-lane vectors and a scalar tail of 3.
        var rng = RNG(seed: 7)
        let layer = try BatchNorm(channels: 19)
        GradientCheck.assertGradientsMatch(layer, input: GradientCheck.randomTensor([4, 19], rng: &rng))
    }

    @Test func batchNormBatchOfOneUsesRunningStatistics() throws {
        var rng = RNG(seed: 8)
        let layer = try BatchNorm(channels: 3)
        layer.runningMean = Tensor(shape: [3], values: [0.5, -0.2, 1])
        layer.runningVariance = Tensor(shape: [3], values: [2, 0.5, 1.5])
        GradientCheck.assertGradientsMatch(layer, input: GradientCheck.randomTensor([1, 3], rng: &rng))
    }

    @Test func residual() throws {
        var rng = RNG(seed: 10)
        let block = Residual(Sequential([try Linear(4, 4, rng: &rng), ReLU(), try Linear(4, 4, rng: &rng)]))
        GradientCheck.assertGradientsMatch(block, input: awayFromZero([5, 4], seed: 11), h: 1e-3)
    }

    @Test(arguments: [(false, false), (true, false), (true, true), (false, true)])
    func wholeNetwork(batchNorm: Bool, residual: Bool) throws {
        var rng = RNG(seed: 12)
        let config = MLPConfig(inputFeatures: 2, classCount: 3, depth: 3, width: 5, batchNorm: batchNorm, residual: residual)
        let model = try config.makeModel(rng: &rng)
        // At most 2% of elements may sit on a ReLU kink within ±h.
        GradientCheck.assertGradientsMatch(model, input: awayFromZero([8, 2], seed: 13), h: 1e-3, tolerance: 2e-2,
                                           outlierFraction: 0.02)
    }
}
