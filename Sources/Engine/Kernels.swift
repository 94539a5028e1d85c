// Element-wise and reduction loops over tensor memory. Layers, losses and
// optimizers call these instead of touching pointers themselves; each kernel
// states its shapes and checks them once, then runs a plain loop.
// Sums that feed statistics are accumulated in Double, as PyTorch's CPU kernels do.

enum Kernels {
    // MARK: Dense

    /// `y[r, :] = bias` for every row, the starting value of `y = x·Wᵀ + b`.
    static func broadcastRows(_ bias: Tensor, into y: inout Tensor, rows: Int) {
        let columns = bias.count
        y.withUnsafeMutableBufferPointer { out in
            let b = bias.basePointer
            for row in 0..<rows { (out.baseAddress! + row * columns).update(from: b, count: columns) }
        }
    }

    /// `sums[c] += Σ_r x[r, c]` for a `[rows, columns]` tensor.
    static func accumulateColumnSums(of x: Tensor, into sums: inout Tensor) {
        let rows = x.rows, columns = x.rowSize
        precondition(sums.count == columns, "column sums of \(x.shape) into \(sums.shape)")
        sums.withUnsafeMutableBufferPointer { out in
            let p = x.basePointer
            for row in 0..<rows {
                let line = p + row * columns
                for column in 0..<columns { out[column] += line[column] }
            }
        }
    }

    /// `Σ x[i]²` in Double.
    static func sumOfSquares(_ x: Tensor) -> Double {
        let p = x.basePointer
        var total = 0.0
        for index in 0..<x.count { let v = Double(p[index]); total += v * v }
        return total
    }

    /// Copies rows `indices[start..<start+count]` of `source` (`[N, D]`) into `batch` (`[count, D]`).
    static func gatherRows(of source: Tensor, indices: [Int], start: Int, count: Int, into batch: inout Tensor) {
        let width = source.rowSize
        batch.resize(rows: count)
        batch.withUnsafeMutableBufferPointer { out in
            let src = source.basePointer
            indices.withUnsafeBufferPointer { order in
                for row in 0..<count {
                    (out.baseAddress! + row * width).update(from: src + order[start + row] * width, count: width)
                }
            }
        }
    }

    /// Copies rows `start..<start+count` of `source` (`[N, D]`) into `batch` (`[count, D]`).
    static func copyRows(of source: Tensor, start: Int, count: Int, into batch: inout Tensor) {
        let width = source.rowSize
        precondition(start >= 0 && start + count <= source.rows, "rows \(start)..<\(start + count) of \(source.shape)")
        batch.resize(rows: count)
        batch.withUnsafeMutableBufferPointer { out in
            out.baseAddress!.update(from: source.basePointer + start * width, count: count * width)
        }
    }

    // MARK: Activations

    /// `y = max(x, 0)`.
    static func relu(_ x: Tensor, into y: inout Tensor) {
        let count = x.count
        y.withUnsafeMutableBufferPointer { out in
            let p = x.basePointer
            for index in 0..<count { out[index] = p[index] > 0 ? p[index] : 0 }
        }
    }

    /// `dx = dy · [y > 0]`, using the forward output `y`.
    static func reluBackward(_ dy: Tensor, output y: Tensor, into dx: inout Tensor) {
        let count = dy.count
        dx.withUnsafeMutableBufferPointer { out in
            let g = dy.basePointer, o = y.basePointer
            for index in 0..<count { out[index] = o[index] > 0 ? g[index] : 0 }
        }
    }

    /// `y = a + b` element-wise.
    static func add(_ a: Tensor, _ b: Tensor, into y: inout Tensor) {
        let count = a.count
        precondition(b.count == count, "adding \(a.shape) and \(b.shape)")
        y.withUnsafeMutableBufferPointer { out in
            let p = a.basePointer, q = b.basePointer
            for index in 0..<count { out[index] = p[index] + q[index] }
        }
    }

    /// `y += x` element-wise.
    static func accumulate(_ x: Tensor, into y: inout Tensor) {
        let count = x.count
        precondition(y.count == count, "accumulating \(x.shape) into \(y.shape)")
        y.withUnsafeMutableBufferPointer { out in
            let p = x.basePointer
            for index in 0..<count { out[index] += p[index] }
        }
    }

    // MARK: Classification

    /// Mean softmax cross-entropy of `logits` (`[N, K]`) against `labels`, and optionally
    /// its gradient `(softmax - onehot) / N` written to `gradient`.
    ///
    /// Uses log-sum-exp with the row maximum subtracted, so large logits do not overflow.
    /// Returns the mean loss (accumulated in Double) and the number of rows whose
    /// arg-max (first maximum on ties, as `torch.argmax`) equals the label.
    static func softmaxCrossEntropy(
        logits: Tensor, labels: UnsafeBufferPointer<Int32>, gradient: UnsafeMutablePointer<Float>?
    ) -> (loss: Double, correct: Int) {
        let rows = logits.rows, classes = logits.rowSize
        let z = logits.basePointer
        let inverseRows = 1 / Float(rows)
        var total = 0.0
        var correct = 0
        for row in 0..<rows {
            let line = z + row * classes
            var maximum = line[0], best = 0
            for k in 1..<max(classes, 1) where line[k] > maximum { maximum = line[k]; best = k }
            var sum: Float = 0
            for k in 0..<classes { sum += expf(line[k] - maximum) }
            let label = Int(labels[row])
            let logSum = logf(sum) + maximum
            total += Double(logSum - line[label])
            if best == label { correct += 1 }
            if let gradient {
                let g = gradient + row * classes
                let scale = inverseRows / sum
                for k in 0..<classes { g[k] = expf(line[k] - maximum) * scale }
                g[label] -= inverseRows
            }
        }
        // A NaN or infinite logit makes `sum` or `maximum` NaN, so the loss comes out NaN
        // and the trainer sees the divergence.
        return (rows == 0 ? 0 : total / Double(rows), correct)
    }

    /// Writes the arg-max column of each row of `logits` (first maximum on ties).
    static func argmaxRows(_ logits: Tensor, into predictions: UnsafeMutableBufferPointer<Int32>, offset: Int) {
        let rows = logits.rows, classes = logits.rowSize
        let z = logits.basePointer
        for row in 0..<rows {
            let line = z + row * classes
            var maximum = line[0], best = 0
            for k in 1..<max(classes, 1) where line[k] > maximum { maximum = line[k]; best = k }
            predictions[offset + row] = Int32(best)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
