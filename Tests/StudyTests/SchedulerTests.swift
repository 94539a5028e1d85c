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

    /// Runs `units` on two cores and returns the keys in the order they started.
    private func startOrder(_ units: [RunUnit]) throws -> [String] {
        let lock = NSLock()
        nonisolated(unsafe) var started: [String] = []
        try Scheduler(units: units, available: [], cores: 2).run { unit, _ in
            lock.withLock { started.append(unit.key) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return started
    }

    @Test func everyCoreUnitsStartBeforeLongerOneCoreUnits() throws {
        // By cost alone the two 10-second runs would take both cores and XGBoost would
        // wait for both to finish; it goes first instead, then the others by cost.
        let order = try startOrder([unit("run a", .resnet, cost: 10), unit("xgboost", .xgboost, cost: 5),
                                    unit("run b", .resnet, cost: 10), unit("mlp", .mlp, cost: 1)])
        #expect(order.first == "xgboost")
        #expect(order.last == "mlp")
        #expect(Scheduler.precedes(unit("b", .xgboost, cost: 1), unit("a", .resnet, cost: 100)))
        #expect(Scheduler.precedes(unit("a", .resnet, cost: 20), unit("b", .resnet, cost: 10)))
        #expect(Scheduler.precedes(unit("a", .mlp, cost: 5), unit("b", .mlp, cost: 5)))
        #expect(!Scheduler.precedes(unit("b", .mlp, cost: 5), unit("a", .mlp, cost: 5)))
    }

    @Test func aUnitWaitsForItsDependencies() throws {
        let order = try startOrder([unit("probe", .probe, cost: 50, dependencies: ["backbone"]),
                                    unit("backbone", .backbone, cost: 1), unit("run", .resnet, cost: 2)])
        #expect(order == ["backbone", "probe", "run"])
    }
}
