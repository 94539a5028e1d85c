import Engine

extension Tensor {
    /// Copies the items (outermost index) listed in `indices` into `batch`, in that
    /// order, reusing `batch`'s buffer: how a training loop assembles a shuffled
    /// mini-batch of images `[B, 3, H, W]` from a split `[N, 3, H, W]`.
    public func gatherItems(_ indices: some Collection<Int>, into batch: inout Tensor) {
        ElementwiseKernels.gather(self, indices: indices, into: &batch)
    }
}

extension Tensor {
    /// `resize(to: [n, c, h, w])` that builds the shape array only when more than the
    /// batch changes: an array literal allocates, and layers resize every step.
    mutating func resize(_ n: Int, _ c: Int, _ h: Int, _ w: Int) {
        if rank == 4 && shape[1] == c && shape[2] == h && shape[3] == w {
            resize(rows: n)
        } else {
            resize(to: [n, c, h, w])
        }
    }
}
