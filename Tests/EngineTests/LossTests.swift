import Foundation
import Testing
import TestSupport
@testable import Engine
import CKernels

@Suite(.tags(.numerics))
struct LossTests {
    /// Reference: `mean_i [log Σ_k exp(z_ik) - z_i,y_i]` computed directly in Double.
    private func referenceLoss(_ logits: [[Double]], _ labels: [Int]) -> Double {
        var total = 0.0
        for (row, label) in zip(logits, labels) {
            let maximum = row.max()!
            total += log(row.map { exp($0 - maximum) }.reduce(0, +)) + maximum - row[label]
        }
        return total / Double(labels.count)
    }

    @Test func lossValueAndAccuracy() {
        let rows: [[Float]] = [[1, 2, 0.5], [0.1, -1, 3], [2, 2, 1], [-4, 0, 0]]
        let labels: [Int32] = [1, 0, 0, 2]
        let logits = Tensor(shape: [4, 3], values: rows.flatMap { $0 })
        let result = SoftmaxCrossEntropy().evaluate(logits: logits, labels: labels[...])
        expectClose(result.loss, referenceLoss(rows.map { $0.map(Double.init) }, labels.map(Int.init)), accuracy: 1e-6)
        // Row 2 ties between classes 0 and 1: the first maximum wins, as torch.argmax.
        // Row 3 ties between 1 and 2: class 1 is predicted, label 2 is wrong.
        #expect(result.correct == 2)
        #expect(accuracy(logits: logits, labels: labels[...]) == 0.5)
    }

    /// Every class count from 1 to 40 (scalar rows, whole vectors, and vectors with an
    /// overlapping last one): loss, gradient and arg-max against the Double reference,
    /// with the maximum placed in each position, the repeated lanes included.
    @Test func everyClassCountMatchesReference() {
        var rng = RNG(seed: 23)
        for classes in 1...40 {
            let rows = classes + 1
            var values = (0..<(rows * classes)).map { _ in rng.uniform(-4, 4) }
            for row in 0..<min(rows, classes) { values[row * classes + row] = 9 }
            let labels = (0..<rows).map { Int32(($0 * 7) % classes) }
            let logits = Tensor(shape: [rows, classes], values: values)
            let table = (0..<rows).map { row in (0..<classes).map { Double(values[row * classes + $0]) } }
            let result = SoftmaxCrossEntropy().lossAndGradient(logits: logits, labels: labels[...])
            let evaluated = SoftmaxCrossEntropy().evaluate(logits: logits, labels: labels[...])
            let reference = referenceLoss(table, labels.map(Int.init))
            expectClose(result.loss, reference, accuracy: 1e-5, "\(classes) classes")
            #expect(evaluated.loss == result.loss, "\(classes) classes")
            let expectedCorrect = zip(table, labels).filter { row, label in row.firstIndex(of: row.max()!) == Int(label) }.count
            #expect(result.correct == expectedCorrect && evaluated.correct == expectedCorrect, "\(classes) classes")
            for row in 0..<rows {
                let maximum = table[row].max()!
                let sum = table[row].map { exp($0 - maximum) }.reduce(0, +)
                for k in 0..<classes {
                    let expected = (exp(table[row][k] - maximum) / sum - (k == Int(labels[row]) ? 1 : 0)) / Double(rows)
                    expectClose(Double(result.gradient[row, k]), expected, accuracy: 1e-7,
                                "\(classes) classes, row \(row), class \(k)")
                }
            }
        }
    }

