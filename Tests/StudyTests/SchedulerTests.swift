import Foundation
import Support
import Testing
@testable import Study

/// The scheduler's order: units on every core first, then the longest estimate first.
@Suite struct SchedulerTests {
    private func unit(_ key: String, _ kind: UnitKind, cost: Double, dependencies: [String] = []) -> RunUnit {
        let spec = FaceRun.xgboost(learningRate: 0.1, rounds: 1, seed: 0)
        return RunUnit(key: key, kind: kind, part: .seven, summary: key, seed: 0, labels: [key], questions: ["q"],
                       cost: cost, dependencies: dependencies, dataHash: nil, dataSource: nil, spec: spec)
    }

    /// Runs `units` on `cores` cores and returns the keys in the order they started
    /// (on one core, the order the scheduler picks them in).
    private func startOrder(_ units: [RunUnit], cores: Int = 2) throws -> [String] {
        try budgets(units, cores: cores).order
    }

    @Test func everyCoreUnitsStartBeforeLongerOneCoreUnits() throws {
        // By cost alone the two 10-second runs would go first, and on two cores XGBoost,
        // had it every core, would wait for both to finish; it goes first instead, then
        // the others by cost (one core: the order is the scheduler's pick, not a race
        // between threads starting together).
        let order = try startOrder([unit("run a", .resnet, cost: 10), unit("xgboost", .xgboost, cost: 5),
                                    unit("run b", .resnet, cost: 10), unit("mlp", .mlp, cost: 1)], cores: 1)
        #expect(order == ["xgboost", "run a", "run b", "mlp"])
        #expect(Scheduler.precedes(unit("b", .xgboost, cost: 1), unit("a", .resnet, cost: 100)))
        #expect(Scheduler.precedes(unit("a", .resnet, cost: 20), unit("b", .resnet, cost: 10)))
        #expect(Scheduler.precedes(unit("a", .mlp, cost: 5), unit("b", .mlp, cost: 5)))
        #expect(!Scheduler.precedes(unit("b", .mlp, cost: 5), unit("a", .mlp, cost: 5)))
    }

    @Test func aUnitWaitsForItsDependencies() throws {
        // Nothing but its dependents beside the backbone: it takes both cores, and the
        // probe starts only when it is done.
        let order = try startOrder([unit("probe", .probe, cost: 50, dependencies: ["backbone"]),
                                    unit("backbone", .backbone, cost: 1)])
        #expect(order == ["backbone", "probe"])
    }

