import Engine
import Support

/// A new tensor `[count] + rowShape` whose rows `fill(index, row)` writes on the
/// budget's cores, with what each call returns in index order. Each call gets only
/// its own row, so the threads never share memory and the result does not depend on
/// their number. Saves the copy (and twice the memory) of stacking per-row tensors.
func concurrentRows<T>(count: Int, rowShape: [Int], cores: CoreBudget,
                       _ fill: (Int, UnsafeMutableBufferPointer<Float>) -> T) -> (Tensor, [T]) {
    var tensor = Tensor(zeros: [count] + rowShape)
    let rowSize = rowShape.reduce(1, *)
    let results = tensor.withUnsafeMutableBufferPointer { buffer in
        let base = UncheckedPointer(buffer.baseAddress)
        return cores.map(count: count) { index in
            fill(index, UnsafeMutableBufferPointer(start: base.value.map { $0 + index * rowSize }, count: rowSize))
        }
    }
    return (tensor, results)
}

/// Hands the tensor's base address to the budget's threads, each writing its own rows.
private struct UncheckedPointer: @unchecked Sendable {
    let value: UnsafeMutablePointer<Float>?
    init(_ value: UnsafeMutablePointer<Float>?) { self.value = value }
}
