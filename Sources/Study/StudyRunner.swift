import Engine
import Foundation

/// One unique run of the study: a config for one seed, its cache key, and the
/// experiment labels it appears under.
public struct PlannedRun: Sendable, Equatable {
    public var key: String
    public var config: RunConfig
    public var labels: [String]
}

/// Trains what the cache lacks, in parallel, and returns every result.
///
/// Runs are independent (each owns its model and random generator, the data is
/// shared read-only) and OpenBLAS is kept to one thread, so a run's numbers do not
/// depend on `jobs`, on scheduling, or on which runs came from the cache.
public final class StudyRunner {
    public let cache: ResultCache
    public let jobs: Int
    public let reporter: (any ProgressReporter)?

    public init(cache: ResultCache, jobs: Int, reporter: (any ProgressReporter)? = nil) {
        self.cache = cache
        self.jobs = max(1, jobs)
        self.reporter = reporter
    }

    /// The unique runs behind `experiments` under `plan`, each seed separately,
    /// in first-use order.
    public static func plannedRuns(_ experiments: [any Experiment], plan: StudyPlan, dataHash: String) -> [PlannedRun] {
        let runs = experiments.flatMap { experiment in experiment.runs(for: plan).map { (experiment.id, $0.label, $0.config) } }
        return uniqueSeededRuns(runs, seeds: plan.seeds, withSeed: { $0.withSeed($1) },
                                key: { CacheKey.key(for: $0, dataHash: dataHash) })
            .map { PlannedRun(key: $0.key, config: $0.config, labels: $0.labels) }
    }

    /// Loads or trains every run; with `force`, trains them all again.
    public func run(_ runs: [PlannedRun], data: StudyData, force: Bool = false) throws -> [String: RunResult] {
        let started = DispatchTime.now().uptimeNanoseconds
        var results: [String: RunResult] = [:]
        var pending: [PlannedRun] = []
        for run in runs {
            if !force, let cached = cache.load(key: run.key) { results[run.key] = cached } else { pending.append(run) }
        }
        // Longest first, so the last job to finish is a short one.
        pending.sort { (WorkEstimate.of($0.config, data: data), $1.key) > (WorkEstimate.of($1.config, data: data), $0.key) }
        let totalWork = pending.reduce(0) { $0 + WorkEstimate.of($1.config, data: data) }
        reporter?.began(total: pending.count, reused: results.count, estimatedWork: totalWork)

        let queue = WorkQueue(runs: pending, reporter: reporter)
        let cache = self.cache
        let workers = (0..<min(jobs, max(pending.count, 1))).map { _ in
            let thread = Thread { queue.work(data: data, cache: cache) }
            thread.stackSize = 8 << 20
            return thread
        }
        workers.forEach { $0.start() }
        queue.waitUntilDone(workers: workers.count)
        if let error = queue.firstError { throw error }
        for (key, result) in queue.results { results[key] = result }

        var summary = RunSummary()
        summary.ran = pending.count
        summary.reused = runs.count - pending.count
        summary.diverged = runs.filter { results[$0.key]?.diverged == true }.count
        summary.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        reporter?.ended(summary)
        return results
    }
}

/// The shared state of the worker threads: the next run to take, the results so
/// far, the first error, and progress, all behind one lock.
private final class WorkQueue: @unchecked Sendable {
    private let runs: [PlannedRun]
    private let reporter: (any ProgressReporter)?
    private let lock = NSCondition()
    private var next = 0
    private var finishedWorkers = 0
    private var completedWork = 0.0
    private(set) var results: [String: RunResult] = [:]
    private(set) var firstError: Error?

    init(runs: [PlannedRun], reporter: (any ProgressReporter)?) {
        self.runs = runs
        self.reporter = reporter
    }

    func work(data: StudyData, cache: ResultCache) {
        while let run = take() {
            let work = WorkEstimate.of(run.config, data: data)
            let label = run.labels[0]
            do {
                let result = try RunExecutor.execute(run.config, data: data, key: run.key) { epoch in
                    self.progress(label: label, partial: work * Double(epoch) / Double(max(run.config.epochs, 1)))
                }
                try cache.store(result)
                complete(run, result: result, work: work)
            } catch {
                fail(error)
            }
        }
        lock.lock()
        finishedWorkers += 1
        lock.broadcast()
        lock.unlock()
    }

    func waitUntilDone(workers: Int) {
        lock.lock()
        while finishedWorkers < workers { lock.wait() }
        lock.unlock()
    }

    private func take() -> PlannedRun? {
        lock.lock()
        defer { lock.unlock() }
        guard firstError == nil, next < runs.count else { return nil }
        next += 1
        return runs[next - 1]
    }

    private func progress(label: String, partial: Double) {
        lock.lock()
        reporter?.advanced(label: label, work: completedWork + partial)
        lock.unlock()
    }

    private func complete(_ run: PlannedRun, result: RunResult, work: Double) {
        lock.lock()
        results[run.key] = result
        completedWork += work
        reporter?.finished(result.finishedRun, label: run.labels[0], work: completedWork)
        lock.unlock()
    }

    private func fail(_ error: Error) {
        lock.lock()
        if firstError == nil { firstError = error }
        lock.unlock()
    }
}

/// A rough cost of a run in arbitrary units, for ordering and the ETA: multiply-adds
/// per sample times samples seen, plus a per-step overhead that dominates at batch 1.
enum WorkEstimate {
    static func of(_ config: RunConfig, data: StudyData) -> Double {
        let inputs = config.features == .sine ? 20.0 : 2.0
        let width = Double(config.width), depth = Double(config.depth)
        let classes = Double(data.points.classCount)
        let perSample = inputs * width + max(depth - 1, 0) * (width * width + 12 * width) + width * classes
        let train = Double(data.points.train.count)
        let evaluated = train + Double(data.points.validation.count + data.points.test.count)
        let steps = (train / Double(config.batchSize)).rounded(.up)
        let perEpoch = 3 * perSample * train + perSample * evaluated + steps * 40 * (depth + 1) * 20
        return Double(config.epochs) * perEpoch
    }
}

/// Every run of `runs` (experiment id, label, first seed's config) for each of
/// `seeds`, once per cache key, in first-use order, with every label it appears
/// under (`6.1.2-q1 lr 0.001`, plus ` seed N` with several seeds).
func uniqueSeededRuns<Config>(_ runs: [(experiment: String, label: String, config: Config)], seeds: [UInt64],
                              withSeed: (Config, UInt64) -> Config,
                              key: (Config) -> String) -> [(key: String, config: Config, labels: [String])] {
    var unique: [(key: String, config: Config, labels: [String])] = []
    var index: [String: Int] = [:]
    for run in runs {
        for seed in seeds {
            let config = withSeed(run.config, seed)
            let key = key(config)
            let label = "\(run.experiment) \(run.label)" + (seeds.count > 1 ? " seed \(seed)" : "")
            if let existing = index[key] {
                unique[existing].labels.append(label)
            } else {
                index[key] = unique.count
                unique.append((key, config, [label]))
            }
        }
    }
    return unique
}