    /// Runs `units` on `cores` cores; returns each unit's budget and the keys in the order they started.
    private func budgets(_ units: [RunUnit], cores: Int = 2) throws -> (cores: [String: Int], order: [String]) {
        let lock = NSLock()
        nonisolated(unsafe) var given: [String: Int] = [:]
        nonisolated(unsafe) var started: [String] = []
        try Scheduler(units: units, available: [], cores: cores).run { unit, budget in
            lock.withLock { given[unit.key] = budget.count; started.append(unit.key) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return (given, started)
    }

    /// A kind that may use every core takes one when the waiting work that does not
    /// depend on it covers its cost on each other core, every core otherwise; the
    /// one-core kinds always take one.
    @Test func everyCoreKindsTakeOneCoreWhenOtherWorkKeepsTheRestBusy() throws {
        // (MLPs beside them: a ResNet18 run may be lent an idle core as it starts, see
        // the next test, so its budget is not the one it started with.)
        let busy = try budgets([unit("backbone", .backbone, cost: 90), unit("xgboost", .xgboost, cost: 16),
                                unit("run a", .mlp, cost: 40), unit("run b", .mlp, cost: 40),
                                unit("tune", .mlp, cost: 15, dependencies: ["backbone"])])
        // Beside the backbone: XGBoost and the two runs, 96 core-seconds >= 90 on the other core.
        #expect(busy.cores == ["backbone": 1, "xgboost": 1, "run a": 1, "run b": 1, "tune": 1])
        // Its dependents do not count: with 80 core-seconds beside it, it takes both cores.
        let alone = try budgets([unit("backbone", .backbone, cost: 90), unit("run", .mlp, cost: 80),
                                 unit("tune", .mlp, cost: 500, dependencies: ["backbone"])])
        #expect(alone.cores["backbone"] == 2)
        // On four cores the same 96 core-seconds would leave two of them idle: every core.
        let wide = try budgets([unit("backbone", .backbone, cost: 90), unit("xgboost", .xgboost, cost: 16),
                                unit("run a", .mlp, cost: 40), unit("run b", .mlp, cost: 40)], cores: 4)
        #expect(wide.cores["backbone"] == 4)
        // XGBoost last, with nothing beside it, takes both.
        #expect(try budgets([unit("xgboost", .xgboost, cost: 16)]).cores == ["xgboost": 2])
        // In a shard, units waiting for another shard's backbone cannot run beside
        // XGBoost: it takes both cores until that backbone is stored.
        let sharded = [unit("xgboost", .xgboost, cost: 16), unit("probe", .probe, cost: 100, dependencies: ["remote"])]
        let remote = [unit("remote", .backbone, cost: 90)]
        #expect(Scheduler(units: sharded, available: [], cores: 2, external: remote).cores(for: sharded[0]) == 2)
        #expect(Scheduler(units: sharded, available: ["remote"], cores: 2, external: remote).cores(for: sharded[0]) == 1)
    }

    /// The first unit on the frozen features runs before the others that share them,
    /// which start only once it has finished; other units may start meanwhile.
    @Test func unitsSharingTheFeaturesStartAfterTheFirstHasFinished() throws {
        let lock = NSLock()
        nonisolated(unsafe) var events: [String] = []
        let units = [unit("probe a", .probe, cost: 0.3, dependencies: ["backbone"]),
                     unit("probe b", .probe, cost: 0.3, dependencies: ["backbone"]),
                     unit("logreg", .logisticRegression, cost: 0.1, dependencies: ["backbone"]),
                     unit("run", .resnet, cost: 15), unit("tune", .resnet, cost: 15, dependencies: ["backbone"])]
        try Scheduler(units: units, available: ["backbone"], cores: 3).run { unit, _ in
            lock.withLock { events.append("start " + unit.key) }
            Thread.sleep(forTimeInterval: unit.key == "probe a" ? 0.2 : 0.02)
            lock.withLock { events.append("end " + unit.key) }
        }
        let firstEnd = try #require(events.firstIndex(of: "end probe a"))
        for sibling in ["probe b", "logreg"] {
            #expect(try #require(events.firstIndex(of: "start " + sibling)) > firstEnd, "\(sibling)")
        }
        // The one-core runs jump the waiting siblings: both start on the other two cores
        // while the first probe runs (on one core: the rest of the work covers its cost).
        #expect(try #require(events.firstIndex(of: "start run")) < firstEnd)
        #expect(try #require(events.firstIndex(of: "start tune")) < firstEnd)
    }

    /// A core that no waiting unit can use goes to a running unit that can grow, and
    /// comes back as soon as a unit becomes ready; an XGBoost or MLP run never grows.
    @Test func anIdleCoreIsLentToARunningNetworkAndTakenBack() throws {
        let lock = NSLock()
        nonisolated(unsafe) var remoteDone = false
        nonisolated(unsafe) var seen: [String] = []
        // "tune" waits for a unit another process trains; until it is there, the run's
        // budget grows to both cores, and shrinks back once "tune" starts.
        let units = [unit("run", .resnet, cost: 30), unit("tune", .resnet, cost: 10, dependencies: ["remote"]),
                     unit("boost", .xgboost, cost: 1)]
        let remote = unit("remote", .backbone, cost: 90)
        @Sendable func waitFor(_ cores: Int, _ budget: CoreBudget) -> Bool {
            for _ in 0..<2_000 where budget.count != cores { Thread.sleep(forTimeInterval: 0.005) }
            return budget.count == cores
        }
        try Scheduler(units: units, available: [], cores: 2, external: [remote],
                      isAvailable: { key in lock.withLock { key == "remote" && remoteDone } },
                      waitSeconds: 60, pollSeconds: 0.01).run { unit, budget in
            switch unit.key {
            case "run":
                let grew = waitFor(2, budget)
                lock.withLock { seen.append("run grew: \(grew)"); remoteDone = true }
                let shrank = waitFor(1, budget)
                lock.withLock { seen.append("run shrank: \(shrank)") }
            case "boost":
                // Beside the run, with "tune" blocked: one core, and it keeps it.
                Thread.sleep(forTimeInterval: 0.05)
                lock.withLock { seen.append("boost: \(budget.count) of \(budget.capacity)") }
            default:
                lock.withLock { seen.append("tune started") }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        #expect(seen.contains("boost: 1 of 1"))
        #expect(seen.contains("run grew: true"))
        #expect(seen.contains("run shrank: true"))
        #expect(seen.contains("tune started"))
    }

    /// A unit on features already computed is lent no idle core (it trains one layer or
    /// LIBLINEAR on them); the one computing them could use it.
    @Test func aUnitOnReadyFeaturesIsLentNoCore() throws {
        let lock = NSLock()
        nonisolated(unsafe) var probeCores = 0
        // Three cores. "after" waits for "long" (an MLP, which never grows), so once
        // "short" and the first probe end, one core is idle beside the second probe
        // and nothing else could take it.
        let units = [unit("probe a", .probe, cost: 0.3, dependencies: ["backbone"]),
                     unit("probe b", .probe, cost: 0.2, dependencies: ["backbone"]),
                     unit("long", .mlp, cost: 40), unit("after", .mlp, cost: 10, dependencies: ["long"]),
                     unit("short", .mlp, cost: 1)]
        try Scheduler(units: units, available: ["backbone"], cores: 3).run { unit, budget in
            switch unit.key {
            case "long": Thread.sleep(forTimeInterval: 0.6)
            case "probe a": Thread.sleep(forTimeInterval: 0.1)
            case "probe b":
                Thread.sleep(forTimeInterval: 0.2)
                lock.withLock { probeCores = budget.count }
            default: Thread.sleep(forTimeInterval: 0.02)
            }
        }
        #expect(probeCores == 1)
    }
}
