import Datasets
import Engine
import Foundation
import Vision
import XCTest
@testable import Study

/// Part 7 at a tiny size: every method trains, the cache is reused, results are
/// deterministic, and linear probing on cached features is the frozen-backbone loop.
final class FaceStudyTests: XCTestCase {
    static let faces: FaceDataset = try! SyntheticFaces.generate(SyntheticFaces.Configuration(
        seed: 3, size: SyntheticFaces.Size(train: 32, validation: 8, test: 8), imageSize: 64))
    static let data: FaceStudyData = try! FaceStudyData(faces: faces)
    static let pretraining = BackbonePretraining(trainImages: 32, validationImages: 16, imageSize: 64, epochs: 1,
                                                 batchSize: 32, learningRate: 0.001, seed: 0)

    private func runStudy(cache: ResultCache, progress: RecordingProgress? = nil) throws -> (FacePlan, [String: FaceRunResult]) {
        let source = BackboneSource.synthetic(Self.pretraining)
        let plan = FacePlan(seeds: [0], quick: true, epochs: 1, backbone: try source.identity())
        let planned = FaceStudyRunner.plannedRuns(StudyCatalog.part7, plan: plan, dataHash: Self.data.contentHash)
        let runner = FaceStudyRunner(cache: cache, reporter: progress)
        let results = try runner.run(planned, data: Self.data) { onIteration in
            try FaceStudy.load(source, cache: cache, onIteration: onIteration)
        }
        return (plan, results)
    }

    func testEveryMethodTrainsAndTheCacheIsReused() throws {
        let cache = ResultCache(directory: StudyFixtures.temporaryDirectory("faces"))
        let (plan, first) = try runStudy(cache: cache)
        // 3 XGBoost + 3 x 5 networks + 1 logistic regression; summary and samples reuse them.
        XCTAssertEqual(first.count, 19)
        for result in first.values {
            XCTAssertEqual(result.testScores.count, Self.faces.test.count, result.config.summary)
            XCTAssertTrue(result.testScores.allSatisfy { (0...1).contains($0) }, result.config.summary)
            XCTAssertNotNil(result.metrics?.test, result.config.summary)
        }
        let progress = RecordingProgress()
        let (_, second) = try runStudy(cache: cache, progress: progress)
        XCTAssertEqual(progress.summary?.ran, 0)
        XCTAssertEqual(progress.summary?.reused, 19)
        XCTAssertEqual(second, first)

        let manifest = FaceManifest(plan: plan, data: Self.data, backboneDescription: "test", pretraining: nil)
        let analyses = FaceStudyAnalysis.analyze(StudyCatalog.part7, manifest: manifest, results: second)
        XCTAssertEqual(analyses.map(\.experiment.id),
                       ["7.1-xgboost", "7.1-scratch", "7.1-probe", "7.1-logreg", "7.1-finetune", "7.1-summary", "7.2"])
        XCTAssertTrue(analyses.allSatisfy { $0.result != nil })
        guard case .summary(let summary) = analyses[5].result?.analysis else { return XCTFail("no summary") }
        XCTAssertEqual(Set(summary.methods.map(\.method)), Set(FaceMethod.allCases))
    }

    func testRunsAreDeterministic() throws {
        let config = FaceRunConfig.network(.scratch, learningRate: 0.001, backbone: nil, seed: 5)
        let a = try FaceRunExecutor.execute(config, data: Self.data, backbone: nil, key: "k")
        let b = try FaceRunExecutor.execute(config, data: Self.data, backbone: nil, key: "k")
        XCTAssertEqual(a.withoutTiming, b.withoutTiming)
        let boosted = FaceRunConfig.xgboost(learningRate: 0.1, rounds: 5, seed: 0)
        XCTAssertEqual(try FaceRunExecutor.execute(boosted, data: Self.data, backbone: nil, key: "x").withoutTiming,
                       try FaceRunExecutor.execute(boosted, data: Self.data, backbone: nil, key: "x").withoutTiming)
    }

