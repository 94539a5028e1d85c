import Foundation
import Testing
import TestSupport
@testable import Study
import StudyFixtures

/// Shards of a plan: every unit in exactly one, balanced by cost, the same for every
/// process that computes them; a shard waits for a dependency another one trains.
@Suite struct ShardTests {
    @Test func everyUnitIsInExactlyOneShardAndTheLoadsAreBalanced() throws {
        let plan = StudyPlan(StudyCatalog.all, inputs: PlanTests.inputs(seeds: [0, 1, 2]))
        for count in [1, 2, 3, 7] {
            let shards = try (0..<count).map { try plan.units(of: Shard(index: $0, count: count)) }
            let keys = shards.flatMap { $0.map(\.key) }
            #expect(keys.count == plan.units.count, "\(count) shards")
            #expect(Set(keys) == Set(plan.units.map(\.key)), "\(count) shards")
            // Longest first onto the least loaded: no shard exceeds another by more than the largest unit.
            let loads = shards.map { $0.reduce(0) { $0 + $1.cost } }
            let largest = plan.units.map(\.cost).max() ?? 0
            #expect(loads.max()! - loads.min()! <= largest + 1e-9, "\(count) shards: \(loads)")
            // Each shard keeps the plan's order.
            for shard in shards {
                let order = shard.map { key in plan.units.firstIndex { $0.key == key.key }! }
                #expect(order == order.sorted())
            }
        }
        #expect(try plan.units(of: Shard(index: 0, count: 1)).map(\.key) == plan.units.map(\.key))
        #expect(plan.dependencies.map(\.kind) == [.backbone])
    }

    @Test(.tags(.errors)) func aShardIsIOfN() throws {
        #expect(try Shard(parsing: "2/4") == Shard(index: 2, count: 4))
        for bad in ["4/4", "-1/3", "1", "a/b", "1/0", ""] {
            #expect(throws: StudyError.self, "\(bad)") { try Shard(parsing: bad) }
        }
    }

    /// Two shards of Part 6, one after the other into one cache, train every unit once
    /// and give the numbers of the whole run.
    @Test(.tags(.endToEnd)) func shardsTogetherTrainThePlan() throws {
        let cache = ResultCache(directory: temporaryDirectory("shards"))
        let session = StudySession(options: StudyFixtures.quick, cache: cache)
        let plan = try session.plan(try StudyCatalog.select(["6.1.2"]))
        let first = try session.run(plan, jobs: 2, selection: .shard(Shard(index: 0, count: 2)))
        let second = try session.run(plan, jobs: 2, selection: .shard(Shard(index: 1, count: 2)))
        #expect(first.ran + second.ran == plan.units.count)
        #expect(first.ran > 0 && second.ran > 0)
        #expect(try session.run(plan, jobs: 2).ran == 0)
        let reference = QuickStudy.study
        for unit in plan.units {
            let mine = try #require(cache.load(RunResult<MLPRun>.self, key: unit.key))
            let theirs = try #require(reference.units.first { $0.unit.key == unit.key }?.result as? RunResult<MLPRun>)
            #expect(mine.withoutTiming == theirs.withoutTiming, "\(unit.label)")
        }
    }

    /// A shard whose probe needs the backbone another shard trains waits for it, and
    /// says so clearly when it does not come.
    @Test(.tags(.endToEnd, .errors)) func aShardWaitsForADependencyAnotherShardTrains() throws {
        let output = try QuickStudy.copy("wait")
        let cache = ResultCache(directory: output.appendingPathComponent(".cache"))
        let session = StudySession(options: QuickStudy.options, cache: cache)
        let plan = try session.plan(try StudyCatalog.select(["7.1-probe"]))
        let backbone = try #require(plan.dependencies.first)
        let count = 3
        let shard = try #require(try (0..<count).map { try Shard(index: $0, count: count) }.first { shard in
            let units = plan.units(of: shard)
            return !units.contains { $0.key == backbone.key } && units.contains { !$0.dependencies.isEmpty }
        })
        // Without the backbone in the cache, the shard gives up and names it.
        try FileManager.default.removeItem(at: cache.url(forKey: backbone.key))
        for unit in plan.units(of: shard) where !unit.dependencies.isEmpty {
            try FileManager.default.removeItem(at: cache.url(forKey: unit.key))
        }
        do {
            try session.run(plan, jobs: 2, selection: .shard(shard), waitSeconds: 0)
            Issue.record("the shard trained without its backbone")
        } catch {
            #expect("\(error)".contains("waiting for backbone of 7.1-probe"), "\(error)")
            #expect("\(error)".contains("nnreport slurm status"), "\(error)")
        }
        // The dependencies stage trains it; then the shard finds it.
        #expect(try session.run(plan, jobs: 2, selection: .dependencies).ran == 1)
        let summary = try session.run(plan, jobs: 2, selection: .shard(shard), waitSeconds: 0)
        #expect(summary.ran == plan.units(of: shard).filter { !$0.dependencies.isEmpty }.count)
    }

    @Test func thePlanDocumentListsEveryUnit() throws {
        let plan = StudyPlan(StudyCatalog.all, inputs: PlanTests.inputs())
        let document = PlanDocument(plan) { $0.kind == .mlp }
        #expect(document.units.map(\.key) == plan.units.map(\.key))
        #expect(document.cachedCount == plan.units.filter { $0.kind == .mlp }.count)
        let backbone = try #require(document.units.first { $0.kind == "backbone" })
        #expect(backbone.cores == "all")
        // A ResNet18 run starts on one core and takes lent ones; an MLP keeps its one.
        let resnet = try #require(document.units.first { $0.kind == "resnet" })
        #expect(resnet.cores == "1" && resnet.growsIntoIdleCores)
        #expect(document.units.filter { $0.kind == "mlp" }.allSatisfy { $0.cores == "1" && !$0.growsIntoIdleCores })
        #expect(document.units.filter { $0.dependencies == [backbone.key] }.count == 11)
        #expect(abs(document.missingCost - plan.units.filter { $0.kind != .mlp }.reduce(0) { $0 + $1.cost }) < 0.1)
        let json = try JSONSerialization.jsonObject(with: document.encoded()) as? [String: Any]
        #expect(json?["format"] as? Int == 1)
    }

    @Test func optionsGiveTheirArgumentsBack() {
        #expect(StudyOptions().arguments == [])
        let options = StudyOptions(data: "rel/map", seed: 3, seeds: 2, quick: true, faces: "/f", weights: "w.safetensors",
                                   imageSize: 96, faceEpochs: 2, strength: 0.5, skipUnreadable: true, xgboostRounds: 100)
        let cwd = FileManager.default.currentDirectoryPath
        #expect(options.arguments == ["--data", cwd + "/rel/map", "--seed", "3", "--seeds", "2", "--quick", "--faces", "/f",
                                      "--weights", cwd + "/w.safetensors", "--image-size", "96", "--face-epochs", "2",
                                      "--strength", "0.5", "--skip-unreadable", "--xgboost-rounds", "100"])
    }
}
