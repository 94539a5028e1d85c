import Testing
import TestSupport
@testable import Engine

/// The BLAS wrapper (SGEMM, and SGEMV for single rows or columns) against a plain
/// triple loop in Double, on seeded random shapes including the edge sizes.
@Suite(.tags(.numerics))
struct BLASTests {
    private func naive(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> [Double] {
        let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
        let n = transposeB ? b.shape[0] : b.shape[1]
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = transposeA ? a[p, i] : a[i, p]
                    let y = transposeB ? b[j, p] : b[p, j]
                    sum += Double(x) * Double(y)
                }
                c[i * n + j] = sum
            }
        }
        return c
    }

    @Test func matmulAgainstNaiveLoops() {
        var rng = RNG(seed: 41)
        let sizes = [1, 2, 3, 7, 16, 33]
        for seed in 0..<60 {
            let m = sizes[rng.index(below: sizes.count)], n = sizes[rng.index(below: sizes.count)]
            let k = sizes[rng.index(below: sizes.count)]
            let transposeA = rng.uniformFloat() < 0.5, transposeB = rng.uniformFloat() < 0.5
            let a = GradientCheck.randomTensor(transposeA ? [k, m] : [m, k], rng: &rng)
            let b = GradientCheck.randomTensor(transposeB ? [n, k] : [k, n], rng: &rng)
            var c = GradientCheck.randomTensor([m, n], rng: &rng)
            let before = c.scalars
            BLAS.matmul(a, b, transposeA: transposeA, transposeB: transposeB, into: &c, alpha: 0.5, beta: 2)
            let product = naive(a, b, transposeA: transposeA, transposeB: transposeB)
            for index in 0..<(m * n) {
                let expected = 0.5 * product[index] + 2 * Double(before[index])
                expectClose(Double(c[flat: index]), expected, accuracy: 1e-4,
                            "seed \(seed): m \(m) n \(n) k \(k) tA \(transposeA) tB \(transposeB), element \(index)")
            }
        }
    }

    @Test func betaZeroResizesAndOverwrites() {
        let a = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 1], values: [1, 0, -1])
        var c = Tensor(repeating: .nan, shape: [5, 5])
        BLAS.matmul(a, b, into: &c)
        #expect(c.shape == [2, 1])
        #expect(c.scalars == [-2, -2])
    }

    @Test func emptyInnerDimensionScalesOutput() {
        var c = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        BLAS.matmul(Tensor(zeros: [2, 0]), Tensor(zeros: [0, 2]), into: &c, beta: 0.5)
        #expect(c.scalars == [0.5, 1, 1.5, 2])
    }

    @Test func biasRowsAndColumnSums() {
        // 11 columns: one 8-lane vector and a tail of 3.
        var y = Tensor(shape: [2, 11], values: (0..<22).map(Float.init))
        Kernels.fillRows(with: Tensor(shape: [11], values: (0..<11).map { Float($0) * 10 }), into: &y)
        BLAS.matmul(Tensor(shape: [2, 1], values: [0, 1]), Tensor(shape: [1, 11], values: (0..<11).map { Float($0) + 11 }),
                    into: &y, beta: 1)
        let withBias: [Float] = (0..<22).map { index -> Float in
            let row = Float(index / 11), column = Float(index % 11)
            return row * (column + 11) + column * 10
        }
        #expect(y.scalars == withBias)
        var sums = Tensor(repeating: 1, shape: [11])
        Kernels.accumulateColumnSums(of: y, ones: Tensor(repeating: 1, shape: [2]), into: &sums)
        let columnSums: [Float] = (0..<11).map { c in 1 + 10 * Float(c) + 11 * Float(c) + 11 }
        #expect(sums.scalars == columnSums)
    }
}
