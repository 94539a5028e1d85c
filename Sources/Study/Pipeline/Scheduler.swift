import Foundation
import Support

/// Runs units on a fixed number of cores, each unit on a thread of its own with a
/// budget of one core or of every core (``cores(for:)``), never starting a unit
/// before the units it depends on are done.
///
/// A kind that may use every core (XGBoost, the backbone, probing) gets one core when
/// the waiting work that does not depend on it would keep the other cores busy for as
/// long as it runs: one core costs it nothing per core-second (the backbone took 88
/// core-seconds on one core against 105 on two, 2026-12-05), and the other cores go
/// to that work. Of the units that share the frozen features, the first runs alone and
/// the others after it (``UnitKind/sharesFrozenFeatures``).
///
/// A core that no waiting unit can use (nothing is ready, or all that is left is
/// running) is lent to a running unit whose work can grow (``UnitKind/growsIntoIdleCores``),
/// the one with the most estimated work left, and taken back as soon as a unit needs it:
/// at the end of a plan the last ResNet18 run had run alone on one core for 11 s
/// beside an idle one (Part 7, 2026-12-05).
///
/// Ready units start in order: units that may use every core first, then by estimated cost,
/// longest first, so the last to finish is a short one. A unit that does not fit in
/// the free cores waits, and nothing jumps it (so an all-core unit is never starved
/// by a stream of one-core units); all-core units go first because every core is
/// free at the start and whenever the units they depend on (all-core too: the
/// backbone) finish, whereas one placed among one-core units waits with cores idle
/// until the running ones drain (measured on the default study, 2026-12-05: XGBoost
/// waited 14 s beside one busy core; 36 idle core-seconds in all). After the
/// first failure no unit starts; the running ones finish, then the error is thrown.
///
/// A dependency that none of its units provides is another process's (a shard on
/// another node that trains the backbone): the scheduler polls `isAvailable` for it
/// every `pollSeconds` and gives up with a clear message after `waitSeconds`.
/// Results never depend on this order or on the core count: units share no mutable
/// state and split work by its size, never by their budget.
final class Scheduler: @unchecked Sendable {
    /// Runs `unit` with `cores`.
    typealias Work = @Sendable (_ unit: RunUnit, _ cores: CoreBudget) throws -> Void

    private let cores: Int
    private let condition = NSCondition()
    private var free: Int
    private var waiting: [RunUnit]
    private var done: Set<String>
    /// The units running, by key: each with its budget and the cores it was given at its start.
    private var running: [String: Running] = [:]

    private struct Running {
        let unit: RunUnit
        let budget: CoreBudget
        /// Cores the unit was started with; the budget may hold more, lent while idle.
        let cores: Int
        let started: Date

        var lent: Int { budget.count - cores }
        /// Estimated seconds of work left on one core.
        func left(at now: Date) -> Double { unit.cost - now.timeIntervalSince(started) }
    }
    /// Dependencies of the feature-sharing units of which one is running or has finished:
    /// the first computes the features, the others start once it has finished.
    private var featuresStarted: Set<[String]> = []
    private var featuresReady: Set<[String]> = []
    private var firstError: Error?
    private let isAvailable: (String) -> Bool
    private let waitSeconds: Double
    private let pollSeconds: Double
    /// Descriptions of the units outside this scheduler that waiting units depend on, by key.
    private let externalNames: [String: String]

    /// - Parameters:
    ///   - units: the units to run.
    ///   - available: keys already done (cached), which units may depend on.
    ///   - cores: how many cores the scheduler owns (`--jobs`).
    ///   - external: the units other processes provide, which some of `units` depend on.
    ///   - isAvailable: whether another process has stored the unit with this key.
    init(units: [RunUnit], available: Set<String>, cores: Int, external: [RunUnit] = [],
         isAvailable: @escaping (String) -> Bool = { _ in false }, waitSeconds: Double = 0, pollSeconds: Double = 2) {
        self.cores = max(1, cores)
        free = self.cores
        done = available
        waiting = units.sorted { Self.precedes($0, $1) }
        self.isAvailable = isAvailable
        self.waitSeconds = waitSeconds
        self.pollSeconds = pollSeconds
        externalNames = Dictionary(external.map { ($0.key, "\($0.label) (\($0.summary), key \($0.key.prefix(12)))") },
                                   uniquingKeysWith: { first, _ in first })
    }

    /// Whether `a` starts before `b` when both are ready: every-core units first, then
    /// the longer estimate, then the key (so the order is the same on every run).
    static func precedes(_ a: RunUnit, _ b: RunUnit) -> Bool {
        let first = a.kind.usesEveryCore, second = b.kind.usesEveryCore
        if first != second { return first }
        return (a.cost, b.key) > (b.cost, a.key)
    }

    /// Cores a unit gets: one for the one-core kinds; for the others every core the
    /// scheduler owns, unless the waiting units that do not depend on it, nor on a unit
    /// another process has not stored yet, add up to at least its cost on each of the
    /// other cores, then one.
    func cores(for unit: RunUnit) -> Int {
        guard unit.kind.usesEveryCore, cores > 1 else { return 1 }
        let beside = waiting.reduce(0.0) { total, other in
            other.key == unit.key || other.dependencies.contains(unit.key) || waitsForAnotherProcess(other)
                ? total : total + other.cost
        }
        return beside >= Double(cores - 1) * unit.cost ? 1 : cores
    }

