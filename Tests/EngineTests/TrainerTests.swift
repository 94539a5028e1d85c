import Foundation
import Testing
import TestSupport
@testable import Engine

struct TrainerTests {
    private func train(
        seed: UInt64, config: MLPConfig = MLPConfig(inputFeatures: 2, classCount: 3, depth: 3, width: 16),
        epochs: Int = 5, batchSize: Int = 16, learningRate: Float = 0.01, evaluatesInitialModel: Bool = true,
        evaluatesEveryEpoch: Bool = true, trainingEvaluationRows: Int? = nil,
        data: (inout RNG) throws -> LabeledData = { try TestData.spiral(count: 300, arms: 3, rng: &$0) }
    ) throws -> TrainingHistory {
        var dataRNG = RNG(seed: 100)
        let train = try data(&dataRNG)
        let validation = try data(&dataRNG)
        var rng = RNG(seed: seed)
        let model = try config.makeModel(rng: &rng)
        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters, learningRate: learningRate),
                                          inputFeatures: config.inputFeatures, classCount: config.classCount)
        return try Trainer.fit(session, train: train, validation: validation, test: validation,
                               config: try TrainingConfig(epochs: epochs, batchSize: batchSize,
                                                          trainingEvaluationRows: trainingEvaluationRows,
                                                          evaluatesInitialModel: evaluatesInitialModel,
                                                          evaluatesEveryEpoch: evaluatesEveryEpoch), rng: &rng)
    }

    @Test(.tags(.endToEnd)) func sameSeedGivesIdenticalBytes() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let first = try encoder.encode(try train(seed: 3))
        let second = try encoder.encode(try train(seed: 3))
        #expect(first == second)
        let otherSeed = try encoder.encode(try train(seed: 4))
        #expect(first != otherSeed)
    }

    @Test(.tags(.endToEnd)) func learnsSpiral() throws {
        let history = try train(seed: 5, epochs: 60, batchSize: 32)
        #expect(history.divergence == nil)
        let final = try #require(history.final)
        #expect(final.train.accuracy > 0.95)
        let validation = try #require(final.validation)
        #expect(validation.accuracy > 0.9)
        #expect(final.train.loss < history.epochs[0].train.loss / 4)
    }

    @Test(.tags(.endToEnd)) func learnsXORWithBatchNormAndResidual() throws {
        let config = MLPConfig(inputFeatures: 2, classCount: 2, depth: 4, width: 8, batchNorm: true, residual: true)
        let history = try train(seed: 6, config: config, epochs: 60, batchSize: 16,
                                data: { try TestData.xor(count: 400, rng: &$0) })
        let validation = try #require(history.final?.validation)
        #expect(validation.accuracy > 0.93)
    }

    /// Leaving out the untrained model's evaluation changes nothing else: same
    /// iterations, same trained model, same metrics after every epoch.
    @Test func initialEvaluationIsOptional() throws {
        let with = try train(seed: 8, epochs: 2)
        let without = try train(seed: 8, epochs: 2, evaluatesInitialModel: false)
        #expect(with.epochs.map(\.epoch) == [0, 1, 2] && without.epochs.map(\.epoch) == [1, 2])
        #expect(Array(with.epochs.dropFirst()) == without.epochs)
        #expect(with.iterationLosses == without.iterationLosses)
    }

    /// Evaluating only the last epoch changes nothing else: same iterations, same
    /// gradient norms, same trained model and metrics at the end.
    @Test func evaluatingOnlyTheLastEpochKeepsTheRest() throws {
        let every = try train(seed: 9, epochs: 3)
        let last = try train(seed: 9, epochs: 3, evaluatesInitialModel: false, evaluatesEveryEpoch: false)
        #expect(last.epochs.map(\.epoch) == [3])
        #expect(last.epochs == [every.epochs.last!])
        #expect(last.iterationLosses == every.iterationLosses)
        #expect(last.gradientNorms == every.gradientNorms)
    }

    /// A training split stored class by class (as an image folder is) keeps its class
    /// proportions in the evenly spaced rows, where a prefix would hold one class only.
    @Test func evenlySpacedRowsKeepTheClassProportions() throws {
        #expect(LabeledData.evenlySpacedRows(4, of: 10) == [0, 2, 5, 7])
        #expect(LabeledData.evenlySpacedRows(3, of: 3) == [0, 1, 2])
        #expect(LabeledData.evenlySpacedRows(5, of: 2) == [0, 1])
        let labels = (0..<1_400).map { Int32($0 < 700 ? 0 : 1) }
        let data = try LabeledData(features: Tensor(shape: [1_400, 2], values: (0..<2_800).map(Float.init)), labels: labels, classCount: 2)
        let sample = data.evenlySpaced(400)
        #expect(sample.count == 400 && sample.labels.filter { $0 == 1 }.count == 200)
        let rows = LabeledData.evenlySpacedRows(400, of: 1_400)
        #expect(Set(rows).count == 400)
        sample.features.withUnsafeBufferPointer { values in
            #expect(rows.enumerated().allSatisfy { values[2 * $0.offset + 1] == Float(2 * $0.element + 1) })
        }
        #expect(data.evenlySpaced(2_000).count == 1_400)
    }

    /// Evaluating the training split on some of its rows changes only the train metrics:
    /// the same iterations and model, and those metrics are the evaluation of those rows.
    @Test func theTrainAccuracyOfSomeRowsChangesNothingElse() throws {
        let all = try train(seed: 10, epochs: 2)
        let some = try train(seed: 10, epochs: 2, trainingEvaluationRows: 60)
        #expect(some.iterationLosses == all.iterationLosses)
        #expect(some.epochs.map(\.validation) == all.epochs.map(\.validation))
        #expect(some.epochs.map(\.test) == all.epochs.map(\.test))
        #expect(some.epochs.map(\.train) != all.epochs.map(\.train))
        // The last epoch's train metrics are those of the trained model on the evenly spaced rows.
        var dataRNG = RNG(seed: 100)
        let trainData = try TestData.spiral(count: 300, arms: 3, rng: &dataRNG)
        var rng = RNG(seed: 10)
        let config = MLPConfig(inputFeatures: 2, classCount: 3, depth: 3, width: 16)
        let model = try config.makeModel(rng: &rng)
        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters, learningRate: 0.01),
                                          inputFeatures: 2, classCount: 3)
        let history = try Trainer.fit(session, train: trainData,
                                      config: try TrainingConfig(epochs: 2, batchSize: 16, trainingEvaluationRows: 60), rng: &rng)
        #expect(history.final?.train == session.evaluate(trainData.evenlySpaced(60), batchSize: 1024))
    }

    @Test(.tags(.endToEnd)) func recordsEveryIterationEpochAndLayer() throws {
        // 300 rows in batches of 64: 4 full batches and a last one of 44, kept.
        let history = try train(seed: 7, epochs: 3, batchSize: 64)
        #expect(history.iterationLosses.count == 15)
        #expect(history.epochs.map(\.epoch) == [0, 1, 2, 3])
        #expect(history.gradientLayers == ["linear0", "linear1", "linear2", "linear3"])
        #expect(history.gradientNorms.count == 3)
        #expect(history.gradientNorms.allSatisfy { $0.count == 4 && $0.allSatisfy { $0 > 0 } })
    }

    @Test(.tags(.numerics)) func gradientNormIsMeanOfSquaredWeightGradientNorms() throws {
        // One epoch of one full batch: the recorded value is ‖dW‖² of that single step,
        // recomputed here from a copy of the same model and data.
        var rng = RNG(seed: 8)
        let data = try TestData.xor(count: 32, rng: &rng)
        let config = MLPConfig(inputFeatures: 2, classCount: 2, depth: 1, width: 4)
        var modelRNG = RNG(seed: 9)
        let model = try config.makeModel(rng: &modelRNG)
        let session = try TrainingSession(model: model, optimizer: try SGD(parameters: model.allParameters, learningRate: 0),
                                          inputFeatures: 2, classCount: 2)
        var trainRNG = RNG(seed: 10)
        let history = try Trainer.fit(session, train: data, config: try TrainingConfig(epochs: 1, batchSize: 32), rng: &trainRNG)

        let logits = model.forward(data.features, mode: .training)
        let gradient = SoftmaxCrossEntropy().lossAndGradient(logits: logits, labels: data.labels[...]).gradient
        for parameter in model.allParameters { parameter.gradient.zero() }
        _ = model.backward(gradient, needsInputGradient: false)
        let linears = model.allLayers.compactMap { $0 as? Linear }
        for (index, linear) in linears.enumerated() {
            let expected = linear.weight.gradient.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }
            expectClose(history.gradientNorms[0][index], expected, accuracy: 1e-6 * max(expected, 1), "layer \(index)")
        }
    }

    @Test(.tags(.endToEnd)) func divergenceIsRecordedAndEncodesWithoutNonFiniteNumbers() throws {
        // Raw inputs in the thousands with a huge learning rate overflow within a few steps.
        let history = try train(seed: 11, epochs: 20, batchSize: 8, learningRate: 1e30, data: { rng in
            var features: [Float] = [], labels: [Int32] = []
            for _ in 0..<200 {
                features += [rng.uniform(1000, 5000), rng.uniform(-5000, -1000)]
                labels.append(Int32(rng.index(below: 3)))
            }
            return try LabeledData(features: Tensor(shape: [200, 2], values: features), labels: labels, classCount: 3)
        })
        let divergence = try #require(history.divergence)
        #expect(divergence.epoch >= 1)
        #expect(divergence.iteration >= 1)
        #expect(history.iterationLosses.allSatisfy { $0.isFinite })
        #expect(history.epochs.allSatisfy { $0.train.loss.isFinite })
        // JSONEncoder throws on NaN or infinity with its default strategy.
        let json = String(decoding: try JSONEncoder().encode(history), as: UTF8.self)
        #expect(!json.lowercased().contains("nan"))
        #expect(json.contains("\"divergence\""))
    }

    /// A two-class model with batch norm (one logit for binary cross-entropy), its
    /// session and noisy spiral splits, for the kept-outputs tests.
    private func session(seed: UInt64, learningRate: Float, loss: ClassificationLoss = .softmaxCrossEntropy) throws
        -> (session: TrainingSession, train: LabeledData, validation: LabeledData, test: LabeledData) {
        var dataRNG = RNG(seed: 200)
        let train = try TestData.spiral(count: 300, arms: 2, noise: 0.3, rng: &dataRNG)
        let validation = try TestData.spiral(count: 90, arms: 2, noise: 0.3, rng: &dataRNG)
        let test = try TestData.spiral(count: 101, arms: 2, noise: 0.3, rng: &dataRNG)
        var rng = RNG(seed: seed)
        let model = Sequential([try Linear(2, 16, rng: &rng), try BatchNorm(channels: 16), ReLU(),
                                try Linear(16, 16, rng: &rng), ReLU(),
                                try Linear(16, loss == .binaryCrossEntropy ? 1 : 2, rng: &rng)])
        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters, learningRate: learningRate),
                                          inputShape: [2], classCount: 2, loss: loss)
        return (session, train, validation, test)
    }

    private func bits(_ tensor: Tensor) -> [UInt32] { tensor.scalars.map(\.bitPattern) }

    /// The last epoch's test outputs, kept from the trainer's own evaluation (101 rows
    /// in evaluation batches of 37), are bit for bit a separate inference pass after
    /// training, for one logit (binary cross-entropy, Part 7's loss) and for softmax;
    /// the history is the same bytes as without keeping them.
    @Test(.tags(.numerics), arguments: [ClassificationLoss.binaryCrossEntropy, .softmaxCrossEntropy])
    func keptLastEpochOutputsAreASeparatePassBitForBit(loss: ClassificationLoss) throws {
        let training = try TrainingConfig(epochs: 3, batchSize: 16, evaluationBatchSize: 37)
        let kept = try session(seed: 21, learningRate: 0.01, loss: loss)
        var rng = RNG(seed: 22)
        let (history, testOutputs) = try Trainer.fit(kept.session, train: kept.train, validation: kept.validation, test: kept.test,
                                                     keepingTestOutputs: .last, config: training, rng: &rng)
        let result = try #require(testOutputs)
        #expect(result.epoch == 3 && result.epoch == history.final?.epoch)
        #expect(result.outputs.shape == [101, loss == .binaryCrossEntropy ? 1 : 2])
        #expect(bits(result.outputs) == bits(kept.session.model.outputs(for: kept.test.features, batchSize: 37)))

        let plain = try session(seed: 21, learningRate: 0.01, loss: loss)
        var plainRNG = RNG(seed: 22)
        let plainHistory = try Trainer.fit(plain.session, train: plain.train, validation: plain.validation, test: plain.test,
                                           config: training, rng: &plainRNG)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(history) == encoder.encode(plainHistory))
    }

    /// The best epoch's test outputs (highest validation accuracy, earliest on ties) are
    /// bit for bit those of the model of that epoch, restored and run again; the epoch is
    /// the history's `bestEpoch`, here before the last, so the buffers were swapped back.
    @Test(.tags(.numerics)) func keptBestEpochOutputsAreThoseOfTheBestModel() throws {
        let kept = try session(seed: 23, learningRate: 0.05)
        var states: [Int: ModelState] = [:]
        var rng = RNG(seed: 24)
        let (history, testOutputs) = try Trainer.fit(
            kept.session, train: kept.train, validation: kept.validation, test: kept.test, keepingTestOutputs: .bestValidationAccuracy,
            config: try TrainingConfig(epochs: 12, batchSize: 16, evaluationBatchSize: 37), rng: &rng,
            onEpoch: { states[$0.epoch] = ModelState(kept.session.model) })
        let result = try #require(testOutputs)
        let best = try #require(history.bestEpoch)
        #expect(result.epoch == best)
        let accuracies = history.epochs.map { $0.validation!.accuracy }
        #expect(best != history.final?.epoch && best != 0, "validation accuracies \(accuracies): the test needs a best epoch in between")
        #expect(accuracies.firstIndex(of: accuracies.max()!) == best, "earliest of the best")
        try #require(states[best]).restore(into: kept.session.model)
        #expect(bits(result.outputs) == bits(kept.session.model.outputs(for: kept.test.features, batchSize: 37)))
    }

    /// A run that diverges keeps the outputs of its last recorded epoch, the one whose
    /// metrics the history ends with, never those of the evaluation that diverged.
    @Test func keptOutputsOfADivergedRunAreItsLastRecordedEpochs() throws {
        let kept = try session(seed: 25, learningRate: 1e30)
        var rng = RNG(seed: 26)
        let (history, testOutputs) = try Trainer.fit(kept.session, train: kept.train, validation: kept.validation, test: kept.test,
                                                     keepingTestOutputs: .last,
                                                     config: try TrainingConfig(epochs: 20, batchSize: 8), rng: &rng)
        #expect(history.divergence != nil)
        #expect(testOutputs?.epoch == history.final?.epoch)
        #expect(testOutputs.map { $0.outputs.scalars.allSatisfy(\.isFinite) } ?? true)
    }

    @Test(.tags(.numerics)) func predictClassesMatchesFullBatchArgmax() throws {
        var rng = RNG(seed: 12)
        let model = try MLPConfig(inputFeatures: 2, classCount: 5, depth: 2, width: 8).makeModel(rng: &rng)
        let points = GradientCheck.randomTensor([1000, 2], rng: &rng, range: -3...3)
        let batched = model.predictClasses(points, batchSize: 97)
        let logits = model.forward(points, mode: .inference)
        let expected = (0..<1000).map { row in
            Int32((0..<5).max { logits[row, $0] < logits[row, $1] || (logits[row, $0] == logits[row, $1] && $0 > $1) }!)
        }
        #expect(batched == expected)
    }
}
