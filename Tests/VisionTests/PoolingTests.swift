import Engine
import Testing
import TestSupport
@testable import Vision

@Suite struct PoolingTests {
    /// Plain-loop max pooling by PyTorch's CPU rule, `(val > maxval) || isnan(val)` from
    /// −∞ and the window's first in-image element: each output's value and the flat
    /// in-plane index of the element chosen (padding never is).
    private func naiveMaxPool(_ x: Tensor, kernel: Int, stride: Int, padding: Int) -> [(value: Float, index: Int)] {
        let planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3]
        let ho = (h + 2 * padding - kernel) / stride + 1, wo = (w + 2 * padding - kernel) / stride + 1
        var out: [(value: Float, index: Int)] = []
        for p in 0..<planes {
            for i in 0..<ho {
                for j in 0..<wo {
                    var best = -Float.infinity
                    var index = max(i * stride - padding, 0) * w + max(j * stride - padding, 0)
                    for a in 0..<kernel {
                        for b in 0..<kernel {
                            let y = i * stride - padding + a, xx = j * stride - padding + b
                            guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                            let value = x[flat: (p * h + y) * w + xx]
                            if value > best || value.isNaN { (best, index) = (value, y * w + xx) }
                        }
                    }
                    out.append((best, index))
                }
            }
        }
        return out
    }

    /// Values far apart, so that a finite-difference step never changes which element is largest.
    private func distinctValues(_ shape: [Int], rng: inout RNG) -> Tensor {
        var values = (0..<shape.reduce(1, *)).map { Float($0) * 0.1 }
        rng.shuffle(&values)
        return Tensor(shape: shape, values: values)
    }

    @Test(.tags(.numerics)) func maxPoolMatchesNaivePooling() throws {
        var rng = RNG(seed: 21)
        for (kernel, stride, padding, h, w) in [(3, 2, 1, 8, 8), (3, 2, 1, 7, 5), (2, 2, 0, 6, 6), (3, 1, 1, 4, 4),
                                                (2, 1, 1, 3, 5), (3, 3, 0, 9, 7), (1, 1, 0, 2, 3),
                                                // Rows of more than one vector of eight outputs, whole or not.
                                                (3, 2, 1, 9, 33), (3, 2, 1, 5, 32), (3, 1, 1, 3, 19), (3, 3, 1, 4, 50)] {
            let pool = try MaxPool2D(kernelSize: kernel, stride: stride, padding: padding)
            let x = randomTensor([2, 3, h, w], rng: &rng)
            let y = pool.forward(x, mode: .inference)
            #expect(try y.shape == pool.outputShape(for: x.shape))
            let expected = naiveMaxPool(x, kernel: kernel, stride: stride, padding: padding).map { Double($0.value) }
            expectClose(y.scalars, expected, tolerance: 0, "k\(kernel) s\(stride) p\(padding) \(h)x\(w)")
        }
    }

    @Test(.tags(.numerics)) func maxPoolGradientGoesToTheFirstMaximumAndNaNWins() throws {
        let pool = try MaxPool2D(kernelSize: 2, stride: 2)
        // Window 1: tie between 5 at index 1 and 5 at index 5; window 2 holds a NaN.
        let x = Tensor(shape: [1, 1, 2, 4], values: [1, 5, 2, .nan, 0, 5, 3, 4])
        let y = pool.forward(x, mode: .training)
        #expect(y[flat: 0] == 5)
        #expect(y[flat: 1].isNaN, "a NaN in the window is the maximum, as in PyTorch")
        let dx = try #require(pool.backward(Tensor(shape: [1, 1, 1, 2], values: [10, 20]), needsInputGradient: true))
        #expect(dx.scalars == [0, 10, 0, 20, 0, 0, 0, 0])

        let all = Tensor(shape: [1, 1, 2, 2], values: [-.infinity, -.infinity, -.infinity, -.infinity])
        let padded = try MaxPool2D(kernelSize: 3, stride: 2, padding: 1)
        #expect(padded.forward(all, mode: .training).scalars == [-.infinity])
        let paddedGradient = try #require(padded.backward(Tensor(shape: [1, 1, 1, 1], values: [1]), needsInputGradient: true))
        #expect(paddedGradient.scalars == [1, 0, 0, 0], "an all −∞ window sends its gradient to its first element")
    }

    /// Ties, NaNs and infinities in every lane of the kernel's vectors of eight outputs:
    /// each output's value and the element its gradient goes to follow PyTorch's rule.
    @Test(.tags(.numerics)) func maxPoolChoosesAsPyTorchInEveryLane() throws {
        var rng = RNG(seed: 26)
        let specials: [Float] = [.nan, -.infinity, .infinity, 1, 1, 2, 2, 2, 3]
        for (kernel, stride, padding, h, w) in [(3, 2, 1, 11, 37), (2, 2, 0, 6, 20), (3, 1, 1, 5, 17), (3, 3, 1, 7, 29)] {
            let shape = [2, 2, h, w]
            var values = (0..<shape.reduce(1, *)).map { _ in specials[Int(rng.next() % UInt64(specials.count))] }
            // A plane of −∞ only, whose windows keep their first in-image element.
            for i in 0..<(h * w) { values[i] = -.infinity }
            let x = Tensor(shape: shape, values: values)
            let pool = try MaxPool2D(kernelSize: kernel, stride: stride, padding: padding)
            let y = pool.forward(x, mode: .training)
            let indices = naiveMaxPool(x, kernel: kernel, stride: stride, padding: padding).map(\.index)
            let positions = indices.count / 4
            var expected = [Float](repeating: 0, count: x.count)
            for (q, index) in indices.enumerated() {
                let plane = q / positions
                let chosen = x[flat: plane * h * w + index]
                let got = y[flat: q]
                #expect(got == chosen || (got.isNaN && chosen.isNaN),
                        "k\(kernel) s\(stride) p\(padding) \(h)x\(w) output \(q): \(got), expected \(chosen)")
                expected[plane * h * w + index] += Float(q + 1)
            }
            let dy = Tensor(shape: y.shape, values: (0..<y.count).map { Float($0 + 1) })
            let dx = try #require(pool.backward(dy, needsInputGradient: true))
            #expect(dx.scalars == expected, "k\(kernel) s\(stride) p\(padding) \(h)x\(w): gradients at other elements")
        }
    }

    @Test(.tags(.numerics)) func poolingGradients() throws {
        var rng = RNG(seed: 22)
        checkGradients(of: try MaxPool2D(kernelSize: 3, stride: 2, padding: 1), input: distinctValues([2, 2, 7, 6], rng: &rng),
                       seed: 23, step: 1e-3, samples: 60)
        checkGradients(of: try MaxPool2D(kernelSize: 2), input: distinctValues([1, 3, 4, 4], rng: &rng), seed: 24, step: 1e-3)
        checkGradients(of: GlobalAveragePool(), input: randomTensor([3, 4, 5, 2], rng: &rng), seed: 25)
    }

    @Test(.tags(.errors)) func poolingRejectsBadConfigurations() throws {
        #expect(throws: (any Error).self, "padding over half the kernel") {
            try MaxPool2D(kernelSize: 3, stride: 2, padding: 2)
        }
        #expect(throws: (any Error).self) { try MaxPool2D(kernelSize: 0) }
        #expect(throws: (any Error).self) { try MaxPool2D(kernelSize: 3).outputShape(for: [1, 1, 2, 2]) }
        #expect(try GlobalAveragePool().outputShape(for: [5, 7, 3, 2]) == [5, 7])
    }
}
