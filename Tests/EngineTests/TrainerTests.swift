import Foundation
import XCTest
@testable import Engine

final class TrainerTests: XCTestCase {
    private func train(
        seed: UInt64, config: MLPConfig = MLPConfig(inputFeatures: 2, classCount: 3, depth: 3, width: 16),
        epochs: Int = 5, batchSize: Int = 16, learningRate: Float = 0.01,
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
                               config: try TrainingConfig(epochs: epochs, batchSize: batchSize), rng: &rng)
    }

    func testSameSeedGivesIdenticalBytes() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let first = try encoder.encode(try train(seed: 3))
        let second = try encoder.encode(try train(seed: 3))
        XCTAssertEqual(first, second)
        XCTAssertNotEqual(first, try encoder.encode(try train(seed: 4)))
    }

    func testLearnsSpiral() throws {
        let history = try train(seed: 5, epochs: 60, batchSize: 32)
        XCTAssertNil(history.divergence)
        let final = try XCTUnwrap(history.final)
        XCTAssertGreaterThan(final.train.accuracy, 0.95)
        XCTAssertGreaterThan(try XCTUnwrap(final.validation).accuracy, 0.9)
        XCTAssertLessThan(final.train.loss, history.epochs[0].train.loss / 4)
    }

    func testLearnsXORWithBatchNormAndResidual() throws {
        let config = MLPConfig(inputFeatures: 2, classCount: 2, depth: 4, width: 8, batchNorm: true, residual: true)
        let history = try train(seed: 6, config: config, epochs: 60, batchSize: 16,
                                data: { try TestData.xor(count: 400, rng: &$0) })
        XCTAssertGreaterThan(try XCTUnwrap(history.final?.validation).accuracy, 0.93)
    }

    func testRecordsEveryIterationEpochAndLayer() throws {
        // 300 rows in batches of 64: 4 full batches and a last one of 44, kept.
        let history = try train(seed: 7, epochs: 3, batchSize: 64)
        XCTAssertEqual(history.iterationLosses.count, 15)
        XCTAssertEqual(history.epochs.map(\.epoch), [0, 1, 2, 3])
        XCTAssertEqual(history.gradientLayers, ["linear0", "linear1", "linear2", "linear3"])
        XCTAssertEqual(history.gradientNorms.count, 3)
        XCTAssertTrue(history.gradientNorms.allSatisfy { $0.count == 4 && $0.allSatisfy { $0 > 0 } })
    }

    func testGradientNormIsMeanOfSquaredWeightGradientNorms() throws {
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
            XCTAssertEqual(history.gradientNorms[0][index], expected, accuracy: 1e-6 * max(expected, 1))
        }
    }

    func testDivergenceIsRecordedAndEncodesWithoutNonFiniteNumbers() throws {
        // Raw inputs in the thousands with a huge learning rate overflow within a few steps.
        let history = try train(seed: 11, epochs: 20, batchSize: 8, learningRate: 1e30, data: { rng in
            var features: [Float] = [], labels: [Int32] = []
            for _ in 0..<200 {
                features += [rng.uniform(1000, 5000), rng.uniform(-5000, -1000)]
                labels.append(Int32(rng.index(below: 3)))
            }
            return try LabeledData(features: Tensor(shape: [200, 2], values: features), labels: labels, classCount: 3)
        })
        let divergence = try XCTUnwrap(history.divergence)
        XCTAssertGreaterThanOrEqual(divergence.epoch, 1)
        XCTAssertGreaterThanOrEqual(divergence.iteration, 1)
        XCTAssertTrue(history.iterationLosses.allSatisfy(\.isFinite))
        XCTAssertTrue(history.epochs.allSatisfy { $0.train.loss.isFinite })
        // JSONEncoder throws on NaN or infinity with its default strategy.
        let json = String(decoding: try JSONEncoder().encode(history), as: UTF8.self)
        XCTAssertFalse(json.lowercased().contains("nan"))
        XCTAssertTrue(json.contains("\"divergence\""))
    }

    func testPredictClassesMatchesFullBatchArgmax() throws {
        var rng = RNG(seed: 12)
        let model = try MLPConfig(inputFeatures: 2, classCount: 5, depth: 2, width: 8).makeModel(rng: &rng)
        let points = GradientCheck.randomTensor([1000, 2], rng: &rng, range: -3...3)
        let batched = model.predictClasses(points, batchSize: 97)
        let logits = model.forward(points, mode: .inference)
        let expected = (0..<1000).map { row in
            Int32((0..<5).max { logits[row, $0] < logits[row, $1] || (logits[row, $0] == logits[row, $1] && $0 > $1) }!)
        }
        XCTAssertEqual(batched, expected)
    }
}
