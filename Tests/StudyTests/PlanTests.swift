import Datasets
import Engine
import Foundation
import Testing
import TestSupport
@testable import Study

/// One plan of units for both parts: selection, sharing, dependencies, costs, and keys
/// that existing caches rely on.
@Suite struct PlanTests {
    static let map = MapShape(dataHash: "map", dataSource: "test map", splitSizes: [1_000, 100, 100], classCount: 5)
    static let faces = FaceShape(dataHash: "faces", dataSource: "test faces", splitSizes: [96, 32, 32], imageSize: 64)
    static let pretraining = BackbonePretraining.quick(imageSize: 64, seed: 0)

    static func inputs(seeds: [UInt64] = [0]) -> PlanInputs {
        PlanInputs(map: (StudySettings(quick: true, seeds: seeds), map),
                   faces: (StudySettings(quick: true, seeds: seeds, backbone: pretraining.identity), faces, pretraining))
    }

    @Test(.tags(.errors)) func selectionByIdOrPrefix() throws {
        #expect(throws: StudyError.self) { try StudyCatalog.select(["6.3"]) }
        do {
            _ = try StudyCatalog.select(["6.3"])
        } catch {
            #expect("\(error)".hasPrefix("no question matches \"6.3\"; the ids are 6.1.2-q1"), "\(error)")
        }
        #expect(try StudyCatalog.select(["6.2-q5"]).map(\.id) == ["6.2-q5"])
        #expect(try StudyCatalog.select(["6.1"]).count == 4)
        // Part 6's eleven questions and the `--tune` extension (planned only with --tune).
        #expect(try StudyCatalog.select(["6"]).count == 12)
        #expect(try StudyCatalog.select(["7"]).count == 7)
        #expect(try StudyCatalog.select(["7.1"]).count == 6)
        #expect(try StudyCatalog.select(nil).count == 19)
        // A prefix must end at a boundary: "6.2-q" is not an id prefix of "6.2-q1".
        #expect(throws: StudyError.self) { try StudyCatalog.select(["6.2-q"]) }
        // One catalog in report order: Part 6, then Part 7.
        #expect(StudyCatalog.all.map(\.part) == Array(repeating: .six, count: 12) + Array(repeating: .seven, count: 7))
    }

    @Test func sharedRunsAreOneUnitWithEveryLabel() throws {
        let plan = StudyPlan(try StudyCatalog.select(["6"]), inputs: Self.inputs(seeds: [0, 1]))
        #expect(Set(plan.units.map(\.key)).count == plan.units.count)
        // The base model serves 6.1.2-q1 (lr 0.001), q3 (without batch norm), the grid (6, 16) and q7 (coordinates).
        let base = try #require(plan.units.first { $0.labels.contains("6.1.2-q1 lr 0.001 seed 0") })
        #expect(base.labels.contains("6.1.2-q3 without batch norm seed 0"))
        #expect(base.labels.contains("6.2-q1 depth 6, width 16 seed 0"))
        #expect(base.labels.contains("6.2-q7 coordinates seed 0"))
        #expect(base.questions.first == "6.1.2-q1")
        #expect(plan.units.allSatisfy { $0.kind == .mlp && $0.part == .six && $0.dependencies.isEmpty && $0.cost > 0 })
        let requested = plan.questions.reduce(0) { $0 + $1.runs.count }
        #expect(plan.units.count < requested)
        #expect(plan.parts == [.six])
    }