    /// Whether `unit` depends on a unit that another process trains and has not stored yet
    /// (a sharded run's probes before the backbone's shard is done): it cannot keep a
    /// core busy any time soon.
    private func waitsForAnotherProcess(_ unit: RunUnit) -> Bool {
        unit.dependencies.contains { externalNames[$0] != nil && !done.contains($0) }
    }

    /// Runs every unit with `work`; returns when all are done or throws the first error.
    func run(_ work: @escaping Work) throws {
        condition.lock()
        defer { condition.unlock() }
        let started = Date()
        while true {
            pollExternal()
            if firstError == nil, let next = nextReady() {
                let unit = waiting.remove(at: next.index)
                let budget = CoreBudget(cores: next.cores, capacity: unit.kind.growsIntoIdleCores ? cores : next.cores)
                if unit.kind.sharesFrozenFeatures { featuresStarted.insert(unit.dependencies) }
                free -= next.cores
                takeBackLentCores()
                running[unit.key] = Running(unit: unit, budget: budget, cores: next.cores, started: Date())
                let thread = Thread { [self] in
                    var failure: Error?
                    do {
                        try work(unit, budget)
                    } catch {
                        failure = error
                    }
                    finished(unit, error: failure)
                }
                // Deep networks recurse through their layers; the default 512 KiB is tight.
                thread.stackSize = 8 << 20
                thread.start()
                continue
            }
            if firstError == nil { lendIdleCores() }
            if running.isEmpty {
                if let firstError { throw firstError }
                if waiting.isEmpty { return }
                let providers = Set(waiting.map(\.key))
                let external = Set(waiting.flatMap(\.dependencies)).subtracting(done).subtracting(providers)
                guard !external.isEmpty else {
                    throw StudyError.unavailable("units wait for one another: "
                                                 + waiting.map(\.label).sorted().joined(separator: ", "))
                }
                if Date().timeIntervalSince(started) >= waitSeconds {
                    let names = external.sorted().map { externalNames[$0] ?? "the unit with key \($0.prefix(12))" }
                    throw StudyError.unavailable("gave up after \(Int(waitSeconds)) s waiting for \(names.joined(separator: ", ")), "
                        + "which another shard trains: is it running? (`nnreport slurm status`; "
                        + "`nnreport run --only-dependencies` trains it here)")
                }
            }
            // Woken by a finished unit, or after a while to look for another process's results.
            _ = condition.wait(until: Date().addingTimeInterval(pollSeconds))
        }
    }

    /// Marks as done the dependencies of waiting units that another process has stored since.
    private func pollExternal() {
        guard !externalNames.isEmpty else { return }
        let providers = Set(waiting.map(\.key))
        for key in Set(waiting.flatMap(\.dependencies)) where !done.contains(key) && !providers.contains(key) {
            if isAvailable(key) { done.insert(key) }
        }
    }

    /// The next unit to start and its cores: the first waiting unit whose dependencies
    /// are done (a feature-sharing unit: and whose features are ready or not yet
    /// started), if it fits in the free cores.
    private func nextReady() -> (index: Int, cores: Int)? {
        guard let index = waiting.firstIndex(where: { unit in
            unit.dependencies.allSatisfy(done.contains)
                && (!unit.kind.sharesFrozenFeatures || readsReadyFeatures(unit)
                    || !featuresStarted.contains(unit.dependencies))
        }) else { return nil }
        let budget = cores(for: waiting[index])
        return budget <= free ? (index, budget) : nil
    }

    /// Whether `unit` shares frozen features that another unit has already computed.
    private func readsReadyFeatures(_ unit: RunUnit) -> Bool {
        unit.kind.sharesFrozenFeatures && featuresReady.contains(unit.dependencies)
    }

    /// Cores lent to running units beyond those they started with.
    private var lentCores: Int { running.values.reduce(0) { $0 + $1.lent } }

    /// Lends each core that no unit holds to the running unit that can grow with the
    /// most estimated work left (the key breaks ties). A unit on features already
    /// computed has nothing to use a core for: it trains one layer or LIBLINEAR on them.
    private func lendIdleCores() {
        var idle = free - lentCores
        let now = Date()
        while idle > 0, let taker = running.values
            .filter({ $0.unit.kind.growsIntoIdleCores && $0.budget.count < $0.budget.capacity
                      && !readsReadyFeatures($0.unit) })
            .max(by: { ($0.left(at: now), $1.unit.key) < ($1.left(at: now), $0.unit.key) }) {
            taker.budget.resize(to: taker.budget.count + 1)
            idle -= 1
        }
    }

    /// Takes lent cores back until the lent cores fit in the free ones, first from the
    /// unit with the least estimated work left.
    private func takeBackLentCores() {
        var lent = lentCores
        let now = Date()
        while lent > free, let lender = running.values.filter({ $0.lent > 0 })
            .min(by: { ($0.left(at: now), $0.unit.key) < ($1.left(at: now), $1.unit.key) }) {
            lender.budget.resize(to: lender.budget.count - 1)
            lent -= 1
        }
    }

    private func finished(_ unit: RunUnit, error: Error?) {
        condition.lock()
        if let ended = running.removeValue(forKey: unit.key) { free += ended.cores }
        if let error {
            if firstError == nil { firstError = error }
        } else {
            done.insert(unit.key)
            if unit.kind.sharesFrozenFeatures { featuresReady.insert(unit.dependencies) }
        }
        condition.broadcast()
        condition.unlock()
    }
}
