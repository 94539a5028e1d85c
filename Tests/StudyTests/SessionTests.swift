import Datasets
import Engine
import Foundation
import Support
import Testing
import TestSupport
@testable import Study
import StudyFixtures

/// The session on Part 6 of the quick study: what the cache has is reused, what
/// changed is retrained, damaged entries are recomputed, and results never depend on
/// the number of cores.
@Suite(.tags(.endToEnd)) struct SessionTests {
    private func session(_ cache: URL, options: StudyOptions = StudyFixtures.quick) -> StudySession {
        StudySession(options: options, cache: ResultCache(directory: cache))
    }

    private func run(_ filter: String, cache: URL, options: StudyOptions = StudyFixtures.quick, jobs: Int = 1,
                     force: Bool = false) throws -> RunSummary {
        let session = session(cache, options: options)
        return try session.run(try session.plan(try StudyCatalog.select([filter])), jobs: jobs, force: force)
    }

    /// Every Part 6 result of a cache, without timing, by key.
    private func numbers(_ cache: URL) throws -> [String: RunResult<MLPRun>] {
        let study = try LoadedStudy.load(cache: ResultCache(directory: cache))
        var results: [String: RunResult<MLPRun>] = [:]
        for unit in study.units { if let result = unit.result as? RunResult<MLPRun> { results[unit.unit.key] = result.withoutTiming } }
        return results
    }

    @Test func aSecondRunReusesEverythingAndForceRetrainsTheSame() throws {
        let cache = temporaryDirectory("reuse")
        let first = try run("6.1.2-q3", cache: cache)
        #expect(first.ran == 2)
        #expect(first.reused == 0)
        let before = try numbers(cache)
        let second = try run("6.1.2-q3", cache: cache)
        #expect(second.ran == 0)
        #expect(second.reused == 2)
        let forced = try run("6.1.2-q3", cache: cache, force: true)
        #expect(forced.ran == 2)
        #expect(try numbers(cache) == before)
        #expect(before.count == 2)
    }

    @Test func aChangedConfigOrDataRetrainsOnlyWhatChanged() throws {
        let cache = temporaryDirectory("invalidate")
        _ = try run("6.1.2-q1", cache: cache)
        // 6.1.2-q3's baseline is the same run as q1's lr 0.001: only the batch-norm run is new.
        let overlap = try run("6.1.2-q3", cache: cache)
        #expect(overlap.ran == 1)
        #expect(overlap.reused == 1)
        // Another seed changes every config (and the built-in map).
        var reseeded = StudyFixtures.quick
        reseeded.seed = 9
        #expect(try run("6.1.2-q1", cache: cache, options: reseeded).ran == 4)
        // So does another engine version.
        let base = StudySettings().base
        #expect(base.key(dataHash: "d", engineVersion: "1") != base.key(dataHash: "d", engineVersion: "2"))
        #expect(base.key(dataHash: "d", engineVersion: "1") != base.key(dataHash: "e", engineVersion: "1"))
    }

    @Test func aDamagedEntryIsRecomputed() throws {
        let cache = temporaryDirectory("corrupt")
        _ = try run("6.1.2-q3", cache: cache)
        let store = ResultCache(directory: cache)
        let before = try numbers(cache)
        let key = try #require(before.keys.sorted().first)
        try Data("{\"key\": truncated".utf8).write(to: store.url(forKey: key))
        #expect(store.load(RunResult<MLPRun>.self, key: key) == nil)
        // An entry holding another run's result is not trusted either.
        try FileManager.default.copyItem(at: store.url(forKey: try #require(before.keys.sorted().last)), to: store.url(forKey: "0000"))
        #expect(store.load(RunResult<MLPRun>.self, key: "0000") == nil)
        let second = try run("6.1.2-q3", cache: cache)
        #expect(second.ran == 1)
        #expect(try numbers(cache) == before)
    }

    /// A body that no longer matches its digest (one changed byte) and a folder in an
    /// entry's place are recomputed like a truncated entry; an entry written before
    /// digests existed (none) is used as it is.
    @Test func bitRotAndFoldersAreRecomputedAndEntriesWithoutDigestStillLoad() throws {
        let cache = temporaryDirectory("digest")
        _ = try run("6.1.2-q3", cache: cache)
        let store = ResultCache(directory: cache)
        let before = try numbers(cache)
        let keys = before.keys.sorted()
        try #require(keys.count == 2)
        let entry = try Data(contentsOf: store.url(forKey: keys[0]))
        #expect(CacheEntryDigest.check(entry) == .verified)
        // Bit rot: a digit of the wall time changed, the JSON still valid and the run's key intact.
        var rotten = [UInt8](entry)
        let field = try #require(entry.range(of: Data("\"wallSeconds\":".utf8)))
        let digit = try #require(rotten[field.upperBound...].firstIndex { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") })
        rotten[digit] = rotten[digit] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try Data(rotten).write(to: store.url(forKey: keys[0]))
        #expect(store.load(RunResult<MLPRun>.self, key: keys[0]) == nil)
        #expect(store.status(key: keys[0]) == nil)
        // A folder where the other entry should be.
        try FileManager.default.removeItem(at: store.url(forKey: keys[1]))
        try FileManager.default.createDirectory(at: store.url(forKey: keys[1]), withIntermediateDirectories: true)
        #expect(store.load(RunResult<MLPRun>.self, key: keys[1]) == nil)
        let second = try run("6.1.2-q3", cache: cache)
        #expect(second.ran == 2)
        #expect(try numbers(cache) == before)

        // The same entry as an older version wrote it: the body alone, key-sorted.
        let sealed = try Data(contentsOf: store.url(forKey: keys[0]))
        let result = try #require(store.load(RunResult<MLPRun>.self, key: keys[0]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let legacy = try encoder.encode(result)
        #expect(CacheEntryDigest.sealed(legacy) == sealed)
        try legacy.write(to: store.url(forKey: keys[0]))
        #expect(CacheEntryDigest.check(legacy) == .legacy)
        #expect(store.load(RunResult<MLPRun>.self, key: keys[0]) != nil)
        #expect(try run("6.1.2-q3", cache: cache).ran == 0)
    }

    /// Temporary files of a killed writer are removed by the next run alone in the cache.
    @Test func orphanedTemporaryEntriesAreRemovedByTheNextSession() throws {
        let cache = temporaryDirectory("orphans")
        let runs = cache.appendingPathComponent("runs")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
        let orphan = runs.appendingPathComponent(".\(String(repeating: "ab", count: 32)).json.\(UUID().uuidString).tmp")
        let manifest = cache.appendingPathComponent(".manifest.json.\(UUID().uuidString).tmp")
        let unrelated = runs.appendingPathComponent(".notes.tmp")
        for file in [orphan, manifest, unrelated] { try Data("partial".utf8).write(to: file) }
        _ = try run("6.1.2-q3", cache: cache)
        #expect(!FileManager.default.fileExists(atPath: orphan.path))
        #expect(!FileManager.default.fileExists(atPath: manifest.path))
        #expect(FileManager.default.fileExists(atPath: unrelated.path), "only the names AtomicFile writes are removed")
        // While a session holds the cache (from its first run on), another one leaves temporaries
        // alone: they may be the first one's writes.
        let holder = session(cache)
        _ = try holder.run(try holder.plan(try StudyCatalog.select(["6.1.2-q3"])), jobs: 1)
        try Data("partial".utf8).write(to: orphan)
        _ = try run("6.1.2-q3", cache: cache)
        #expect(FileManager.default.fileExists(atPath: orphan.path))
        withExtendedLifetime(holder) {}
    }

    @Test func theCoreCountDoesNotChangeResults() throws {
        let one = temporaryDirectory("jobs1"), two = temporaryDirectory("jobs2")
        _ = try run("6.1.2", cache: one, jobs: 1)
        _ = try run("6.1.2", cache: two, jobs: 2)
        let results = try numbers(one)
        #expect(results.count == 10)
        #expect(results == (try numbers(two)))
    }

    @Test func writesAreAtomic() throws {
        let cache = temporaryDirectory("atomic")
        _ = try run("6.1.2-q3", cache: cache)
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("runs").path)
        #expect(names.count == 2)
        #expect(names.allSatisfy { $0.hasSuffix(".json") && !$0.hasPrefix(".") })
    }

    /// Part 7 alone never builds the map (its folder does not even exist here) and
    /// Part 6 alone never decodes a face; each run records only its own part.
    @Test func inputsAreResolvedOnlyForThePartsPlanned() throws {
        let output = try QuickStudy.copy("lazy")
        let cache = output.appendingPathComponent(".cache")
        var options = QuickStudy.options
        options.data = "/nonexistent/map"
        let faces = session(cache, options: options)
        let summary = try faces.run(try faces.plan(try StudyCatalog.select(["7"])), jobs: 2)
        #expect(summary.ran == 0)
        #expect(summary.reused == 20)
        options = QuickStudy.options
        options.faces = "/nonexistent/faces"
        let map = session(cache, options: options)
        #expect(try map.run(try map.plan(try StudyCatalog.select(["6.1.2-q3"])), jobs: 2).reused == 2)
        // The whole plan needs both: the missing map folder is an error naming it.
        var broken = QuickStudy.options
        broken.data = "/nonexistent/map"
        #expect(throws: (any Error).self) { try session(cache, options: broken).plan(StudyCatalog.all) }
        // A cached study plans from the memo of its inputs, without generating anything.
        let fresh = session(cache, options: QuickStudy.options)
        _ = try fresh.plan(StudyCatalog.all)
        #expect(!fresh.inputs.hasResolvedData)
    }

    @Test func runningOnePartKeepsTheOtherPartsRecord() throws {
        let output = try QuickStudy.copy("records")
        let cache = output.appendingPathComponent(".cache")
        let before = try StudyManifest.load(from: cache)
        var options = QuickStudy.options
        options.seeds = 2
        let session = session(cache, options: options)
        _ = try session.run(try session.plan(try StudyCatalog.select(["6.1.2-q3"])), jobs: 2)
        let after = try StudyManifest.load(from: cache)
        #expect(after.faces == before.faces)
        #expect(after.map?.seeds == [0, 1])
        let study = try LoadedStudy.load(cache: ResultCache(directory: cache))
        #expect(study.entry("6.1.2-q3")?.result != nil)
        #expect(study.entry("6.1.2-q1")?.result == nil, "q1 has no runs with two seeds")
        #expect(study.entry("7.2")?.result != nil)
    }
}

/// The whole of Part 6 on the quick settings with two seeds, trained and analysed.
@Suite(.tags(.endToEnd)) struct PartSixEndToEndTests {
    @Test func everyQuestionIsAnsweredWithTwoSeeds() throws {
        var options = StudyFixtures.quick
        options.seeds = 2
        let cache = ResultCache(directory: temporaryDirectory("e2e"))
        let session = StudySession(options: options, cache: cache)
        let questions = try StudyCatalog.select(["6"])
        let plan = try session.plan(questions)
        try session.run(plan, jobs: 2)
        let study = try LoadedStudy.load(cache: cache)
        #expect(study.questions.filter { $0.part == .six }.allSatisfy { $0.result != nil })
        for entry in study.questions where entry.part == .six {
            let result = try #require(study.result(entry.id, as: MLPRun.self))
            for group in result.groups {
                #expect(group.seeds == [0, 1])
                #expect(!group.curves.epochs.isEmpty)
            }
            switch result.analysis {
            case .learningRate(let analysis):
                #expect(Set(analysis.ranking) == Set(result.groups.map(\.label)))
            case .gradients(let analysis):
                #expect(analysis.profiles.first?.layers == [0, 30, 60, 90, 95, 99])
                #expect(analysis.profiles.first?.magnitudes.first?.count == 6)
            case .modelGrid(let analysis):
                #expect(analysis.ranking.count == result.groups.count)
            default:
                break
            }
        }
        // Every run with a decision grid also has one prediction per test point.
        let testPoints = try #require(study.manifest.map?.splitSizes.last)
        for unit in study.units {
            let result = try #require(unit.result as? RunResult<MLPRun>)
            guard let grid = result.decisionGrid else { continue }
            #expect(grid.classes.count == 60 * 60)
            #expect(result.testPredictions?.count == testPoints)
        }
        // results.json encodes without error (no NaN) and has both seeds.
        let json = try JSONSerialization.jsonObject(with: try study.document.encoded()) as? [String: Any]
        #expect((json?["experiments"] as? [Any])?.count == 11)
        #expect(json?["missing"] as? [String] == [])
        #expect(json?["seeds"] as? [Int] == [0, 1])
        #expect(json?["faces"] == nil)
    }
}
