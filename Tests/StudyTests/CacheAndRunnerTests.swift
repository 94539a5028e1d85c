import Datasets
import Engine
import Foundation
import XCTest
@testable import Study

final class CacheAndRunnerTests: XCTestCase {
    private let plan = StudyPlan(quick: true)

    private func runs(_ filter: String, plan: StudyPlan? = nil, data: StudyData = StudyFixtures.data) throws -> [PlannedRun] {
        StudyRunner.plannedRuns(try StudyCatalog.select([filter]), plan: plan ?? self.plan, dataHash: data.points.contentHash)
    }

    private func execute(_ runs: [PlannedRun], cache: URL, jobs: Int = 1, data: StudyData = StudyFixtures.data,
                         force: Bool = false) throws -> (results: [String: RunResult], summary: RunSummary) {
        let progress = RecordingProgress()
        let runner = StudyRunner(cache: ResultCache(directory: cache), jobs: jobs, reporter: progress)
        let results = try runner.run(runs, data: data, force: force)
        return (results, try XCTUnwrap(progress.summary))
    }

    func testSecondRunReusesEverything() throws {
        let cache = StudyFixtures.temporaryDirectory("cache")
        let planned = try runs("6.1.2-q3")
        let first = try execute(planned, cache: cache)
        XCTAssertEqual(first.summary.ran, 2)
        XCTAssertEqual(first.summary.reused, 0)
        let second = try execute(planned, cache: cache)
        XCTAssertEqual(second.summary.ran, 0)
        XCTAssertEqual(second.summary.reused, 2)
        XCTAssertEqual(second.results, first.results)
        let forced = try execute(planned, cache: cache, force: true)
        XCTAssertEqual(forced.summary.ran, 2)
        XCTAssertEqual(forced.results.mapValues(\.withoutTiming), first.results.mapValues(\.withoutTiming))
    }

    func testChangedConfigOrDataRerunsOnlyWhatChanged() throws {
        let cache = StudyFixtures.temporaryDirectory("invalidate")
        let planned = try runs("6.1.2-q1")
        _ = try execute(planned, cache: cache)
        // 6.1.2-q3's baseline is the same run as q1's lr 0.001: only the batch-norm run is new.
        let overlap = try execute(try runs("6.1.2-q3"), cache: cache)
        XCTAssertEqual(overlap.summary.ran, 1)
        XCTAssertEqual(overlap.summary.reused, 1)
        // Another seed changes every config.
        let reseeded = try execute(try runs("6.1.2-q1", plan: StudyPlan(quick: true, seed: 9)), cache: cache)
        XCTAssertEqual(reseeded.summary.ran, 4)
        // Other data changes every key.
        let otherData = try StudyData(points: try SyntheticMap.generate(seed: 1, size: .quick))
        let moved = try execute(try runs("6.1.2-q1", data: otherData), cache: cache, data: otherData)
        XCTAssertEqual(moved.summary.ran, 4)
        // So does another engine version.
        XCTAssertNotEqual(CacheKey.key(for: plan.base, dataHash: "d", engineVersion: "1"),
                          CacheKey.key(for: plan.base, dataHash: "d", engineVersion: "2"))
    }

    func testCorruptEntryIsRecomputed() throws {
        let cache = StudyFixtures.temporaryDirectory("corrupt")
        let planned = try runs("6.1.2-q3")
        let first = try execute(planned, cache: cache)
        let store = ResultCache(directory: cache)
        try Data("{\"key\": truncated".utf8).write(to: store.url(forKey: planned[0].key))
        XCTAssertNil(store.load(key: planned[0].key))
        // An entry holding another run's result is not trusted either.
        try FileManager.default.copyItem(at: store.url(forKey: planned[0].key), to: store.url(forKey: "0000"))
        XCTAssertNil(store.load(key: "0000"))
        let second = try execute(planned, cache: cache)
        XCTAssertEqual(second.summary.ran, 1)
        XCTAssertEqual(second.results[planned[0].key]?.withoutTiming, first.results[planned[0].key]?.withoutTiming)
        XCTAssertNotNil(store.load(key: planned[0].key))
    }

    func testJobCountDoesNotChangeResults() throws {
        let planned = try runs("6.1.2")
        let one = try execute(planned, cache: StudyFixtures.temporaryDirectory("jobs1"), jobs: 1)
        let two = try execute(planned, cache: StudyFixtures.temporaryDirectory("jobs2"), jobs: 2)
        XCTAssertEqual(one.results.count, planned.count)
        XCTAssertEqual(one.results.mapValues(\.withoutTiming), two.results.mapValues(\.withoutTiming))
    }

    func testAtomicWriteLeavesNoTemporaryFiles() throws {
        let cache = StudyFixtures.temporaryDirectory("atomic")
        _ = try execute(try runs("6.1.2-q3"), cache: cache)
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("runs").path)
        XCTAssertEqual(names.count, 2)
        XCTAssertTrue(names.allSatisfy { $0.hasSuffix(".json") && !$0.hasPrefix(".") })
    }

    func testUnknownExperimentFilter() {
        XCTAssertThrowsError(try StudyCatalog.select(["6.3"])) { error in
            XCTAssertTrue("\(error)".hasPrefix("no experiment matches \"6.3\"; the ids are 6.1.2-q1"), "\(error)")
        }
        XCTAssertEqual(try StudyCatalog.select(["6.2-q5"]).map(\.id), ["6.2-q5"])
        XCTAssertEqual(try StudyCatalog.select(["6.1"]).count, 4)
        XCTAssertEqual(try StudyCatalog.select(["6"]).count, 11)
        // A prefix must end at a boundary: "6.2-q" is not an id prefix of "6.2-q1".
        XCTAssertThrowsError(try StudyCatalog.select(["6.2-q"]))
    }
}
