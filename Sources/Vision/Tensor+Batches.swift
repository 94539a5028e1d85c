import Engine

extension Tensor {
    /// Copies the items (outermost index) listed in `indices` into `batch`, in that
    /// order, reusing `batch`'s buffer: how a training loop assembles a shuffled
    /// mini-batch of images `[B, 3, H, W]` from a split `[N, 3, H, W]`.
    public func gatherItems(_ indices: some Collection<Int>, into batch: inout Tensor) {
        ElementwiseKernels.gather(self, indices: indices, into: &batch)
    }
}
