// Element-wise and reduction loops over tensor memory. Layers, losses and
// optimizers call these instead of touching pointers themselves; each kernel
// states its shapes and checks them once, then runs a plain loop.
// Sums that feed statistics are accumulated in Double, as PyTorch's CPU kernels do.

enum Kernels {
    // MARK: Dense

    /// `y[r, :] = bias` for every row of a `[rows, columns]` tensor: the starting value
    /// of a product accumulated onto it (`Linear` adds its bias this way, as PyTorch's
    /// `addmm` does, instead of a second pass over the output).
    static func fillRows(with bias: Tensor, into y: inout Tensor) {
        let rows = y.rows, columns = y.rowSize, end = vectorEnd(columns)
        precondition(bias.count == columns, "filling rows of \(y.shape) with \(bias.shape)")
        y.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!, b = bias.basePointer
            // Vector stores rather than a copy call per row: rows are a few dozen floats.
            for row in 0..<rows {
                let line = out + row * columns
                var c = 0
                while c < end { store(load(b, c), line, c); c += lanes }
                while c < columns { line[c] = b[c]; c += 1 }
            }
        }
    }

    /// `y[r, c] = max(y[r, c] + bias[c], 0)` in place, for a product `y` that a layer
    /// adds its bias to before a ReLU: the same roundings as filling `y` with the bias
    /// and accumulating the product onto it, then the ReLU (NaN stays NaN).
    static func addBiasReLU(_ bias: Tensor, into y: inout Tensor) {
        let rows = y.rows, columns = y.rowSize
        precondition(bias.count == columns, "adding \(bias.shape) to the rows of \(y.shape)")
        y.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!, b = bias.basePointer
            for row in 0..<rows {
                let line = out + row * columns
                addReLU(line, b, into: line, count: columns)
            }
        }
    }

    /// `y = max(y, 0)` in place; NaN stays NaN.
    static func reluInPlace(_ y: inout Tensor) {
        let count = y.count
        y.withUnsafeMutableBufferPointer { buffer in relu(UnsafePointer(buffer.baseAddress!), into: buffer.baseAddress!, count: count) }
    }

    /// `sums[c] += Σ_r x[r, c]` for a `[rows, columns]` tensor, as the BLAS product
    /// `sums += xᵀ·1`; `ones` holds at least `rows` ones.
    static func accumulateColumnSums(of x: Tensor, ones: Tensor, into sums: inout Tensor) {
        let rows = x.rows, columns = x.rowSize
        precondition(sums.count == columns && ones.count >= rows, "column sums of \(x.shape) into \(sums.shape)")
        sums.withUnsafeMutableBufferPointer { out in
            BLAS.gemv(transpose: true, m: rows, n: columns, alpha: 1, a: x.basePointer, lda: columns,
                      x: ones.basePointer, beta: 1, y: out.baseAddress!)
        }
    }

    /// `t = mᵀ` for a `[rows, columns]` matrix `m`; `t` must be `[columns, rows]`.
    static func transpose(_ m: Tensor, into t: inout Tensor) {
        let rows = m.shape[0], columns = m.shape[1]
        precondition(t.count == rows * columns, "transposing \(m.shape) into \(t.shape)")
        t.withUnsafeMutableBufferPointer { out in
            let p = m.basePointer
            for row in 0..<rows {
                for column in 0..<columns { out[column * rows + row] = p[row * columns + column] }
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
                    let target = out.baseAddress! + row * width, origin = src + order[start + row] * width
                    // Rows of a few features (Part 6's points) are copied inline: a copy call
                    // per row of two floats cost more than the copy.
                    if width <= 16 {
                        for feature in 0..<width { target[feature] = origin[feature] }
                    } else {
                        target.update(from: origin, count: width)
                    }
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

    /// `y = max(x, 0)`; NaN stays NaN, as `torch.relu`.
    static func relu(_ x: Tensor, into y: inout Tensor) {
        let count = x.count
        y.withUnsafeMutableBufferPointer { buffer in relu(x.basePointer, into: buffer.baseAddress!, count: count) }
    }

    /// `out[i] = max(p[i], 0)` for `count` floats; `p` may be `out` itself.
    static func relu(_ p: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        let end = vectorEnd(count)
        var i = 0
        while i < end {
            let v = load(p, i)
            store(v.replacing(with: 0, where: v .<= 0), out, i)
            i += lanes
        }
        while i < count { out[i] = p[i] <= 0 ? 0 : p[i]; i += 1 }
    }

    /// `dx = dy · [y > 0]`, using the forward output `y`.
    static func reluBackward(_ dy: Tensor, output y: Tensor, into dx: inout Tensor) {
        let count = dy.count, end = vectorEnd(count)
        dx.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!, g = dy.basePointer, o = y.basePointer
            var i = 0
            while i < end {
                store(load(g, i).replacing(with: 0, where: .!(load(o, i) .> 0)), out, i)
                i += lanes
            }
            while i < count { let gi = g[i]; out[i] = o[i] > 0 ? gi : 0; i += 1 }
        }
    }

    /// `y = max(a + b, 0)` element-wise; NaN stays NaN.
    static func addReLU(_ a: Tensor, _ b: Tensor, into y: inout Tensor) {
        let count = a.count
        precondition(b.count == count, "adding \(a.shape) and \(b.shape)")
        y.withUnsafeMutableBufferPointer { buffer in addReLU(a.basePointer, b.basePointer, into: buffer.baseAddress!, count: count) }
    }

    /// `out[i] = max(p[i] + q[i], 0)` for `count` floats; `p` may be `out` itself.
    /// Inlined: `addBiasReLU` calls it once per row, and an MLP's rows are 16 floats.
    @inline(__always)
    static func addReLU(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                        count: Int) {
        let end = vectorEnd(count)
        var i = 0
        while i < end {
            let v = load(p, i) + load(q, i)
            store(v.replacing(with: 0, where: v .<= 0), out, i)
            i += lanes
        }
        while i < count { let v = p[i] + q[i]; out[i] = v <= 0 ? 0 : v; i += 1 }
    }

    /// `y = a + b` element-wise.
    static func add(_ a: Tensor, _ b: Tensor, into y: inout Tensor) {
        let count = a.count, end = vectorEnd(count)
        precondition(b.count == count, "adding \(a.shape) and \(b.shape)")
        y.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!, p = a.basePointer, q = b.basePointer
            var i = 0
            while i < end { store(load(p, i) + load(q, i), out, i); i += lanes }
            while i < count { out[i] = p[i] + q[i]; i += 1 }
        }
    }

    // MARK: Classification

    /// Largest of `count` floats (NaN if any is NaN).
    @inline(__always)
    static func rowMaximum(_ line: UnsafePointer<Float>, count: Int) -> Float {
        guard count >= lanes else {
            var maximum = line[0]
            for k in 1..<max(count, 1) {
                if line[k].isNaN || maximum.isNaN { maximum = .nan } else if line[k] > maximum { maximum = line[k] }
            }
            return maximum
        }
        // Whole vectors, then one that overlaps the last of them: a maximum may count an
        // element twice.
        var vector = load(line, 0)
        var anyNaN = vector .!= vector
        var k = lanes
        while k < count {
            let v = load(line, min(k, count - lanes))
            anyNaN .|= v .!= v
            vector = vector.replacing(with: v, where: v .> vector)
            k += lanes
        }
        if any(anyNaN) { return .nan }
        var maximum = vector[0]
        for lane in 1..<lanes where vector[lane] > maximum { maximum = vector[lane] }
        return maximum
    }

    /// Index of the first element equal to `value`, or -1.
    @inline(__always)
    static func firstIndex(of value: Float, in line: UnsafePointer<Float>, count: Int) -> Int {
        for k in 0..<count where line[k] == value { return k }
        return -1
    }

    /// Writes the arg-max column of each row of `logits` (first maximum on ties).
    static func argmaxRows(_ logits: Tensor, into predictions: UnsafeMutableBufferPointer<Int32>, offset: Int) {
        let rows = logits.rows, classes = logits.rowSize
        let z = logits.basePointer
        for row in 0..<rows {
            let line = z + row * classes
            predictions[offset + row] = Int32(max(firstIndex(of: rowMaximum(line, count: classes), in: line, count: classes), 0))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
