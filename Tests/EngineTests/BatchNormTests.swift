import Support
import Testing
import TestSupport
@testable import Engine

struct BatchNormTests {
    @Test(.tags(.numerics)) func runningStatisticsOverSeveralSteps() throws {
        var rng = RNG(seed: 31)
        let layer = try BatchNorm(channels: 3)
        var expectedMean = [Double](repeating: 0, count: 3), expectedVariance = [Double](repeating: 1, count: 3)
        for step in 0..<4 {
            let batch = GradientCheck.randomTensor([5 + step, 3], rng: &rng, range: -2...3)
            _ = layer.forward(batch, mode: .training)
            let n = Double(batch.rows)
            for c in 0..<3 {
                let column = (0..<batch.rows).map { Double(batch[$0, c]) }
                let mean = column.reduce(0, +) / n
                let unbiased = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
                expectedMean[c] = 0.9 * expectedMean[c] + 0.1 * mean
                expectedVariance[c] = 0.9 * expectedVariance[c] + 0.1 * unbiased
            }
        }
        for c in 0..<3 {
            expectClose(Double(layer.runningMean[flat: c]), expectedMean[c], accuracy: 1e-6, "running mean \(c)")
            expectClose(Double(layer.runningVariance[flat: c]), expectedVariance[c], accuracy: 1e-6, "running variance \(c)")
        }
        #expect(layer.batchesTracked == 4)
    }

    @Test(.tags(.numerics)) func trainingOutputIsNormalisedWithBiasedVariance() throws {
        let layer = try BatchNorm(channels: 1)
        let y = layer.forward(Tensor(shape: [4, 1], values: [1, 2, 3, 4]), mode: .training)
        // mean 2.5, biased variance 1.25
        let expected = [1.0, 2, 3, 4].map { ($0 - 2.5) / (1.25 + 1e-5).squareRoot() }
        for (a, e) in zip(y.scalars, expected) { expectClose(Double(a), e, accuracy: 1e-6) }
    }

    @Test(.tags(.numerics)) func inferenceUsesRunningStatistics() throws {
        let layer = try BatchNorm(channels: 2)
        layer.runningMean = Tensor(shape: [2], values: [1, -1])
        layer.runningVariance = Tensor(shape: [2], values: [4, 0.25])
        layer.weight.value = Tensor(shape: [2], values: [2, 1])
        layer.bias.value = Tensor(shape: [2], values: [0.5, 0])
        let y = layer.forward(Tensor(shape: [1, 2], values: [3, 0]), mode: .inference)
        expectClose(Double(y[0, 0]), 2 * (3 - 1) / (4 + 1e-5).squareRoot() + 0.5, accuracy: 1e-6)
        expectClose(Double(y[0, 1]), (0 + 1) / (0.25 + 1e-5).squareRoot(), accuracy: 1e-5)
        #expect(layer.batchesTracked == 0)
    }

    /// The fused inference pass gives the bits of batch norm then ReLU (or adding the
    /// residual then ReLU), NaN and both signs of zero included, on 2-d and 4-d inputs.
    @Test(.tags(.numerics)) func fusedInferenceReLUGivesTheBitsOfTheSeparatePasses() throws {
        var rng = RNG(seed: 33)
        for shape in [[3, 5, 4, 7], [2, 3, 1, 1], [4, 6]] {
            let channels = shape[1]
            let layer = try BatchNorm(channels: channels, kind: shape.count == 4 ? .twoDimensional : .oneDimensional)
            layer.runningMean = GradientCheck.randomTensor([channels], rng: &rng)
            layer.runningVariance = GradientCheck.randomTensor([channels], rng: &rng, range: 0.1...2)
            layer.weight.value = GradientCheck.randomTensor([channels], rng: &rng, range: -2...2)
            layer.bias.value = GradientCheck.randomTensor([channels], rng: &rng)
            var values = GradientCheck.randomTensor(shape, rng: &rng, range: -3...3).scalars
            values[1] = .nan
            values[2] = -0.0
            let input = Tensor(shape: shape, values: values)
            let residual = GradientCheck.randomTensor(shape, rng: &rng, range: -3...3)
            let normalised = layer.forward(input, mode: .inference)
            var separate = Tensor(zeros: [0])
            Elementwise.relu(normalised, into: &separate)
            var fused = layer.inferenceForwardReLU(input)
            #expect(fused.shape == shape)
            #expect(fused.scalars.map(\.bitPattern) == separate.scalars.map(\.bitPattern), "\(shape)")
            Elementwise.addReLU(normalised, residual, into: &separate)
            fused = layer.inferenceForwardReLU(input, adding: residual)
            #expect(fused.scalars.map(\.bitPattern) == separate.scalars.map(\.bitPattern), "\(shape) with a residual")
            #expect(fused.scalars[1].isNaN)
        }
    }

