import Dispatch
import Engine
import Foundation
import Synchronization

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
        if #available(macOS 15, *) {
            WorkerPool.shared.run(parts: parts, work)
        } else {
            for part in 0..<parts { work.run(part: part, parts: parts) }
        }
    }

    /// The contiguous share of `0..<count` that `part` of `parts` handles.
    static func share(of count: Int, part: Int, parts: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// Threads for kernels: as many as OpenBLAS uses.
    static var threadCount: Int { BLAS.threadCount }
}

/// Worker threads that run the parts of `Parallel.run` calls; created when a call
/// first needs them, kept for the process.
///
/// Between calls a worker spins for `spinSeconds` before it blocks on a semaphore:
/// convolutions hand out work every millisecond or so, and waking a blocked thread
/// took ~120 µs on this machine's virtual CPUs, about as long as a small layer's
/// whole share of work.
@available(macOS 15, *)
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long an idle worker polls for the next call before it sleeps.
    static let spinSeconds = 1e-3

    private final class Worker: @unchecked Sendable {
        /// Calls posted to this worker so far; it runs each as soon as it sees the count move.
        let posted = Atomic<Int>(0)
        /// Set by the worker before it blocks on `wake`, cleared by whichever side wakes it.
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        // Written by the calling thread before `posted` moves, read by the worker after.
        var work: (any ParallelWork)?
        var part = 0
        var parts = 0
    }

    /// Held for the whole of a call, so one call at a time uses the workers.
    private let busy = NSLock()
    /// Parts of the current call still running on workers.
    private let remaining = Atomic<Int>(0)
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
        remaining.store(parts - 1, ordering: .sequentiallyConsistent)
        for part in 1..<parts {
            let worker = workers[part - 1]
            (worker.work, worker.part, worker.parts) = (work, part, parts)
            worker.posted.add(1, ordering: .sequentiallyConsistent)
            if worker.sleeping.compareExchange(expected: true, desired: false, ordering: .sequentiallyConsistent)
                .exchanged {
                worker.wake.signal()
            }
        }
        work.run(part: 0, parts: parts)
        // The other parts are running (or about to): poll, yielding the core now and then.
        var polls = 0
        while remaining.load(ordering: .acquiring) > 0 {
            polls += 1
            if polls % 1024 == 0 { sched_yield() }
        }
        for part in 1..<parts { workers[part - 1].work = nil }
    }

    private func spawnWorker() {
        let worker = Worker()
        workers.append(worker)
        let thread = Thread { [self] in
            var seen = 0
            while true {
                seen = WorkerPool.waitForCall(worker, after: seen)
                worker.work?.run(part: worker.part, parts: worker.parts)
                remaining.subtract(1, ordering: .releasing)
            }
        }
        thread.name = "nnreport.parallel.\(workers.count)"
        thread.start()
    }

    /// Returns the worker's new `posted` count once it moves past `seen`: polling for
    /// `spinSeconds`, then blocked on the worker's semaphore.
    private static func waitForCall(_ worker: Worker, after seen: Int) -> Int {
        var spinStart = DispatchTime.now().uptimeNanoseconds
        var polls = 0
        while true {
            let posted = worker.posted.load(ordering: .acquiring)
            if posted != seen { return posted }
            polls += 1
            guard polls % 256 == 0 else { continue }
            guard Double(DispatchTime.now().uptimeNanoseconds - spinStart) / 1e9 > spinSeconds else { continue }
            worker.sleeping.store(true, ordering: .sequentiallyConsistent)
            if worker.posted.load(ordering: .sequentiallyConsistent) != seen {
                // A call came in meanwhile: go on, unless its caller already took the flag
                // and signalled, in which case that signal must be consumed.
                if !worker.sleeping.compareExchange(expected: true, desired: false, ordering: .sequentiallyConsistent)
                    .exchanged {
                    worker.wake.wait()
                }
            } else {
                worker.wake.wait()
            }
            spinStart = DispatchTime.now().uptimeNanoseconds
        }
    }
}
