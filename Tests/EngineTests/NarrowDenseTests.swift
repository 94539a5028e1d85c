import Testing
import TestSupport
@testable import Engine

/// The narrow dense kernels (outputs 4 or 8, inputs up to 8) against sums in Double,
/// through `Linear`'s own forward and backward, on every width they take and on
/// batches of 0, 1, 2 and 5 rows (odd counts leave a row without a partner).
@Suite(.tags(.numerics))
struct NarrowDenseTests {
    @Test(arguments: [4, 8])
    func forwardAndBackwardMatchDoubleSums(outputs: Int) throws {
        for inputs in 1...8 {
            for rows in [0, 1, 2, 5] {
                for hasBias in [true, false] {
                    try check(inputs: inputs, outputs: outputs, rows: rows, hasBias: hasBias)
                }
            }
        }
    }

    @Test func widthsOutsideTheNarrowRangeUseBLAS() {
        #expect(Kernels.usesNarrowDense(inputs: 4, outputs: 4))
        #expect(Kernels.usesNarrowDense(inputs: 8, outputs: 8))
        #expect(Kernels.usesNarrowDense(inputs: 2, outputs: 8))
        #expect(!Kernels.usesNarrowDense(inputs: 9, outputs: 8))
        #expect(!Kernels.usesNarrowDense(inputs: 4, outputs: 5))
        #expect(!Kernels.usesNarrowDense(inputs: 16, outputs: 16))
    }

    private func check(inputs: Int, outputs: Int, rows: Int, hasBias: Bool) throws {
        let context = "Linear(\(inputs), \(outputs)), \(rows) rows, bias \(hasBias)"
        var rng = RNG(seed: UInt64(100 * inputs + 10 * outputs + rows))
        let layer = try Linear(inputs, outputs, bias: hasBias, rng: &rng)
        let x = GradientCheck.randomTensor([rows, inputs], rng: &rng)
        let dy = GradientCheck.randomTensor([rows, outputs], rng: &rng)
        // Gradients already there are added to, as with BLAS's beta = 1.
        let priorWeightGradient = GradientCheck.randomTensor([outputs, inputs], rng: &rng)
        layer.weight.gradient = priorWeightGradient
        layer.bias?.gradient = Tensor(repeating: 0.5, shape: [outputs])

        let y = layer.forward(x, mode: .training).scalars
        let w = layer.weight.value, b = layer.bias?.value
        #expect(y.count == rows * outputs, "\(context): output size")
        for r in 0..<rows {
            for o in 0..<outputs {
                var sum = Double(b?[flat: o] ?? 0)
                for k in 0..<inputs { sum += Double(x[r, k]) * Double(w[o, k]) }
                expectClose(Double(y[r * outputs + o]), sum, accuracy: 1e-5, "\(context): y[\(r), \(o)]")
            }
        }

        let dx = try #require(layer.backward(dy, needsInputGradient: true), "\(context)")
        #expect(dx.shape == [rows, inputs], "\(context): input gradient shape")
        for r in 0..<rows {
            for k in 0..<inputs {
                var sum = 0.0
                for o in 0..<outputs { sum += Double(dy[r, o]) * Double(w[o, k]) }
                expectClose(Double(dx[r, k]), sum, accuracy: 1e-5, "\(context): dx[\(r), \(k)]")
            }
        }
        for o in 0..<outputs {
            for k in 0..<inputs {
                var sum = Double(priorWeightGradient[o, k])
                for r in 0..<rows { sum += Double(dy[r, o]) * Double(x[r, k]) }
                expectClose(Double(layer.weight.gradient[o, k]), sum, accuracy: 1e-5, "\(context): dW[\(o), \(k)]")
            }
            if let bias = layer.bias {
                var sum = 0.5
                for r in 0..<rows { sum += Double(dy[r, o]) }
                expectClose(Double(bias.gradient[flat: o]), sum, accuracy: 1e-5, "\(context): db[\(o)]")
            }
        }
    }
}
