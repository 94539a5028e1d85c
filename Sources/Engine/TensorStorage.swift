import Synchronization

/// The heap block behind a `Tensor`: a fixed-capacity float32 buffer freed in `deinit`.
///
/// `Tensor` shares one storage between copies and copies it before a write when
/// it is shared (copy-on-write). Capacity can exceed the tensor's element count so
/// that a layer can reuse one buffer for batches of different sizes.
final class TensorStorage {
    let capacity: Int
    let pointer: UnsafeMutablePointer<Float>
    /// A number that no other storage or write had: taken when the storage is made and
    /// again before each write (`Tensor.makeUnique`), so the same generation means the
    /// same contents (`Tensor.contentVersion`).
    private(set) var generation = TensorStorage.nextGeneration()

    /// Marks the contents as about to change.
    func markWritten() { generation = Self.nextGeneration() }

    private static let generations = Atomic<UInt64>(0)
    private static func nextGeneration() -> UInt64 { generations.wrappingAdd(1, ordering: .relaxed).newValue }

    /// A zero-filled buffer of `capacity` floats.
    init(capacity: Int) {
        self.capacity = capacity
        pointer = .allocate(capacity: Swift.max(capacity, 1))
        pointer.initialize(repeating: 0, count: Swift.max(capacity, 1))
    }

    /// A buffer holding a copy of the first `count` floats of `other`, with room for `capacity`.
    init(copying other: TensorStorage, count: Int, capacity: Int) {
        self.capacity = capacity
        pointer = .allocate(capacity: Swift.max(capacity, 1))
        pointer.initialize(repeating: 0, count: Swift.max(capacity, 1))
        pointer.update(from: other.pointer, count: count)
    }

    deinit {
        pointer.deallocate()
    }
}
