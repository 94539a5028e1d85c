import Dispatch
import Engine
import Foundation

/// Work that `Parallel.run` splits over threads: `run(part:parts:)` must write only
/// part `part`'s share of the output, so the result never depends on which thread
/// ran which part. A class, so that handing it to the worker threads copies a
/// reference (a closure would have to be boxed on the heap on every call).
protocol ParallelWork: AnyObject {
    func run(part: Int, parts: Int)
}

/// Splits work over the cores OpenBLAS is allowed to use (`BLAS.threadCount`):
/// convolutions run chunks of a batch on them (see `ConvolutionPass`), pooling its planes.
///
/// The parts run on persistent worker threads (`WorkerPool`): a call creates no
/// thread and allocates no memory, where `DispatchQueue.concurrentPerform` allocated
/// on every call.
enum Parallel {
    /// Below this many elements of work a loop stays on the calling thread.
    static let minimumWorkPerThread = 1 << 15

    /// Parts for `work` elements on `threads` threads: fewer when the work is small.
    static func parts(threads: Int, work: Int) -> Int {
        max(1, min(threads, work / minimumWorkPerThread))
    }

    /// Calls `work.run(part:parts:)` for `part` in `0..<parts`, concurrently when the
    /// worker threads are free, one after another on the calling thread otherwise
    /// (for a call made while another is running).
    static func run(parts: Int, _ work: some ParallelWork) {
        guard parts > 1 else { return work.run(part: 0, parts: 1) }
        WorkerPool.shared.run(parts: parts, work)
    }

    /// The contiguous share of `0..<count` that `part` of `parts` handles.
    static func share(of count: Int, part: Int, parts: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// Threads for kernels: as many as OpenBLAS uses.
    static var threadCount: Int { BLAS.threadCount }
}

/// Worker threads that wait on a semaphore each and run one part of a
/// `Parallel.run` call; created when a call first needs them, kept for the process.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    private final class Worker: @unchecked Sendable {
        let start = DispatchSemaphore(value: 0)
        // Set by the calling thread before `start` is signalled, read by the worker after.
        var work: (any ParallelWork)?
        var part = 0
        var parts = 0
    }

    /// Held for the whole of a call, so one call at a time uses the workers.
    private let busy = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private var workers: [Worker] = []

    /// Runs part 0 on the calling thread and parts 1…`parts - 1` on workers, returning
    /// when all are done; runs them all on the calling thread when another call is
    /// using the workers.
    func run(parts: Int, _ work: any ParallelWork) {
        guard busy.try() else {
            for part in 0..<parts { work.run(part: part, parts: parts) }
            return
        }
        defer { busy.unlock() }
        while workers.count < parts - 1 { spawnWorker() }
        for part in 1..<parts {
            let worker = workers[part - 1]
            worker.work = work
            worker.part = part
            worker.parts = parts
            worker.start.signal()
        }
        work.run(part: 0, parts: parts)
        for _ in 1..<parts { finished.wait() }
        for part in 1..<parts { workers[part - 1].work = nil }
    }

    private func spawnWorker() {
        let worker = Worker(), finished = finished
        workers.append(worker)
        let thread = Thread {
            while true {
                worker.start.wait()
                worker.work?.run(part: worker.part, parts: worker.parts)
                finished.signal()
            }
        }
        thread.name = "nnreport.parallel.\(workers.count)"
        thread.start()
    }
}
