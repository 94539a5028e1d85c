import Datasets
import Engine
import Foundation
import Images
import Support
import Testing
import TestSupport
import Vision
@testable import Study
import StudyFixtures

/// Part 7 of the quick study: every method trains and is cached, results do not depend
/// on the cores, linear probing on cached features is the frozen-backbone loop, and a
/// broken weights file names the file and the tensor.
@Suite(.tags(.endToEnd)) struct PartSevenTests {
    private func inputs(_ name: String) -> StudyInputs {
        StudyInputs(options: QuickStudy.options, cache: ResultCache(directory: QuickStudy.cache), cores: .single)
    }

    @Test func everyMethodIsTrainedAndCachedWithTheBackboneFirst() throws {
        let study = QuickStudy.study
        let units = study.units.filter { $0.unit.part == .seven }
        // The backbone's pretraining, 3 XGBoost, 3 x 5 networks and 1 logistic regression.
        #expect(units.count == 20)
        #expect(units.first?.unit.kind == .backbone)
        let faces = try #require(study.manifest.faces)
        for unit in units.dropFirst() {
            let result = try #require(unit.result as? RunResult<FaceRun>)
            #expect(result.testScores.count == faces.splitSizes[2], "\(result.config.summary)")
            #expect(result.testScores.allSatisfy { (0...1).contains($0) }, "\(result.config.summary)")
            #expect(result.metrics?.test != nil, "\(result.config.summary)")
        }
        #expect(study.questions.filter { $0.part == .seven }.map(\.id)
                == ["7.1-xgboost", "7.1-scratch", "7.1-probe", "7.1-logreg", "7.1-finetune", "7.1-summary", "7.2"])
        let summary = try #require(study.result("7.1-summary", as: FaceRun.self))
        guard case .summary(let analysis) = summary.analysis else { Issue.record("no summary"); return }
        #expect(Set(analysis.methods.map(\.method)) == Set(FaceMethod.allCases))
        #expect(study.backboneDescription?.contains("192 synthetic images") == true)
    }

    @Test func runsAreDeterministicWhateverTheCores() throws {
        let inputs = inputs("determinism")
        let scratch = FaceRun.network(.scratch, learningRate: 0.001, backbone: nil, seed: 5)
        let one = try scratch.execute(UnitContext(cores: .single, inputs: inputs))
        let two = try scratch.execute(UnitContext(cores: CoreBudget(cores: 2), inputs: inputs))
        #expect(one == two)
        let boosted = FaceRun.xgboost(learningRate: 0.1, rounds: 5, seed: 0)
        #expect(try boosted.execute(UnitContext(cores: .single, inputs: inputs))
                == boosted.execute(UnitContext(cores: CoreBudget(cores: 2), inputs: inputs)))
        // The fixture trained the same run on every core; a run here on one core agrees with it.
        let settings = try #require(QuickStudy.study.manifest.faces?.settings)
        let cached = try #require(QuickStudy.study.units.compactMap { $0.result as? RunResult<FaceRun> }
            .first { $0.config == settings.network(.finetune, learningRate: 0.001) })
        #expect(try cached.config.execute(UnitContext(cores: .single, inputs: inputs)) == cached.outcome)
    }

    /// A network's test probabilities come from the trainer's evaluation of the last
    /// epoch, whose metrics the run reports: bit for bit what the separate pass over the
    /// test images after training gave before (the same run written out the old way).
    @Test(.tags(.numerics)) func testProbabilitiesAreThoseOfASeparatePassAfterTraining() throws {
        let inputs = inputs("probabilities")
        let config = FaceRun.network(.scratch, learningRate: 0.001, backbone: nil, seed: 3)
        let outcome = try config.execute(UnitContext(cores: .single, inputs: inputs))
        let data = try inputs.faces()

        let root = RNG(seed: 3)
        var initRNG = root.derive(1), shuffleRNG = root.derive(2)
        let model = try ResNet18(classCount: 1, rng: &initRNG, workspace: ConvolutionWorkspace(cores: .single))
        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters, learningRate: 0.001),
                                          inputShape: data.train.scratch.sampleShape, classCount: 2, loss: .binaryCrossEntropy)
        let batch = FaceNetworkTraining.imageEvaluationBatch
        let history = try FloatingPointMode.withSubnormalsFlushed {
            try Trainer.fit(session, train: data.train.scratch, validation: data.validation.scratch, test: data.test.scratch,
                            config: try TrainingConfig(epochs: config.epochs, batchSize: config.batchSize,
                                                       evaluationBatchSize: batch, evaluatesInitialModel: false),
                            rng: &shuffleRNG)
        }
        // As before: after training, outside the flushing of subnormals.
        let logits = model.outputs(for: data.test.scratch.features, batchSize: batch)
        let expected = logits.withUnsafeBufferPointer { $0.map(BinaryCrossEntropyWithLogits.sigmoid) }
        #expect(outcome.history == history)
        #expect(outcome.testScores.count == data.test.scratch.count)
        #expect(outcome.testScores.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    /// A network measures its train accuracy on some of the training images when told
    /// to, records how many, and trains and tests exactly as with all of them.
    @Test func theTrainAccuracyIsMeasuredOnTheImagesItSays() throws {
        let inputs = inputs("train-sample")
        let trainCount = try inputs.faces().faces.train.count
        let all = FaceRun.network(.scratch, learningRate: 0.001, backbone: nil, seed: 4, trainEvaluationImages: nil)
        var some = all
        some.trainEvaluationImages = trainCount / 4
        var every = all
        every.trainEvaluationImages = trainCount
        // As many images as the split has: every one, recorded as the whole split (nil).
        let full = try every.execute(UnitContext(cores: .single, inputs: inputs))
        let sampled = try some.execute(UnitContext(cores: .single, inputs: inputs))
        #expect(sampled.trainImagesEvaluated == trainCount / 4 && full.trainImagesEvaluated == nil)
        #expect(sampled.history?.iterationLosses == full.history?.iterationLosses)
        #expect(sampled.metrics?.test == full.metrics?.test && sampled.testScores == full.testScores)
        #expect(sampled.metrics?.train != full.metrics?.train)
        // Runs cached before the field existed keep their keys: nil is not encoded.
        #expect(all.key(dataHash: "d", engineVersion: "e") != some.key(dataHash: "d", engineVersion: "e"))
    }

    /// Probing trains the head on features computed once; PyTorch's loop runs the frozen
    /// (eval-mode) backbone at every step. Both must give the same head and losses.
    @Test(.tags(.numerics)) func probingOnFeaturesMatchesTheFrozenBackboneLoop() throws {
        let inputs = inputs("probe")
        let settings = try #require(QuickStudy.study.manifest.faces?.settings)
        let config = FaceRun.network(.probe, learningRate: 0.01, backbone: settings.backbone, seed: 2)
        let probed = try config.execute(UnitContext(cores: .single, inputs: inputs))
        let backbone = try inputs.backbone(for: config)
        let data = try inputs.faces()

        // The same run, the long way: a whole ResNet18 with its backbone frozen.
        let root = RNG(seed: 2)
        var initRNG = root.derive(1), shuffleRNG = root.derive(2)
        var unusedRNG = RNG(seed: 99)
        let model = try backbone.makeModel(classCount: 1, rng: &unusedRNG)
        try model.replaceHead(with: try Linear(ResNet18.featureCount, 1, rng: &initRNG))
        model.freezeBackbone()
        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.fc.allParameters, learningRate: 0.01),
                                          inputShape: [3, 64, 64], classCount: 2, loss: .binaryCrossEntropy)
        let history = try Trainer.fit(session, train: data.train.pretrained, validation: data.validation.pretrained,
                                      test: data.test.pretrained,
                                      config: try TrainingConfig(epochs: 1, batchSize: 32, evaluationBatchSize: 64), rng: &shuffleRNG)
        let expected = try #require(probed.history?.iterationLosses)
        #expect(history.iterationLosses.count == expected.count)
        for (a, b) in zip(history.iterationLosses, expected) { #expect(abs(a - b) <= 1e-4 * max(1, abs(b))) }
        #expect(history.epochs.last?.test?.accuracy == probed.metrics?.test?.accuracy)
    }

    @Test func theCachedBackboneIsItsPretrainingsWeights() throws {
        let faces = try #require(QuickStudy.study.manifest.faces)
        let pretraining = try #require(faces.pretraining)
        let cache = ResultCache(directory: QuickStudy.cache)
        let first = try BackboneStore.load(pretraining, cache: cache)
        let second = try BackboneStore.load(pretraining, cache: cache)
        #expect(first.identity == faces.backbone)
        #expect(first.weights.names == second.weights.names)
        #expect(first.weights.entries.map(\.tensor) == second.weights.entries.map(\.tensor))
        #expect(!first.weights.names.contains { $0.hasPrefix("fc.") })
        // Without its weights file a record is not a usable backbone.
        let copy = try QuickStudy.copy("no-weights").appendingPathComponent(".cache")
        try FileManager.default.removeItem(at: copy.appendingPathComponent("backbones"))
        #expect(throws: StudyError.self) { try BackboneStore.load(pretraining, cache: ResultCache(directory: copy)) }
    }

    /// The source task, built without copies of its images, holds what normalising the
    /// generated images and splitting them gives, value for value.
    @Test(.tags(.numerics)) func theSourceTaskIsTheNormalisedImagesSplitInOrder() throws {
        let config = BackbonePretraining(trainImages: 21, validationImages: 7, imageSize: 16, epochs: 1, batchSize: 4,
                                         learningRate: 0.001, seed: 3, sourceTask: SyntheticShapes.version)
        let task = try config.sourceTask(cores: .single)
        let shapes = try SyntheticShapes.generate(SyntheticShapes.Configuration(seed: 3, count: 28, imageSize: 16),
                                                  cores: .single)
        let normalized = ImageTransforms.normalize(shapes.images)
        #expect(task.train.features == normalized.rows(0..<21))
        #expect(task.validation.features == normalized.rows(21..<28))
        #expect(task.train.labels == Array(shapes.labels[0..<21]))
        #expect(task.validation.labels == Array(shapes.labels[21...]))
        #expect(task.classNames == shapes.classNames)
        // The copying form leaves its argument as it was.
        #expect(normalized != shapes.images)
    }

    /// `--weights` reads torch.save's .pth files too (fixtures of Tests/VisionTests/Reference/pth).
    @Test(.tags(.errors)) func aPyTorchCheckpointIsReadAsWeightsAndAForeignGlobalRefused() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../VisionTests/Reference/pth").standardizedFileURL
        // The tiny conv net is read as a state dict, then refused for what it holds: the .pth was parsed.
        for (file, expected) in [("tiny_conv.pth", "not a ResNet18 state dict: missing"), ("foreign_global.pth", "posix.system")] {
            let path = fixtures.appendingPathComponent(file).path
            if let error = #expect(throws: (any Error).self, "\(file)", performing: { try BackboneStore.load(weightsFile: path) }) {
                #expect("\(error)".contains(path) && "\(error)".contains(expected), "\(error)")
            }
        }
    }

    @Test(.tags(.errors)) func aBrokenWeightsFileNamesTheFileAndTheTensor() throws {
        let folder = temporaryDirectory("weights")
        var rng = RNG(seed: 0)
        let model = try ResNet18(classCount: 1000, rng: &rng)
        let path = folder.appendingPathComponent("resnet18.safetensors").path
        try StateDict(entries: model.stateDict().entries.filter { $0.name != "layer3.1.bn2.weight" }).write(to: path)
        do {
            _ = try BackboneStore.load(weightsFile: path)
            Issue.record("a state dict without layer3.1.bn2.weight was accepted")
        } catch {
            #expect("\(error)".contains(path) && "\(error)".contains("layer3.1.bn2.weight"), "\(error)")
        }
        try model.saveSafeTensors(to: path)
        let backbone = try BackboneStore.load(weightsFile: path)
        #expect(backbone.identity.hasPrefix("weights:"))
        #expect(!backbone.weights.names.contains { $0.hasPrefix("fc.") })
        let missing = folder.appendingPathComponent("missing.safetensors").path
        do {
            _ = try BackboneStore.load(weightsFile: missing)
            Issue.record("a missing weights file was accepted")
        } catch {
            #expect("\(error)".contains("missing.safetensors"), "\(error)")
        }
        // The plan of a study with weights hashes the file (and remembers it).
        var options = QuickStudy.options
        options.weights = path
        let inputs = StudyInputs(options: options, cache: ResultCache(directory: folder), cores: .single)
        #expect(try inputs.backboneIdentity() == backbone.identity)
    }
}
