// Fully connected layers whose output is one short vector (4 or 8 features) and whose
// input has at most 8: the 100-layer width-4 nets and the width-8 net of Part 6.
// For these, an OpenBLAS call costs more than its arithmetic (a 256x4x4 product is
// 4,096 multiply-adds, and OpenBLAS's small-matrix kernels took a third of such a
// run's time), so each row is done here with one SIMD vector of the output width.
//
// Each output is summed in a fixed order whatever the batch or thread count:
// forward, the bias then the inputs in order; the input gradient, over the outputs
// (a vector's lanes summed by `sum()`); the weight and bias gradients, over the
// rows in order, then added to the gradient already there.

extension Kernels {
    /// Whether the narrow kernels handle a `Linear(inputs, outputs)`.
    static func usesNarrowDense(inputs: Int, outputs: Int) -> Bool {
        (outputs == 4 || outputs == 8) && inputs <= 8
    }

    /// `y = x·m + b` for `x` `[N, K]` and `m` `[K, 4]` or `[K, 8]`: the forward pass
    /// with `m = Wᵀ`, and the input gradient `dx = dy·W` with `m = W` when the input
    /// width is 4 or 8 too. `y` is resized to `[N, m.rowSize]`.
    static func narrowProduct(_ x: Tensor, _ m: Tensor, bias: Tensor?, into y: inout Tensor) {
        y.resize(rows: x.rows, columns: m.rowSize)
        switch m.rowSize {
        case 4: narrowProduct(x, m, bias, into: &y, as: SIMD4<Float>.self)
        default: narrowProduct(x, m, bias, into: &y, as: SIMD8<Float>.self)
        }
    }

    /// `dx = dy·W` for `dy` `[N, out]` and any input width up to 8, one dot product
    /// per input; `weightTransposed` is `Wᵀ` (`[in, out]`).
    static func narrowDenseInputGradient(_ dy: Tensor, weightTransposed: Tensor, into dx: inout Tensor) {
        switch weightTransposed.rowSize {
        case 4: narrowDenseInputGradient(dy, weightTransposed, into: &dx, as: SIMD4<Float>.self)
        default: narrowDenseInputGradient(dy, weightTransposed, into: &dx, as: SIMD8<Float>.self)
        }
    }

    /// `dW += dyᵀ·x` (`[out, in]`) and `db += Σ_rows dy`.
    static func narrowDenseParameterGradients(
        _ dy: Tensor, input x: Tensor, weightGradient: inout Tensor, biasGradient: UnsafeMutablePointer<Float>?
    ) {
        switch dy.rowSize {
        case 4: narrowDenseParameterGradients(dy, x, &weightGradient, biasGradient, as: SIMD4<Float>.self)
        default: narrowDenseParameterGradients(dy, x, &weightGradient, biasGradient, as: SIMD8<Float>.self)
        }
    }

    @inline(__always)
    private static func narrowProduct<V: SIMD>(
        _ x: Tensor, _ m: Tensor, _ bias: Tensor?, into y: inout Tensor, as _: V.Type
    ) where V.Scalar == Float {
        let rows = x.rows, inputs = x.rowSize, outputs = V.scalarCount
        // Compared dimension by dimension: an array literal here would allocate every call.
        precondition(m.rows == inputs && m.rowSize == outputs && (bias?.count ?? outputs) == outputs,
                     "narrow product of \(x.shape) and \(m.shape)")
        let w = UnsafeRawPointer(m.basePointer)
        let start = bias.map { UnsafeRawPointer($0.basePointer).loadUnaligned(as: V.self) } ?? V()
        let p = x.basePointer
        y.withUnsafeMutableBufferPointer { buffer in
            let out = UnsafeMutableRawPointer(buffer.baseAddress!)
            // Two rows at a time, for two independent chains of additions; each output's
            // sum is the same with or without a partner row.
            var row = 0
            while row + 1 < rows {
                let first = p + row * inputs, second = first + inputs
                var sum0 = start, sum1 = start
                for k in 0..<inputs {
                    let column = w.loadUnaligned(fromByteOffset: k * outputs * 4, as: V.self)
                    sum0 += V(repeating: first[k]) * column
                    sum1 += V(repeating: second[k]) * column
                }
                out.storeBytes(of: sum0, toByteOffset: row * outputs * 4, as: V.self)
                out.storeBytes(of: sum1, toByteOffset: (row + 1) * outputs * 4, as: V.self)
                row += 2
            }
            if row < rows {
                let line = p + row * inputs
                var sum = start
                for k in 0..<inputs {
                    sum += V(repeating: line[k]) * w.loadUnaligned(fromByteOffset: k * outputs * 4, as: V.self)
                }
                out.storeBytes(of: sum, toByteOffset: row * outputs * 4, as: V.self)
            }
        }
    }

