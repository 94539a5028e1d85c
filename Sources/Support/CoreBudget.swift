import Dispatch
import Foundation
import Synchronization

/// Work that a ``CoreBudget`` splits over threads: `run(part:parts:)` must write only
/// part `part`'s share of the output, so the result never depends on which thread ran
/// which part. A class, so that handing it to the worker threads copies a reference
/// (a closure would have to be boxed on the heap on every call).
public protocol ParallelWork: AnyObject {
    func run(part: Int, parts: Int)
}

/// The cores one piece of work may use: the one way the tool owns the machine's cores.
///
/// The study's scheduler holds every core it was given (`--jobs`) and hands each run
/// a budget: one core to each of many MLP or ResNet18 runs side by side, all of them
/// or one to XGBoost, the backbone's pretraining or the runs on its features. The
/// run's kernels (convolution chunks, pooling planes, image decoding) split their work
/// into at most `count` parts and run them on the budget's own threads: part 0 on the
/// calling thread, the others on `capacity - 1` worker threads created when first
/// needed and stopped when the budget is released.
/// OpenBLAS itself always runs single-threaded (see `BLAS`), so a run never uses more
/// cores than its budget, and nothing flips a process-wide thread count.
///
/// Work must be split by the size of the work, never by `count`, wherever the split
/// could change a result: a budget decides how fast, not what.
///
/// A budget may grow and shrink while its work runs, between 1 and its `capacity`
/// (``resize(to:)``): the scheduler lends a core that nothing else can use to a run
/// that can use it, and takes it back when another unit needs it. So a kernel reads
/// `count` once per call and sizes and splits that call by what it read; its threads
/// and any per-thread scratch are made for `capacity`.
public final class CoreBudget: @unchecked Sendable {
    /// The most cores this budget may ever have: the threads it makes.
    public let capacity: Int
    private let current: Atomic<Int>
    private let lock = NSLock()
    private var pool: WorkerPool?
    /// Core-seconds granted up to `grantedUntil` (uptime nanoseconds), under `lock`.
    private var granted = 0.0
    private var grantedUntil = DispatchTime.now().uptimeNanoseconds

    /// Cores this budget may keep busy at once now (1…`capacity`).
    public var count: Int { current.load(ordering: .relaxed) }

    /// A budget of `cores` cores that may later be resized up to `capacity` (at least `cores`).
    public init(cores: Int, capacity: Int? = nil) {
        let cores = max(1, cores)
        self.capacity = max(cores, capacity ?? cores)
        current = Atomic(cores)
    }

    /// Lets the work use `cores` cores (clamped to 1…`capacity`) from its next call on;
    /// a call already running keeps the cores it split itself over.
    public func resize(to cores: Int) {
        lock.withLock {
            granted = grantedLocked()
            grantedUntil = DispatchTime.now().uptimeNanoseconds
            current.store(min(max(1, cores), capacity), ordering: .relaxed)
        }
    }

    /// Core-seconds granted since the budget was made: the cores it had over time. The
    /// difference of two readings over a run, divided by the run's seconds, is the
    /// cores it had on average.
    public func coreSeconds() -> Double {
        lock.withLock { grantedLocked() }
    }

    private func grantedLocked() -> Double {
        granted + Double(count) * Double(DispatchTime.now().uptimeNanoseconds - grantedUntil) / 1e9
    }

    /// The cores of this machine (`ProcessInfo.activeProcessorCount`).
    public static var machineCores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// A budget of every core of the machine: for callers that own the whole process
    /// (a command, a benchmark, a test).
    public static func machine() -> CoreBudget { CoreBudget(cores: machineCores) }

    /// One core: work runs on the calling thread. Holds no threads, so it is shared.
    public static let single = CoreBudget(cores: 1)

    /// Parts for `work` elements: as many as the budget has cores, but none smaller
    /// than `minimumPerPart` elements (at least one part).
    public func parts(work: Int, minimumPerPart: Int = 1 << 15) -> Int {
        Self.parts(work: work, cores: count, minimumPerPart: minimumPerPart)
    }

    /// Parts for `work` elements on `cores` cores (a `count` a caller read once for a
    /// whole call), none smaller than `minimumPerPart` elements (at least one part).
    public static func parts(work: Int, cores: Int, minimumPerPart: Int = 1 << 15) -> Int {
        max(1, min(cores, work / max(minimumPerPart, 1)))
    }

    /// The contiguous share of `0..<count` that `part` of `parts` handles.
    public static func share(of count: Int, part: Int, parts: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// Calls `work.run(part:parts:)` for `part` in `0..<parts` (at most `capacity`),
    /// concurrently on the budget's threads; one after another on the calling thread
    /// when the threads are already busy with another call (a call made from inside a part).
    public func run(parts: Int, _ work: some ParallelWork) {
        precondition(parts <= capacity, "\(parts) parts on a budget of at most \(capacity) cores")
        guard parts > 1 else { return work.run(part: 0, parts: 1) }
        workers().run(parts: parts, work)
    }

    /// `(0..<items).map(transform)`, computed in up to `count` (read once) contiguous shares on the
    /// budget's threads; the result is in index order and does not depend on `count`.
    public func map<T>(count items: Int, _ transform: (Int) -> T) -> [T] {
        let parts = max(1, min(count, items))
        guard parts > 1 else { return (0..<items).map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            let work = MapWork(items: items, parts: parts, transform: transform)
            run(parts: parts, work)
            return work.joined()
        }
    }

    func workers() -> WorkerPool {
        lock.lock()
        defer { lock.unlock() }
        if let pool { return pool }
        let made = WorkerPool(workers: capacity - 1)
        pool = made
        return made
    }
}

/// The shares of a `CoreBudget.map`, each written once by the part that computes it
/// into a slot of its own.
private final class MapWork<T>: ParallelWork {
    private let items: Int
    private let parts: Int
    private let transform: (Int) -> T
    private let shares: UnsafeMutablePointer<[T]>

    init(items: Int, parts: Int, transform: @escaping (Int) -> T) {
        self.items = items
        self.parts = parts
        self.transform = transform
        shares = .allocate(capacity: parts)
        shares.initialize(repeating: [], count: parts)
    }

    deinit {
        shares.deinitialize(count: parts)
        shares.deallocate()
    }

    func run(part: Int, parts: Int) {
        shares[part] = CoreBudget.share(of: items, part: part, parts: parts).map(transform)
    }

    func joined() -> [T] { (0..<parts).flatMap { shares[$0] } }
}
