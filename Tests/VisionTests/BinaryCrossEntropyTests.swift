import Engine
import Foundation
import Testing
import TestSupport

/// `BinaryCrossEntropyWithLogits` (a new Engine file added with the vision work).
@Suite(.tags(.numerics)) struct BinaryCrossEntropyTests {
    @Test func lossGradientAndAccuracyMatchPyTorchsFormula() {
        let loss = BinaryCrossEntropyWithLogits()
        let logits = Tensor(shape: [4, 1], values: [2, -1, 0, 30])
        let labels: [Int32] = [1, 1, 0, 0]
        let result = loss.lossAndGradient(logits: logits, labels: labels[...])
        // -[y log σ(z) + (1-y) log(1-σ(z))] per row, averaged, with log σ(z) = -softplus(-z)
        // and log(1-σ(z)) = -softplus(z) evaluated in Double.
        func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        func softplus(_ t: Double) -> Double { max(t, 0) + log1p(exp(-abs(t))) }
        let rows = zip([2.0, -1, 0, 30], [1.0, 1, 0, 0]).map { z, y in y * softplus(-z) + (1 - y) * softplus(z) }
        expectClose(result.loss, rows.reduce(0, +) / 4, accuracy: 1e-5)
        #expect(result.correct == 2, "z = 0 predicts class 0; z = 30 is a confident mistake")
        for (index, (z, y)) in zip([2.0, -1, 0, 30], [1.0, 1, 0, 0]).enumerated() {
            expectClose(Double(result.gradient[flat: index]), (sigmoid(z) - y) / 4, accuracy: 1e-6)
        }
        let extreme = loss.evaluate(logits: Tensor(shape: [2], values: [-200, 200]), labels: [1, 0])
        expectClose(extreme.loss, 200, accuracy: 1e-3, "no overflow for large logits")
    }
}
