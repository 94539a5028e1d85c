import Engine

// Batch copies over whole tensors (the element-wise maths is Engine's `Elementwise`).

enum ElementwiseKernels {
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