    /// The copy chosen at load time (AVX2 on this machine's kind) and the SSE2 copy give
    /// the same bits: losses, counts and gradients, for widths around each vector edge.
    @Test func everyCopyOfTheKernelGivesTheSameBits() {
        var rng = RNG(seed: 24)
        for classes in [1, 2, 7, 8, 9, 16, 17, 33, 34, 64] {
            let rows = 37
            let logits = (0..<(rows * classes)).map { _ in rng.uniform(-30, 30) }
            let labels = (0..<rows).map { Int32(($0 * 5) % classes) }
            func run(_ kernel: (UnsafePointer<Float>?, Int64, Int64, UnsafePointer<Int32>?, UnsafeMutablePointer<Float>?,
                                UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Int64>?) -> Void)
                -> (Double, Int64, [Float]) {
                var gradient = [Float](repeating: 0, count: rows * classes)
                var scratch = [Float](repeating: 0, count: classes)
                var loss = 0.0
                var correct: Int64 = 0
                kernel(logits, Int64(rows), Int64(classes), labels, &gradient, &scratch, &loss, &correct)
                return (loss, correct, gradient)
            }
            let chosen = run(nnreport_softmax_cross_entropy), baseline = run(nnreport_softmax_cross_entropy_baseline)
            #expect(chosen.0.bitPattern == baseline.0.bitPattern && chosen.1 == baseline.1, "\(classes) classes")
            #expect(chosen.2.map(\.bitPattern) == baseline.2.map(\.bitPattern), "\(classes) classes")
        }
    }

