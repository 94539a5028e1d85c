import Dispatch
import Engine
import Foundation

/// `(0..<count).map(transform)`, computed on up to `threads` threads in contiguous
/// shares; the result is in index order and does not depend on the thread count.
func concurrentMap<T>(count: Int, threads: Int, _ transform: (Int) -> T) -> [T] {
    let parts = max(1, min(threads, count))
    guard parts > 1 else { return (0..<count).map(transform) }
    let results = PartResults<T>(parts: parts)
    withoutActuallyEscaping(transform) { transform in
        let work = UncheckedBox(transform)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let share = (count * part / parts)..<(count * (part + 1) / parts)
            results.set(part, share.map(work.value))
        }
    }
    return results.joined()
}

/// The result of each part, written once from its own thread.
private final class PartResults<T>: @unchecked Sendable {
    private var parts: [[T]]
    private let lock = NSLock()

    init(parts: Int) { self.parts = Array(repeating: [], count: parts) }

    func set(_ part: Int, _ values: [T]) {
        lock.lock()
        parts[part] = values
        lock.unlock()
    }

    func joined() -> [T] { parts.flatMap { $0 } }
}

/// Hands a closure that only reads shared state to the worker threads.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// A new tensor `[count] + rowShape` whose rows `fill(index, row)` writes, on up to
/// `threads` threads, with what each call returns in index order. Each call gets only
/// its own row, so the threads never share memory and the result does not depend on
/// their number. Saves the copy (and twice the memory) of stacking per-row tensors.
func concurrentRows<T>(count: Int, rowShape: [Int], threads: Int,
                       _ fill: (Int, UnsafeMutableBufferPointer<Float>) -> T) -> (Tensor, [T]) {
    var tensor = Tensor(zeros: [count] + rowShape)
    let rowSize = rowShape.reduce(1, *)
    let results = tensor.withUnsafeMutableBufferPointer { buffer in
        let base = UncheckedBox(buffer.baseAddress)
        return concurrentMap(count: count, threads: threads) { index in
            fill(index, UnsafeMutableBufferPointer(start: base.value.map { $0 + index * rowSize }, count: rowSize))
        }
    }
    return (tensor, results)
}
