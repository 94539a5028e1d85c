import Engine

// Element-wise loops of the residual blocks and batch copies, over whole tensors.

enum ElementwiseKernels {
    /// `y = max(a + b, 0)`.
    static func addReLU(_ a: Tensor, _ b: Tensor, into y: inout Tensor) {
        precondition(a.count == b.count, "adding \(a.shape) and \(b.shape)")
        y.resize(like: a)
        let count = a.count
        a.withUnsafeBufferPointer { p in
            b.withUnsafeBufferPointer { q in
                y.withUnsafeMutableBufferPointer { out in
                    for index in 0..<count {
                        let sum = p[index] + q[index]
                        out[index] = sum > 0 ? sum : 0
                    }
                }
            }
        }
    }

    /// `y = max(x, 0)`.
    static func relu(_ x: Tensor, into y: inout Tensor) {
        y.resize(like: x)
        let count = x.count
        x.withUnsafeBufferPointer { p in
            y.withUnsafeMutableBufferPointer { out in
                for index in 0..<count { out[index] = p[index] > 0 ? p[index] : 0 }
            }
        }
    }

    /// `dx = dy · [y > 0]`, from the forward output `y` of a ReLU.
    static func reluBackward(_ dy: Tensor, output y: Tensor, into dx: inout Tensor) {
        precondition(dy.count == y.count, "ReLU gradient \(dy.shape) for output \(y.shape)")
        dx.resize(like: dy)
        let count = dy.count
        dy.withUnsafeBufferPointer { g in
            y.withUnsafeBufferPointer { o in
                dx.withUnsafeMutableBufferPointer { out in
                    // Both loads happen unconditionally so the select compiles without a branch
                    // (a branch on the sign of random activations mispredicts half the time).
                    for index in 0..<count {
                        let gradient = g[index], value = o[index]
                        out[index] = value > 0 ? gradient : 0
                    }
                }
            }
        }
    }

    /// `y = a + b`.
    static func add(_ a: Tensor, _ b: Tensor, into y: inout Tensor) {
        precondition(a.count == b.count, "adding \(a.shape) and \(b.shape)")
        y.resize(like: a)
        let count = a.count
        a.withUnsafeBufferPointer { p in
            b.withUnsafeBufferPointer { q in
                y.withUnsafeMutableBufferPointer { out in
                    for index in 0..<count { out[index] = p[index] + q[index] }
                }
            }
        }
    }

    /// Copies the items (outermost index) of `source` listed in `indices` into `batch`, in that order.
    static func gather(_ source: Tensor, indices: some Collection<Int>, into batch: inout Tensor) {
        let itemSize = source.rowSize
        var shape = source.shape
        shape[0] = indices.count
        batch.resize(to: shape)
        source.withUnsafeBufferPointer { src in
            batch.withUnsafeMutableBufferPointer { out in
                for (row, index) in indices.enumerated() {
                    precondition(index >= 0 && index < source.rows, "item \(index) of \(source.shape)")
                    (out.baseAddress! + row * itemSize).update(from: src.baseAddress! + index * itemSize, count: itemSize)
                }
            }
        }
    }
}