    @Test func theBackboneIsAUnitThatItsUsersDependOn() throws {
        let plan = StudyPlan(try StudyCatalog.select(["7"]), inputs: Self.inputs())
        let backbone = try #require(plan.units.first)
        #expect(backbone.kind == .backbone)
        #expect(backbone.key == Self.pretraining.key(dataHash: nil, engineVersion: EngineVersion.current))
        #expect(backbone.labels == ["backbone of 7.1-probe, 7.1-logreg, 7.1-finetune"])
        #expect(backbone.dataHash == nil)
        let users = plan.units.filter { !$0.dependencies.isEmpty }
        #expect(users.count == 11)  // 5 probe + 1 logistic regression + 5 fine-tuning
        #expect(users.allSatisfy { $0.dependencies == [backbone.key] && $0.dataHash == "faces" })
        #expect(plan.units.count == 1 + 19)
        #expect(Set(plan.units.map(\.kind)) == [.backbone, .xgboost, .resnet, .probe, .logisticRegression])
        // With ImageNet weights there is nothing to pretrain.
        var weights = Self.inputs()
        weights.faces = (StudySettings(quick: true, backbone: "weights:abc"), Self.faces, nil)
        let loaded = StudyPlan(try StudyCatalog.select(["7"]), inputs: weights)
        #expect(loaded.units.count == 19)
        #expect(loaded.units.allSatisfy { $0.dependencies.isEmpty })
    }

    @Test func aPartWithoutInputsIsLeftOut() throws {
        let plan = StudyPlan(StudyCatalog.all, inputs: PlanInputs(map: Self.inputs().map))
        #expect(plan.parts == [.six])
        #expect(plan.questions.count == 11)
        #expect(StudyPlan(StudyCatalog.all, inputs: PlanInputs()).units.isEmpty)
    }

    @Test func costsOrderTheWork() throws {
        let plan = StudyPlan(StudyCatalog.all, inputs: Self.inputs())
        func cost(_ label: String) throws -> Double { try #require(plan.units.first { $0.labels.contains(label) }).cost }
        #expect(try cost("6.2-q1 depth 6, width 64") > cost("6.2-q1 depth 6, width 8"))
        #expect(try cost("7.1-scratch lr 0.1") > cost("7.1-probe lr 0.1"))
        let backbone = try #require(plan.units.first { $0.kind == .backbone })
        #expect(plan.units.filter { $0.kind != .backbone }.allSatisfy { $0.cost < backbone.cost }, "the backbone costs the most")
    }

    /// Cache keys are a contract with caches on disk: the same config, data and engine
    /// must give the key it has always had. The expected keys are the names of the
    /// default study's cache entries, written by commit 7dea302 (before the unified
    /// pipeline), for the built-in map of seed 0 and the built-in faces of seed 0.
    @Test func keysAreThoseOfExistingCaches() {
        let mapHash = "e99076f032af58439c83b7f92d57199ed68e3da0b9a1f98b56818ba2fbd8b65e"
        let settings = StudySettings()
        // Part 6's format is 3 since maps and test predictions are the best epoch's (its key was
        // bcd308da… under format 2): those runs are trained again.
        #expect(settings.base.key(dataHash: mapHash, engineVersion: "0.1.0")
                == "247773a9052734bb224f9fa3ffb7e1dd6ff01adfafd11f1dc3c0059cabd4dbe9")
        // The backbone's key names its source task since the task gained portrait classes
        // (#12): the shapes-only backbone (no task recorded) keeps its old key and is not reused.
        // The configuration the default was then (6,000 images, 2 epochs; now 9,000 for one).
        var standard = BackbonePretraining(trainImages: 6_000, validationImages: 600, imageSize: 64, epochs: 2,
                                           batchSize: 32, learningRate: 0.001, seed: 0,
                                           sourceTask: SyntheticShapes.version)
        #expect(standard.key(dataHash: nil, engineVersion: "0.1.0")
                == "913bdee9aae5be978bec79319f13ebbd3429dd1c1dababc63da8c96604ce8dc9")
        standard.sourceTask = nil
        #expect(standard.key(dataHash: nil, engineVersion: "0.1.0")
                == "94baa17fc9d3bb9fb0eb2c696413bc3dcee85887e9387e84be8e82fefe130393")
        let faceHash = "9ccb59dc58116d68ccc7c2f43e0046746c028e09bd994b635fb566989f5ee08d"
        #expect(FaceRun.xgboost(learningRate: 0.1, rounds: 10, seed: 0).key(dataHash: faceHash, engineVersion: "0.1.0")
                == "bf7cec55cee28d691abec52a70c936ff2fbe1abcf1b69ca5204b39bc2dc80b87")
        // A network run evaluating every training image (before trainEvaluationImages existed), as
        // cached by `make report` with engine 0.4.0 on 2026-12-05: the key of that cache's entry.
        let backbone = "synthetic:46b4c06095d0028a7a64b166f80477981d07ea2011385f2140140ade75707739"
        let wholeSplit = FaceRun.network(.finetune, learningRate: 0.001, backbone: backbone, seed: 0, trainEvaluationImages: nil)
        #expect(wholeSplit.key(dataHash: "41a1178433a2f6459a2c0fd033f2d85c30caa66da7a2d43fe5eb997694b4f1b9", engineVersion: "0.4.0")
                == "0fd1076b5d430d455e634480da42f8b2f18f454f520f9775a10589b26e8655d7")
    }
}

