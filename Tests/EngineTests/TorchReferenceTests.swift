import Foundation
import Testing
import TestSupport
@testable import Engine

/// The engine against PyTorch on the same network, weights and batch: losses,
/// gradients, parameters after Adam and SGD steps, batch-norm running statistics
/// and inference-mode logits. Expected values come from
/// `Reference/torch_reference.py` (torch 2.13.0+cpu) in `TorchReferenceValues.swift`.
@Suite(.tags(.numerics))
struct TorchReferenceTests {
    /// The script's networks, with weights from its formula:
    /// `Linear(2, 4, bias: false) → BatchNorm1d(4) → ReLU → Linear(4, 3)`, or without
    /// batch norm `Linear(2, 4) → ReLU → Linear(4, 3)`.
    private func model(batchNorm: Bool) throws -> Sequential {
        var rng = RNG(seed: 0)
        let first = try Linear(2, 4, bias: !batchNorm, rng: &rng), last = try Linear(4, 3, rng: &rng)
        let linear = [first.weight] + (first.bias.map { [$0] } ?? []) + [last.weight, last.bias!]
        for (offset, parameter) in linear.enumerated() {
            let values = (0..<parameter.value.count).map { Float(0.5 * sin(0.37 * Double($0) + Double(offset))) }
            parameter.value = Tensor(shape: parameter.value.shape, values: values)
        }
        return Sequential(batchNorm ? [first, try BatchNorm(channels: 4), ReLU(), last] : [first, ReLU(), last])
    }

    private func check(_ reference: TorchReference.Case, batchNorm: Bool,
                       optimizer makeOptimizer: ([Parameter]) throws -> any Optimizer,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let network = try model(batchNorm: batchNorm)
        let parameters = network.allParameters
        let optimizer = try makeOptimizer(parameters)
        let input = Tensor(shape: [5, 2], values: TorchReference.input)
        let loss = SoftmaxCrossEntropy()
        for step in 0..<3 {
            optimizer.zeroGradients()
            let result = loss.lossAndGradient(logits: network.forward(input, mode: .training), labels: TorchReference.labels[...])
            _ = network.backward(result.gradient, needsInputGradient: false)
            assertClose([Float(result.loss)], [reference.losses[step]], noise: [reference.noise.losses[step]], "loss of step \(step + 1)",
                        sourceLocation: sourceLocation)
            if step == 0 {
                for (index, parameter) in parameters.enumerated() {
                    assertClose(parameter.gradient.scalars, reference.firstGradients[index],
                                noise: reference.noise.firstGradients[index], "gradient of parameter \(index)",
                                sourceLocation: sourceLocation)
                }
            }
            optimizer.step()
        }
        for (index, parameter) in parameters.enumerated() {
            assertClose(parameter.value.scalars, reference.parameters[index], noise: reference.noise.parameters[index],
                        "parameter \(index) after three steps", sourceLocation: sourceLocation)
        }
        if batchNorm {
            let layer = try #require(network.layers[1] as? BatchNorm, sourceLocation: sourceLocation)
            assertClose(layer.runningMean.scalars, reference.runningMean, noise: reference.noise.runningMean, "running mean",
                        sourceLocation: sourceLocation)
            assertClose(layer.runningVariance.scalars, reference.runningVariance, noise: reference.noise.runningVariance,
                        "running variance", sourceLocation: sourceLocation)
        }
        assertClose(network.forward(input, mode: .inference).scalars, reference.evalLogits, noise: reference.noise.evalLogits,
                    "inference logits", sourceLocation: sourceLocation)
    }

    /// Agreement within float32 round-off: relative 1e-5 (1e-6 absolute near zero), plus
    /// four times the distance between PyTorch's own float32 and float64 results for
    /// that number.
    private func assertClose(_ actual: [Float], _ expected: [Double], noise: [Double], _ what: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(what)", sourceLocation: sourceLocation)
        for (index, (a, e)) in zip(actual, expected).enumerated() {
            let tolerance = 1e-6 + 1e-5 * abs(e) + 4 * noise[index]
            expectClose(Double(a), e, accuracy: tolerance, "\(what)[\(index)]: \(actual) vs \(expected)",
                        sourceLocation: sourceLocation)
        }
    }

    @Test func adamWithBatchNormMatchesPyTorch() throws {
        try check(TorchReference.adam, batchNorm: true) { try Adam(parameters: $0, learningRate: 0.01) }
    }

    @Test func sgdWithMomentumAndWeightDecayMatchesPyTorch() throws {
        try check(TorchReference.sgd, batchNorm: true) {
            try SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, weightDecay: 0.01)
        }
    }

    @Test func adamWithoutBatchNormMatchesPyTorch() throws {
        try check(TorchReference.plain, batchNorm: false) { try Adam(parameters: $0, learningRate: 0.01) }
    }
}