    /// Rows of up to 64 classes go eight at a time, one row per lane; the row-at-a-time
    /// kernel is the reference: the same losses, counts and gradients, bit for bit (a
    /// NaN's sign apart, which depends on which NaN an addition keeps), for every class
    /// count around the vector edges and the block limit, every row count around eight,
    /// ties (signed zeros) and non-finite logits.
    @Test func eightRowsAtATimeGiveTheBitsOfOneRowAtATime() {
        var rng = RNG(seed: 25)
        func same(_ a: Float, _ b: Float) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }
        for classes in 1...70 {
            for rows in [1, 2, 7, 8, 9, 15, 16, 17, 27] {
                for pattern in 0..<3 {
                    let logits: [Float] = (0..<(rows * classes)).map { _ in
                        switch pattern {
                        case 0: return rng.uniform(-60, 60)
                        case 1: return [0, -0.0, 3, rng.uniform(-1, 1)][Int(rng.uniform(0, 3.999))]
                        default: return rng.uniform(0, 1) < 0.05 ? [.nan, .infinity, -.infinity][Int(rng.uniform(0, 2.999))]
                                                                 : rng.uniform(-4, 4)
                        }
                    }
                    let labels = (0..<rows).map { _ in Int32(rng.uniform(0, Float(classes) - 0.001)) }
                    func run(_ kernel: (UnsafePointer<Float>?, Int64, Int64, UnsafePointer<Int32>?,
                                        UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?,
                                        UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Int64>?) -> Void,
                             gradient withGradient: Bool) -> (Double, Int64, [Float]) {
                        var gradient = [Float](repeating: 0, count: rows * classes)
                        var scratch = [Float](repeating: 0, count: classes)
                        var loss = 0.0
                        var correct: Int64 = 0
                        gradient.withUnsafeMutableBufferPointer { g in
                            kernel(logits, Int64(rows), Int64(classes), labels, withGradient ? g.baseAddress : nil,
                                   &scratch, &loss, &correct)
                        }
                        return (loss, correct, gradient)
                    }
                    let blocks = run(nnreport_softmax_cross_entropy, gradient: true)
                    let single = run(nnreport_softmax_cross_entropy_rows, gradient: true)
                    let evaluated = run(nnreport_softmax_cross_entropy, gradient: false)
                    let context = "\(classes) classes, \(rows) rows, pattern \(pattern)"
                    #expect(blocks.0.isNaN ? single.0.isNaN : blocks.0.bitPattern == single.0.bitPattern, "\(context)")
                    #expect(evaluated.0.bitPattern == blocks.0.bitPattern, "\(context)")
                    #expect(blocks.1 == single.1 && evaluated.1 == single.1, "\(context)")
                    #expect(zip(blocks.2, single.2).allSatisfy(same), "\(context)")
                }
            }
        }
    }

    @Test func nanInTheLastLanesGivesNonFiniteLoss() {
        for classes in [9, 15, 17, 33] {
            var values = [Float](repeating: 0, count: classes)
            values[classes - 1] = .nan
            let logits = Tensor(shape: [1, classes], values: values)
            #expect(!SoftmaxCrossEntropy().evaluate(logits: logits, labels: [0][...]).loss.isFinite, "\(classes) classes")
        }
    }

    @Test func largeLogitsStayFinite() {
        let logits = Tensor(shape: [2, 3], values: [1e4, -1e4, 0, 5e3, 5e3, 5e3])
        let result = SoftmaxCrossEntropy().lossAndGradient(logits: logits, labels: [1, 2][...])
        #expect(result.loss.isFinite)
        // Row 0: log-sum-exp is 1e4, so the loss is 2e4; row 1: uniform, log 3.
        expectClose(result.loss, (2e4 + log(3.0)) / 2, accuracy: 1e-2)
        #expect(result.gradient.scalars.allSatisfy { $0.isFinite })
    }

    /// The softmax kernel's exponential (`exp8` in Sources/CKernels/softmax.c).
    private func kernelExp(_ x: Float) -> Float {
        var input = [Float](repeating: x, count: 9), output = [Float](repeating: 0, count: 9)
        nnreport_exp(&input, &output, 9)
        // Lane 0 of a vector and the scalar tail agree.
        #expect(output[0].bitPattern == output[8].bitPattern, "exp(\(x))")
        return output[0]
    }

    @Test func vectorExponentialMatchesLibm() {
        var rng = RNG(seed: 22)
        for _ in 0..<20_000 {
            let x = rng.uniform(-87, 88)
            let expected = Foundation.exp(Double(x))
            expectClose(Double(kernelExp(x)), expected, accuracy: expected * 3e-7, "exp(\(x))")
        }
        #expect(kernelExp(0) == 1)
        #expect(kernelExp(-1000) < 1e-37)
        #expect(kernelExp(1000).isFinite)
    }

    @Test func nonFiniteLogitGivesNonFiniteLoss() {
        let logits = Tensor(shape: [1, 3], values: [.nan, 0, 1])
        #expect(!SoftmaxCrossEntropy().evaluate(logits: logits, labels: [0][...]).loss.isFinite)
        let infinite = Tensor(shape: [1, 2], values: [.infinity, 0])
        #expect(!SoftmaxCrossEntropy().evaluate(logits: infinite, labels: [1][...]).loss.isFinite)
    }

    @Test func gradientMatchesFiniteDifferences() {
        var rng = RNG(seed: 21)
        let labels: [Int32] = [0, 2, 1, 2, 3]
        var logits = GradientCheck.randomTensor([5, 4], rng: &rng, range: -3...3)
        let loss = SoftmaxCrossEntropy()
        let analytic = loss.lossAndGradient(logits: logits, labels: labels[...]).gradient.scalars
        // The documented closed form: (softmax - onehot) / N.
        for row in 0..<5 {
            let z = (0..<4).map { Double(logits[row, $0]) }
            let sum = z.map { exp($0) }.reduce(0, +)
            for k in 0..<4 {
                let expected = (exp(z[k]) / sum - (k == Int(labels[row]) ? 1 : 0)) / 5
                expectClose(Double(analytic[row * 4 + k]), expected, accuracy: 1e-6, "row \(row), class \(k)")
            }
        }
        let h: Float = 1e-2
        for index in 0..<logits.count {
            let original = logits[flat: index]
            logits[flat: index] = original + h
            let up = loss.evaluate(logits: logits, labels: labels[...]).loss
            logits[flat: index] = original - h
            let down = loss.evaluate(logits: logits, labels: labels[...]).loss
            logits[flat: index] = original
            expectClose(Double(analytic[index]), (up - down) / Double(2 * h), accuracy: 2e-4, "logit \(index)")
        }
    }
}
