import Engine
import Foundation
import Support

/// The study as a program: from the user's options to a plan of units, the units
/// trained that the cache lacks, and everything the report needs.
///
/// ```swift
/// let session = StudySession(options: options, cache: ResultCache(directory: cacheURL))
/// let plan = try session.plan(StudyCatalog.select(["6.2"]))
/// let summary = try session.run(plan, jobs: 2)
/// let study = try LoadedStudy.load(cache: session.cache)
/// ```
///
/// Inputs are resolved lazily (``StudyInputs``): a plan of Part 7 alone never builds
/// the map, a plan of Part 6 alone never decodes a face, and on a study that has run
/// before, planning reads the inputs' identities from the cache instead of the data.
public final class StudySession: @unchecked Sendable {
    public let inputs: StudyInputs
    public var options: StudyOptions { inputs.options }
    public var cache: ResultCache { inputs.cache }

    /// - Parameters:
    ///   - cores: the cores that generating or decoding the data may use.
    /// Shares the cache with other processes from the first `run` on; the first one
    /// alone in it removes what killed writers left (see ``CacheHold``).
    private var hold: CacheHold?

    public init(options: StudyOptions, cache: ResultCache, cores: CoreBudget = .machine()) {
        inputs = StudyInputs(options: options, cache: cache, cores: cores)
    }

    // MARK: Plan

    /// The units behind `questions`: their keys, costs and dependencies, in order.
    public func plan(_ questions: [any Question]) throws -> StudyPlan {
        StudyPlan(questions, inputs: try planInputs(for: Set(questions.map(\.part))))
    }

    /// Settings and data identities of `parts`, resolved from the memo or the data.
    public func planInputs(for parts: Set<StudyPart>) throws -> PlanInputs {
        var planned = PlanInputs()
        if parts.contains(.six) {
            planned.map = (StudySettings(options, part: .six), try inputs.mapShape())
        }
        if parts.contains(.seven) {
            let settings = StudySettings(options, part: .seven, backbone: try inputs.backboneIdentity())
            var pretraining: BackbonePretraining?
            if case .synthetic(let config) = inputs.backboneSource { pretraining = config }
            planned.faces = (settings, try inputs.faceShape(), pretraining)
        }
        return planned
    }

    // MARK: Run

