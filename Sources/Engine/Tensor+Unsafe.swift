// The pointer entry points of `Tensor`. Kernels and BLAS calls reach tensor memory
// only through these, so every raw access is bounded by `count` and every write
// goes through the copy-on-write check.

extension Tensor {
    /// Calls `body` with a read-only view of the elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: basePointer, count: count))
    }

    /// Calls `body` with a writable view of the elements, copying shared storage first.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: basePointer, count: count))
    }

    var basePointer: UnsafeMutablePointer<Float> { storage.pointer }
}
