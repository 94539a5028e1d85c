import Dispatch
import Engine

/// Splits a loop over the cores OpenBLAS uses, for the memory-bound kernels
/// (im2col, col2im) that run between GEMMs while OpenBLAS's threads wait.
enum Parallel {
    /// Below this many elements of work a loop stays on the calling thread.
    static let minimumWorkPerThread = 1 << 15

    /// Calls `body(part, parts)` for `part` in `0..<parts` concurrently, where
    /// `parts` is `threads` or fewer when `work` (elements) is small.
    static func run(parts threads: Int, work: Int, _ body: (_ part: Int, _ parts: Int) -> Void) {
        let parts = max(1, min(threads, work / minimumWorkPerThread))
        guard parts > 1 else { return body(0, 1) }
        withoutActuallyEscaping(body) { body in
            // Each part writes a disjoint share of the output (see `share`).
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts) { part in shared.value(part, parts) }
        }
    }

    /// The contiguous share of `0..<count` that `part` of `parts` handles.
    static func share(of count: Int, part: Int, parts: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// Threads for kernels: as many as OpenBLAS uses.
    static var threadCount: Int { BLAS.threadCount }
}

private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