    /// Trains the units of `plan` that `selection` names and the cache lacks (all of
    /// them with `force`), on `jobs` cores, dependencies first; first records the plan's
    /// parts in the manifest, so `render` can show what is done while it runs. A unit
    /// whose dependency another process trains (a shard's backbone) waits for it in the
    /// cache for up to `waitSeconds`.
    @discardableResult
    public func run(_ plan: StudyPlan, jobs: Int, force: Bool = false, selection: UnitSelection = .all,
                    waitSeconds: Double = 2 * 3600, reporter: (any ProgressReporter)? = nil) throws -> RunSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        if hold == nil { hold = CacheHold(cache) }
        try record(plan)
        let selected = plan.units(selection)
        let cached = force ? [] : selected.filter { isUsable($0) }.map(\.key)
        let pending = selected.filter { !cached.contains($0.key) }
        let selectedKeys = Set(selected.map(\.key))
        let external = plan.units.filter { unit in
            !selectedKeys.contains(unit.key) && pending.contains { $0.dependencies.contains(unit.key) }
        }
        let available = Set(cached).union(external.filter(isUsable).map(\.key))
        if pending.contains(where: { ($0.spec as? FaceRun)?.backbone != nil }) { try inputs.checkWeightsFile() }
        let progress = ProgressTracker(reporter: reporter)
        progress.began(total: pending.count, reused: cached.count, work: pending.reduce(0) { $0 + $1.cost })
        let faultAfter = ProcessInfo.processInfo.environment["NNREPORT_FAULT_KILL_AFTER"].flatMap(Int.init)
        let scheduler = Scheduler(units: pending, available: available, cores: jobs, external: external,
                                  isAvailable: { [self] key in external.first { $0.key == key }.map(isUsable) ?? false },
                                  waitSeconds: waitSeconds)
        try scheduler.run { [self] unit, cores in
            let context = UnitContext(cores: cores, inputs: inputs) { progress.advanced(unit, fraction: $0) }
            let result = try execute(unit.spec, unit: unit, context: context)
            progress.finished(unit, result)
            if let faultAfter, progress.stored >= faultAfter {
                // Fault injection for the kill-and-resume test: die as a crash would, mid-plan.
                kill(getpid(), SIGKILL)
            }
        }
        var summary = RunSummary()
        summary.ran = pending.count
        summary.reused = cached.count
        summary.diverged = progress.diverged + selected.filter { cached.contains($0.key) && cache.status(key: $0.key)?.diverged == true }.count
        summary.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        progress.ended(summary)
        return summary
    }

    /// Trains one unit and stores its result.
    private func execute<Spec: RunSpec>(_ spec: Spec, unit: RunUnit, context: UnitContext) throws -> FinishedRun {
        let coresBefore = context.cores.coreSeconds()
        let started = DispatchTime.now().uptimeNanoseconds
        let outcome = try spec.execute(context)
        // Both ends read together: a run of a millisecond would otherwise seem to have had more cores.
        let ended = DispatchTime.now().uptimeNanoseconds
        let coresAfter = context.cores.coreSeconds()
        let result = RunResult(key: unit.key, config: spec, dataHash: unit.dataHash, dataSource: unit.dataSource,
                               outcome: outcome, wallSeconds: Double(ended - started) / 1e9,
                               finishedAt: ISO8601DateFormatter().string(from: Date()), coreSeconds: coresAfter - coresBefore)
        try cache.store(result)
        return result.finishedRun
    }

    /// Whether a cached entry can be used as it is: it decodes, and a backbone's
    /// weights are there.
    public func isUsable(_ unit: RunUnit) -> Bool {
        guard unit.kind == .backbone else { return cache.status(key: unit.key) != nil }
        return cache.status(key: unit.key) != nil
            && FileManager.default.fileExists(atPath: BackboneStore.weightsURL(key: unit.key, cache: cache).path)
    }

    /// Writes the records of the plan's parts into the manifest, keeping the others'.
    /// A part's record is rebuilt from the data only when its data or settings changed.
    private func record(_ plan: StudyPlan) throws {
        var manifest = try StudyManifest.load(from: cache.directory)
        let parts = Set(plan.parts)
        let planned = try planInputs(for: parts)
        if let (settings, shape) = planned.map {
            if manifest.map?.shape != shape || manifest.map?.settings != settings {
                manifest.map = MapRecord(settings: settings, data: try inputs.map().points)
            }
        }
        if let (settings, shape, _) = planned.faces {
            if var record = manifest.faces, record.shape == shape, record.settings == settings {
                record.describe(inputs.backboneSource)
                manifest.faces = record
            } else {
                manifest.faces = FaceRecord(settings: settings, data: try inputs.faces(), source: inputs.backboneSource)
            }
        }
        manifest.machine = .current
        try manifest.save(in: cache.directory)
    }
}

/// Serialises the scheduler's progress events for the reporter and keeps the counts.
private final class ProgressTracker: @unchecked Sendable {
    private let reporter: (any ProgressReporter)?
    private let lock = NSLock()
    private var completed = 0.0
    private var partial: [String: Double] = [:]
    private(set) var stored = 0
    private(set) var diverged = 0

    init(reporter: (any ProgressReporter)?) { self.reporter = reporter }

    func began(total: Int, reused: Int, work: Double) {
        reporter?.began(total: total, reused: reused, estimatedWork: work)
    }

    func advanced(_ unit: RunUnit, fraction: Double) {
        lock.lock()
        defer { lock.unlock() }
        partial[unit.key] = unit.cost * min(max(fraction, 0), 1)
        reporter?.advanced(label: unit.label, work: completed + partial.values.reduce(0, +))
    }

    func finished(_ unit: RunUnit, _ run: FinishedRun) {
        lock.lock()
        defer { lock.unlock() }
        partial[unit.key] = nil
        completed += unit.cost
        stored += 1
        if run.status.hasPrefix("diverged") { diverged += 1 }
        reporter?.finished(run, label: unit.label, work: completed + partial.values.reduce(0, +))
    }

    func ended(_ summary: RunSummary) {
        reporter?.ended(summary)
    }
}

#if canImport(Glibc)
import Glibc
#endif