    @inline(__always)
    private static func narrowDenseInputGradient<V: SIMD>(
        _ dy: Tensor, _ weightTransposed: Tensor, into dx: inout Tensor, as _: V.Type
    ) where V.Scalar == Float {
        let rows = dy.rows, inputs = weightTransposed.rows, outputs = V.scalarCount
        precondition(dy.rowSize == outputs, "narrow input gradient of \(dy.shape) with \(weightTransposed.shape)")
        dx.resize(rows: rows, columns: inputs)
        let w = UnsafeRawPointer(weightTransposed.basePointer)
        let g = UnsafeRawPointer(dy.basePointer)
        dx.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!
            for row in 0..<rows {
                let gradient = g.loadUnaligned(fromByteOffset: row * outputs * 4, as: V.self)
                for k in 0..<inputs {
                    out[row * inputs + k] = (gradient * w.loadUnaligned(fromByteOffset: k * outputs * 4, as: V.self)).sum()
                }
            }
        }
    }

    @inline(__always)
    private static func narrowDenseParameterGradients<V: SIMD>(
        _ dy: Tensor, _ x: Tensor, _ weightGradient: inout Tensor, _ biasGradient: UnsafeMutablePointer<Float>?,
        as _: V.Type
    ) where V.Scalar == Float {
        let rows = dy.rows, inputs = x.rowSize, outputs = V.scalarCount
        precondition(x.rows == rows && weightGradient.rows == outputs && weightGradient.rowSize == inputs && inputs <= 8,
                     "narrow weight gradient of \(dy.shape) and \(x.shape) into \(weightGradient.shape)")
        // Column k of dWᵀ, i.e. dW[:, k], one vector each, summed over the rows in order.
        var columns = (V(), V(), V(), V(), V(), V(), V(), V())
        var biasSum = V()
        let g = UnsafeRawPointer(dy.basePointer), p = x.basePointer
        withUnsafeMutableBytes(of: &columns) { raw in
            let sums = raw.baseAddress!
            for row in 0..<rows {
                let gradient = g.loadUnaligned(fromByteOffset: row * outputs * 4, as: V.self)
                biasSum += gradient
                let line = p + row * inputs
                for k in 0..<inputs {
                    let offset = k * MemoryLayout<V>.stride
                    sums.storeBytes(of: sums.loadUnaligned(fromByteOffset: offset, as: V.self) + V(repeating: line[k]) * gradient,
                                    toByteOffset: offset, as: V.self)
                }
            }
            weightGradient.withUnsafeMutableBufferPointer { buffer in
                let out = buffer.baseAddress!
                for k in 0..<inputs {
                    let column = sums.loadUnaligned(fromByteOffset: k * MemoryLayout<V>.stride, as: V.self)
                    for o in 0..<outputs { out[o * inputs + k] += column[o] }
                }
            }
        }
        if let biasGradient {
            for o in 0..<outputs { biasGradient[o] += biasSum[o] }
        }
    }
}