    /// BatchNorm2d splits its channels over its cores when a batch is large enough: the
    /// training forward, running statistics, both gradients and the fused inference
    /// pass give the same bits on one, two or three cores.
    @Test(.tags(.numerics)) func channelsSplitOverCoresGiveTheSameBits() throws {
        var rng = RNG(seed: 34)
        let shape = [3, 10, 64, 64]  // 122,880 values: one part per core, up to three
        let input = GradientCheck.randomTensor(shape, rng: &rng, range: -2...3)
        let dy = GradientCheck.randomTensor(shape, rng: &rng)
        let residual = GradientCheck.randomTensor(shape, rng: &rng)
        var outcomes: [[[UInt32]]] = []
        for cores in [1, 2, 3] {
            let layer = try BatchNorm(channels: 10, kind: .twoDimensional, cores: CoreBudget(cores: cores))
            #expect(CoreBudget.parts(work: input.count, cores: cores) == cores, "the channels split \(cores) ways")
            layer.weight.value = Tensor(shape: [10], values: (0..<10).map { 0.5 + Float($0) / 10 })
            let y = layer.forward(input, mode: .training)
            let dx = try #require(layer.backward(dy, needsInputGradient: true))
            let fused = layer.inferenceForwardReLU(input, adding: residual)
            outcomes.append([y.scalars, dx.scalars, layer.weight.gradient.scalars, layer.bias.gradient.scalars,
                             layer.runningMean.scalars, layer.runningVariance.scalars, fused.scalars]
                .map { $0.map(\.bitPattern) })
        }
        #expect(outcomes[1] == outcomes[0], "two cores")
        #expect(outcomes[2] == outcomes[0], "three cores")
    }

    /// The documented rule: a training batch of one row is normalised with the running
    /// statistics, leaves them unchanged, and still passes finite, non-zero gradients.
    @Test(.tags(.numerics)) func trainingBatchOfOneIsFiniteAndLeavesRunningStatistics() throws {
        let layer = try BatchNorm(channels: 3)
        layer.runningMean = Tensor(shape: [3], values: [0.2, 0, -1])
        layer.runningVariance = Tensor(shape: [3], values: [1, 2, 3])
        let input = Tensor(shape: [1, 3], values: [5, -2, 0.5])
        let inference = layer.forward(input, mode: .inference).scalars
        let training = layer.forward(input, mode: .training).scalars
        #expect(training == inference)
        #expect(layer.runningMean.scalars == [0.2, 0, -1])
        #expect(layer.runningVariance.scalars == [1, 2, 3])
        #expect(layer.batchesTracked == 0)
        let dx = try #require(layer.backward(Tensor(shape: [1, 3], values: [1, 1, 1]), needsInputGradient: true))
        #expect(dx.scalars.allSatisfy { $0.isFinite && $0 != 0 })
        #expect(layer.weight.gradient.scalars.allSatisfy { $0.isFinite })
    }

    @Test(.tags(.endToEnd)) func mlpTrainsWithBatchSizeOne() throws {
        var rng = RNG(seed: 32)
        let config = MLPConfig(inputFeatures: 2, classCount: 2, depth: 2, width: 8, batchNorm: true)
        let model = try config.makeModel(rng: &rng)
        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters),
                                          inputFeatures: 2, classCount: 2)
        let data = try TestData.xor(count: 64, rng: &rng)
        let history = try Trainer.fit(session, train: data, config: try TrainingConfig(epochs: 2, batchSize: 1), rng: &rng)
        #expect(history.divergence == nil)
        #expect(history.iterationLosses.count == 128)
        #expect(history.iterationLosses.allSatisfy { $0.isFinite })
    }

    @Test(.tags(.errors)) func rejectsWrongChannelCount() throws {
        let layer = try BatchNorm(channels: 4)
        #expect(throws: (any Error).self) { try BatchNorm(channels: 0) }
        let error = try #require(throws: (any Error).self) { try layer.outputShape(for: [2, 3]) }
        #expect("\(error)".contains("BatchNorm1d(4) expects input [N, 4], got [2, 3]"), "\(error)")
    }
}