/// `--tune`: the search is planned only when asked for, and shares the grid's runs.
@Suite struct TuningPlanTests {
    @Test func theSearchIsPlannedOnlyWithTune() throws {
        let questions = try StudyCatalog.select(["6.2"])
        var inputs = PlanTests.inputs()
        let plain = StudyPlan(questions, inputs: inputs)
        #expect(!plain.questions.contains { $0.id == "6.2-tune" })
        inputs.map?.settings.tune = true
        let tuned = StudyPlan(questions, inputs: inputs)
        let search = try #require(tuned.questions.first { $0.id == "6.2-tune" })
        #expect(search.runs.count == 7 * 9)
        // The grid's own setting is one of the nine: those 7 runs are the grid's.
        #expect(tuned.units.count == plain.units.count + 7 * 8)
        #expect(TuningQuestion().isPlanned(for: StudySettings(tune: true)))
        #expect(!TuningQuestion().isPlanned(for: StudySettings()))
    }

    @Test(.tags(.numerics)) func eachModelKeepsItsBestSettingAndTheGainIsPaired() {
        func group(_ depth: Int, _ rate: Double, _ batch: Int, _ accuracies: [Double]) -> RunGroup<MLPRun> {
            var config = StudySettings().base
            config.depth = depth
            config.optimizer = .adam(rate)
            config.batchSize = batch
            return RunGroup(label: TuningQuestion.label(depth: depth, width: 16, rate: rate, batch: batch),
                            results: accuracies.enumerated().map { seed, accuracy in
                                StudyFixtures.result(config.withSeed(UInt64(seed)), history: StudyFixtures.history(validationLosses: [10 * (1 - accuracy)]),
                                                     bestEpoch: 1)
                            })
        }
        let analysis = TuningAnalysis([
            group(1, 0.001, 256, [0.80, 0.82]), group(1, 0.01, 256, [0.90, 0.91]), group(1, 0.0001, 16, [0.85, 0.86]),
            group(2, 0.001, 256, [0.93, 0.94]), group(2, 0.01, 1024, [0.93, 0.94]),
        ])
        #expect(analysis.models.map(\.model) == ["depth 1, width 16", "depth 2, width 16"])
        let first = analysis.models[0]
        #expect(first.chosen == "depth 1, width 16, lr 0.01, batch 256")
        #expect(abs(first.gain!.values[0] - 0.10) < 1e-9 && abs(first.gain!.values[1] - 0.09) < 1e-9)
        // A tie goes to the earlier run of the search: the grid's setting here.
        #expect(analysis.models[1].learningRate == 0.001 && analysis.models[1].batchSize == 256)
        #expect(analysis.untunedRanking == ["depth 2, width 16", "depth 1, width 16"])
        #expect(analysis.tunedRanking == ["depth 2, width 16", "depth 1, width 16"])
    }
}
