import Dispatch
import Foundation
import Synchronization

/// The worker threads of one ``CoreBudget``: they run the parts of its calls, and
/// stop when the budget (and with it the pool) is released.
///
/// Between calls a worker spins for `spinSeconds` before it blocks on a semaphore:
/// convolutions hand out work every millisecond or so, and waking a blocked thread
/// took ~120 µs on this machine's virtual CPUs, about as long as a small layer's
/// whole share of work. A call creates no thread and allocates no memory.
final class WorkerPool: @unchecked Sendable {
    /// How long an idle worker polls for the next call before it sleeps.
    static let spinSeconds = 1e-3

    final class Worker: @unchecked Sendable {
        /// Calls posted to this worker so far; it runs each as soon as it sees the count move.
        let posted = Atomic<Int>(0)
        /// Set by the worker before it blocks on `wake`, cleared by whichever side wakes it.
        let sleeping = Atomic<Bool>(false)
        /// Set when the pool is released: the worker's thread ends at its next wake-up.
        let stopped = Atomic<Bool>(false)
        /// Set by the worker's thread as it ends.
        let ended = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        /// Parts of the current call still running on workers, shared by the pool's workers.
        let remaining: Counter
        // Written by the calling thread before `posted` moves, read by the worker after.
        var work: (any ParallelWork)?
        var part = 0
        var parts = 0

        init(remaining: Counter) { self.remaining = remaining }
    }

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Held for the whole of a call, so one call at a time uses the workers.
    private let busy = NSLock()
    private let remaining = Counter()
    let workers: [Worker]

    init(workers count: Int) {
        let remaining = self.remaining
        workers = (0..<max(count, 0)).map { _ in Worker(remaining: remaining) }
        for (index, worker) in workers.enumerated() {
            // The thread holds its worker only, never the pool, so releasing the pool stops it.
            let thread = Thread { WorkerPool.serve(worker) }
            thread.name = "nnreport.worker.\(index + 1)"
            thread.start()
        }
    }

    deinit {
        for worker in workers {
            worker.stopped.store(true, ordering: .sequentiallyConsistent)
            worker.posted.add(1, ordering: .sequentiallyConsistent)
            if worker.sleeping.compareExchange(expected: true, desired: false, ordering: .sequentiallyConsistent).exchanged {
                worker.wake.signal()
            }
        }
    }

    /// Runs part 0 on the calling thread and parts 1…`parts - 1` on workers, returning
    /// when all are done; runs them all on the calling thread when another call is
    /// using the workers.
    func run(parts: Int, _ work: any ParallelWork) {
        precondition(parts - 1 <= workers.count, "\(parts) parts for \(workers.count) workers")
        guard busy.try() else {
            for part in 0..<parts { work.run(part: part, parts: parts) }
            return
        }
        defer { busy.unlock() }
        remaining.value.store(parts - 1, ordering: .sequentiallyConsistent)
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
        while remaining.value.load(ordering: .acquiring) > 0 {
            polls += 1
            if polls % 1024 == 0 { sched_yield() }
        }
        for part in 1..<parts { workers[part - 1].work = nil }
    }

    /// The loop of a worker's thread: run each posted part, until the pool is released.
    private static func serve(_ worker: Worker) {
        var seen = 0
        while true {
            seen = waitForCall(worker, after: seen)
            if worker.stopped.load(ordering: .acquiring) {
                worker.ended.store(true, ordering: .releasing)
                return
            }
            worker.work?.run(part: worker.part, parts: worker.parts)
            worker.remaining.value.subtract(1, ordering: .releasing)
        }
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
