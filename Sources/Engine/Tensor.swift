/// A dense float32 tensor in row-major (C) order with value semantics.
///
/// Copies share storage until one of them is written (copy-on-write), so passing
/// tensors around is cheap. Layers keep their activation buffers as tensors and
/// rewrite them in place every step; as long as no other copy is alive the write
/// neither copies nor allocates. The storage may hold more elements than the
/// shape needs, which lets a buffer shrink for a short last batch and grow back
/// without reallocating.
public struct Tensor: @unchecked Sendable {
    /// Extent of each dimension, outermost first (`[N, C]`, `[N, C, H, W]`, ...).
    public private(set) var shape: [Int]
    var storage: TensorStorage

    /// A zero-filled tensor of the given shape.
    public init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        storage = TensorStorage(capacity: shape.reduce(1, *))
    }

    /// A tensor of the given shape filled with `values` in row-major order.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        let count = shape.reduce(1, *)
        precondition(values.count == count, "shape \(shape) needs \(count) values, got \(values.count)")
        self.shape = shape
        storage = TensorStorage(capacity: count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { storage.pointer.update(from: base, count: count) }
        }
    }

    /// A tensor of the given shape with every element equal to `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(zeros: shape)
        if value != 0 { storage.pointer.update(repeating: value, count: count) }
    }

    /// Number of elements (the product of the shape).
    public var count: Int { shape.reduce(1, *) }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The outermost dimension: the batch size for activations.
    public var rows: Int { shape.first ?? 1 }

    /// Elements per outermost index (`count / rows`).
    public var rowSize: Int { shape.dropFirst().reduce(1, *) }

    /// The elements in row-major order.
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// The element at a flat row-major index.
    public subscript(flat index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "index \(index) out of range for shape \(shape)")
            return storage.pointer[index]
        }
        set {
            precondition(index >= 0 && index < count, "index \(index) out of range for shape \(shape)")
            makeUnique()
            storage.pointer[index] = newValue
        }
    }

    /// The element at row `row`, column `column` of a rank-2 tensor.
    public subscript(row: Int, column: Int) -> Float {
        get {
            precondition(rank == 2 && row >= 0 && row < shape[0] && column >= 0 && column < shape[1],
                         "index (\(row), \(column)) out of range for shape \(shape)")
            return storage.pointer[row * shape[1] + column]
        }
        set {
            precondition(rank == 2 && row >= 0 && row < shape[0] && column >= 0 && column < shape[1],
                         "index (\(row), \(column)) out of range for shape \(shape)")
            makeUnique()
            storage.pointer[row * shape[1] + column] = newValue
        }
    }

    /// Gives this tensor the shape `newShape`, keeping the storage when it is large
    /// enough and not shared. Contents are unspecified afterwards; callers overwrite them.
    ///
    /// This is how layers resize their buffers for each batch without allocating:
    /// only a batch larger than any before, or a shared buffer, allocates.
    public mutating func resize(to newShape: [Int]) {
        let needed = newShape.reduce(1, *)
        if needed > storage.capacity || !isKnownUniquelyReferenced(&storage) {
            storage = TensorStorage(capacity: Swift.max(needed, storage.capacity))
        }
        if newShape.count == shape.count {
            // Element-wise so the existing shape array is reused, not replaced.
            for axis in newShape.indices where shape[axis] != newShape[axis] { shape[axis] = newShape[axis] }
        } else {
            shape = newShape
        }
    }

    /// `resize(to: other.shape)`.
    public mutating func resize(like other: Tensor) {
        resize(to: other.shape)
    }

    /// `resize(to: [rows, columns])` without building a shape array when the tensor is
    /// already a matrix of `columns` columns (a layer's buffer from one batch to the next).
    public mutating func resize(rows: Int, columns: Int) {
        if rank == 2 && shape[1] == columns { resize(rows: rows) } else { resize(to: [rows, columns]) }
    }

    /// Like `resize(to:)` with only the outermost dimension changed.
    public mutating func resize(rows: Int) {
        precondition(rank >= 1 && rows >= 0, "cannot set \(rows) rows on shape \(shape)")
        let needed = rows * rowSize
        if needed > storage.capacity || !isKnownUniquelyReferenced(&storage) {
            storage = TensorStorage(capacity: Swift.max(needed, storage.capacity))
        }
        if shape[0] != rows { shape[0] = rows }
    }

    /// Returns the same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        var copy = self
        copy.shape = newShape
        return copy
    }

    /// Sets every element to zero.
    public mutating func zero() {
        makeUnique()
        storage.pointer.update(repeating: 0, count: count)
    }

    /// Copies shared storage before a write, and marks the contents as changing: every
    /// write to a tensor's elements comes through here.
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = TensorStorage(copying: storage, count: count, capacity: count)
        }
        storage.markWritten()
    }

    /// A number that changes whenever the elements may have changed: two reads that
    /// give the same version saw the same elements (a layer keeps what it derived from
    /// its weights while their version stays; no two storages or writes share one).
    public var contentVersion: UInt64 { storage.generation }
}

extension Tensor: Equatable {
    /// Equal when shapes and every element are equal (bitwise for equal floats, so NaN != NaN).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        for index in 0..<lhs.count where lhs.storage.pointer[index] != rhs.storage.pointer[index] {
            return false
        }
        return true
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(\(shape): [\(shown)\(count > 8 ? ", ..." : "")])"
    }
}

extension Tensor {
    /// Items `range` of the outermost index, as a new tensor: rows of a matrix, images
    /// of a batch.
    public func rows(_ range: Range<Int>) -> Tensor {
        var copy = Tensor(zeros: [range.count] + shape.dropFirst())
        Kernels.copyRows(of: self, start: range.lowerBound, count: range.count, into: &copy)
        return copy
    }
}