    /// Probing trains the head on features computed once; PyTorch's loop runs the frozen
    /// (eval-mode) backbone at every step. Both must give the same head and losses.
    func testProbingOnFeaturesMatchesTheFrozenBackboneLoop() throws {
        let cache = ResultCache(directory: StudyFixtures.temporaryDirectory("probe"))
        let backbone = try FaceStudy.load(.synthetic(Self.pretraining), cache: cache, onIteration: { _ in })
        let config = FaceRunConfig.network(.probe, learningRate: 0.01, backbone: backbone.identity, seed: 2)
        let probed = try FaceRunExecutor.execute(config, data: Self.data, backbone: backbone, key: "p")

        // The same run, the long way: a whole ResNet18 with its backbone frozen.
        let root = RNG(seed: 2)
        var initRNG = root.derive(1), shuffleRNG = root.derive(2)
        var unusedRNG = RNG(seed: 99)
        let model = try backbone.makeModel(classCount: 1, rng: &unusedRNG)
        try model.replaceHead(with: try Linear(ResNet18.featureCount, 1, rng: &initRNG))
        model.freezeBackbone()
        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.fc.allParameters, learningRate: 0.01),
                                          inputShape: [3, 64, 64], classCount: 2, loss: .binaryCrossEntropy)
        let history = try Trainer.fit(session, train: Self.data.train.pretrained, validation: Self.data.validation.pretrained,
                                      test: Self.data.test.pretrained,
                                      config: try TrainingConfig(epochs: 1, batchSize: 32, evaluationBatchSize: 64), rng: &shuffleRNG)
        let expected = try XCTUnwrap(probed.history?.iterationLosses)
        XCTAssertEqual(history.iterationLosses.count, expected.count)
        for (a, b) in zip(history.iterationLosses, expected) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
        XCTAssertEqual(history.epochs.last?.test?.accuracy, probed.metrics?.test?.accuracy)
    }

    func testAPretrainedBackboneComesFromTheCacheTheSecondTime() throws {
        let cache = ResultCache(directory: StudyFixtures.temporaryDirectory("backbone"))
        let first = try FaceStudy.load(.synthetic(Self.pretraining), cache: cache, onIteration: { _ in })
        let second = try BackboneProvider.synthetic(Self.pretraining, cache: cache,
                                                    sourceTask: { XCTFail("pretrained twice"); throw StudyError.invalidOption("") })
        XCTAssertEqual(first.identity, second.identity)
        XCTAssertEqual(first.weights.names, second.weights.names)
        XCTAssertEqual(first.weights.entries.map(\.tensor), second.weights.entries.map(\.tensor))
        XCTAssertTrue(first.description.contains("32 synthetic images"), first.description)
    }

    func testABrokenWeightsFileNamesTheFileAndTheTensor() throws {
        let folder = StudyFixtures.temporaryDirectory("weights")
        var rng = RNG(seed: 0)
        let model = try ResNet18(classCount: 1000, rng: &rng)
        let path = folder.appendingPathComponent("resnet18.safetensors").path
        try StateDict(entries: model.stateDict().entries.filter { $0.name != "layer3.1.bn2.weight" }).write(to: path)
        XCTAssertThrowsError(try BackboneProvider.load(weightsFile: path)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(path) && message.contains("layer3.1.bn2.weight"), message)
        }
        try model.saveSafeTensors(to: path)
        let backbone = try BackboneProvider.load(weightsFile: path)
        XCTAssertTrue(backbone.identity.hasPrefix("weights:"))
        XCTAssertFalse(backbone.weights.names.contains { $0.hasPrefix("fc.") })
        XCTAssertThrowsError(try BackboneProvider.load(weightsFile: folder.appendingPathComponent("missing.safetensors").path)) { error in
            XCTAssertTrue("\(error)".contains("missing.safetensors"), "\(error)")
        }
    }
}
