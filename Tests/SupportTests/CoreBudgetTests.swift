import Foundation
import Testing
@testable import Support

/// Records which parts ran, each part in its own slot.
private final class PartRecorder: ParallelWork, @unchecked Sendable {
    let counts: UnsafeMutableBufferPointer<Int>

    init(parts: Int) {
        counts = .allocate(capacity: parts)
        counts.initialize(repeating: 0)
    }

    deinit { counts.deallocate() }

    func run(part: Int, parts: Int) { counts[part] += 1 }
}

@Suite struct CoreBudgetTests {
    @Test func everyPartRunsOnceWhetherTheWorkersSpinOrSleep() {
        // Calls in quick succession find the workers polling; after a pause longer
        // than their spin they are asleep and must be woken, never lost.
        let budget = CoreBudget(cores: 4)
        for call in 0..<300 {
            if call % 50 == 49 { Thread.sleep(forTimeInterval: 0.005) }
            let parts = 2 + call % 3
            let recorder = PartRecorder(parts: parts)
            budget.run(parts: parts, recorder)
            #expect(Array(recorder.counts) == [Int](repeating: 1, count: parts), "call \(call)")
        }
    }

    @Test func aCallFromInsideAPartRunsItsPartsInline() {
        final class Nested: ParallelWork {
            let budget: CoreBudget
            let inner = (0..<2).map { _ in PartRecorder(parts: 3) }
            init(_ budget: CoreBudget) { self.budget = budget }
            func run(part: Int, parts: Int) { budget.run(parts: 3, inner[part]) }
        }
        let nested = Nested(CoreBudget(cores: 3))
        nested.budget.run(parts: 2, nested)
        for recorder in nested.inner { #expect(Array(recorder.counts) == [1, 1, 1]) }
    }

    @Test func mapKeepsTheOrderWhateverTheCores() {
        let expected = (0..<1_001).map { $0 * $0 }
        for cores in [1, 2, 3, 8] {
            #expect(CoreBudget(cores: cores).map(count: 1_001) { $0 * $0 } == expected, "\(cores) cores")
        }
        #expect(CoreBudget(cores: 4).map(count: 0) { $0 }.isEmpty)
        #expect(CoreBudget(cores: 4).map(count: 2) { $0 } == [0, 1])
    }

    @Test func partsFollowTheWorkAndTheBudget() {
        let budget = CoreBudget(cores: 4)
        #expect(budget.parts(work: 10, minimumPerPart: 100) == 1)
        #expect(budget.parts(work: 250, minimumPerPart: 100) == 2)
        #expect(budget.parts(work: 10_000, minimumPerPart: 100) == 4)
        #expect(CoreBudget(cores: 0).count == 1)
        let shares = (0..<3).map { CoreBudget.share(of: 10, part: $0, parts: 3) }
        #expect(shares == [0..<3, 3..<6, 6..<10])
    }

    @Test func aBudgetResizesWithinItsCapacity() {
        let budget = CoreBudget(cores: 1, capacity: 3)
        #expect(budget.count == 1 && budget.capacity == 3)
        #expect(budget.parts(work: 10_000, minimumPerPart: 100) == 1)
        #expect(CoreBudget.parts(work: 10_000, cores: 3, minimumPerPart: 100) == 3)
        budget.resize(to: 2)
        #expect(budget.count == 2)
        #expect(budget.parts(work: 10_000, minimumPerPart: 100) == 2)
        budget.resize(to: 7)
        #expect(budget.count == 3)
        budget.resize(to: 0)
        #expect(budget.count == 1)
        // Its threads are made for its capacity: a call split for three cores runs every
        // part whatever the count is now (a kernel that read the count before a resize).
        let recorder = PartRecorder(parts: 3)
        budget.run(parts: 3, recorder)
        #expect(Array(recorder.counts) == [1, 1, 1])
        #expect(budget.workers().workers.count == 2)
        // It counts the core-seconds it granted: 50 ms on one core, then 50 ms on two.
        budget.resize(to: 1)
        let before = budget.coreSeconds()
        Thread.sleep(forTimeInterval: 0.05)
        budget.resize(to: 2)
        Thread.sleep(forTimeInterval: 0.05)
        let granted = budget.coreSeconds() - before
        #expect(granted >= 0.15 && granted < 1, "\(granted) core-seconds")
        // A budget without a capacity keeps its cores.
        let fixed = CoreBudget(cores: 2)
        fixed.resize(to: 4)
        #expect(fixed.count == 2 && fixed.capacity == 2)
    }

    @Test func mallocArenasAreLimitedOnGlibc() {
        // mallopt is found by name and accepts the limit (it returns 1 on success).
        #if canImport(Glibc)
        #expect(MallocArenas.limitToCores() == (ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil))
        #endif
    }

    @Test func aReleasedBudgetStopsItsThreads() {
        var workers: [WorkerPool.Worker] = []
        do {
            let budget = CoreBudget(cores: 4)
            budget.run(parts: 4, PartRecorder(parts: 4))
            workers = budget.workers().workers
            #expect(workers.count == 3)
            #expect(workers.allSatisfy { !$0.ended.load(ordering: .acquiring) })
        }
        // The workers see the stop at their next wake-up: give them a moment.
        var waited = 0
        while !workers.allSatisfy({ $0.ended.load(ordering: .acquiring) }) && waited < 500 {
            Thread.sleep(forTimeInterval: 0.01)
            waited += 1
        }
        #expect(workers.allSatisfy { $0.ended.load(ordering: .acquiring) })
    }
}
