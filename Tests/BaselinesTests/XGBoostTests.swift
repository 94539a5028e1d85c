import Foundation
import Testing
import TestSupport
@testable import Baselines

struct XGBoostTests {
    private func train(
        _ parameters: XGBoostParameters = XGBoostParameters(rounds: 20), firstLabel: Int32 = 1
    ) throws -> (XGBoostClassifier.Training, LabeledFeatures) {
        let data = try ToyData.separable(firstLabel: firstLabel)
        return (try XGBoostClassifier.train(parameters, on: data), data)
    }

    @Test(.tags(.endToEnd), arguments: [Int32(1), 0])
    func learnsSeparableProblemWithConsistentProbabilities(firstLabel: Int32) throws {
        let (training, data) = try train(firstLabel: firstLabel)
        let probabilities = try training.model.probabilities(data.features)
        let classes = try training.model.classes(data.features)
        #expect(probabilities.count == data.count)
        #expect(probabilities.allSatisfy { (0...1).contains($0) })
        #expect(classes == probabilities.map { $0 > 0.5 ? 1 : 0 })
        #expect(classes == data.labels)
        #expect(training.model.featureCount == 4)
        #expect(training.model.rounds == 20)
    }

    @Test(.tags(.endToEnd)) func historyRecordsEveryRound() throws {
        let data = try ToyData.separable()
        let validation = try ToyData.separable(rows: 20, firstLabel: 0)
        let training = try XGBoostClassifier.train(
            XGBoostParameters(learningRate: 0.1, rounds: 30), on: data, validation: validation)
        #expect(training.history.map(\.round) == Array(0..<30))
        let first = training.history[0], last = training.history[29]
        #expect(last.train.logLoss < first.train.logLoss)
        let lastValidation = try #require(last.validation), firstValidation = try #require(first.validation)
        #expect(lastValidation.logLoss < firstValidation.logLoss)
        #expect(last.train.error == 0)
        // The recorded log-loss is XGBoost's, rounded to 6 decimals: recompute it from the predictions.
        let probabilities = try training.model.probabilities(data.features)
        let logLoss = zip(probabilities, data.labels).map { p, y in -log(y == 1 ? p : 1 - p) }
            .reduce(0, +) / Double(data.count)
        #expect(abs(last.train.logLoss - logLoss) <= 1e-6, "recorded \(last.train.logLoss), recomputed \(logLoss)")

        let without = try XGBoostClassifier.train(XGBoostParameters(rounds: 2), on: data)
        #expect(without.history.count == 2)
        #expect(without.history[1].validation == nil)
    }

    @Test(.tags(.endToEnd)) func learningRateMatters() throws {
        let data = try ToyData.separable()
        let slow = try XGBoostClassifier.train(XGBoostParameters(learningRate: 1e-5), on: data).model
        let fast = try XGBoostClassifier.train(XGBoostParameters(learningRate: 0.1), on: data).model
        // 100 rounds of eta 1e-5 move the margin by at most ~100 * 1e-5 * |leaf weight|.
        #expect(try slow.probabilities(data.features).allSatisfy { abs($0 - 0.5) < 0.01 })
        let fitted = try fast.probabilities(data.features)
        #expect(zip(fitted, data.labels).allSatisfy { p, y in y == 1 ? p > 0.9 : p < 0.1 })
    }

    @Test(.tags(.endToEnd), arguments: XGBoostModel.Format.allCases)
    func serializedModelPredictsIdentically(format: XGBoostModel.Format) throws {
        let (training, data) = try train()
        let expected = try training.model.probabilities(data.features)
        let bytes = try training.model.serialized(format: format)
        let loaded = try XGBoostModel(serialized: bytes)
        #expect(try loaded.probabilities(data.features) == expected)
        #expect(loaded.featureCount == 4)
        #expect(loaded.rounds == 20)
        #expect(try loaded.serialized(format: format) == bytes)
    }

    @Test(.tags(.endToEnd)) func jsonSerializationIsJSON() throws {
        let (training, _) = try train()
        #expect(try training.model.serialized(format: .json).first == UInt8(ascii: "{"))
    }

    @Test(.tags(.endToEnd), arguments: [XGBoostParameters.TreeMethod.hist, .exact])
    func deterministicAcrossRunsAndThreadCounts(method: XGBoostParameters.TreeMethod) throws {
        // 20 rounds: OpenMP's two threads can wait milliseconds per parallel region on a busy machine.
        let data = try ToyData.separable(rows: 200, columns: 8)
        var predictions: [[Double]] = []
        var models: [[UInt8]] = []
        for threads in [1, 1, 2] {
            let model = try XGBoostClassifier.train(
                XGBoostParameters(learningRate: 0.1, rounds: 20, treeMethod: method, threads: threads), on: data
            ).model
            predictions.append(try model.probabilities(data.features))
            models.append(try model.serialized())
        }
        #expect(predictions[0] == predictions[1])
        #expect(predictions[0] == predictions[2], "one vs two threads")
        #expect(models[0] == models[2], "one vs two threads")
    }

    @Test(.tags(.errors)) func libraryErrorsCarryXGBoostsMessage() throws {
        let data = try ToyData.separable()
        switch #expect(throws: XGBoostError.self, performing: {
            try XGBoostClassifier.train(XGBoostParameters(learningRate: -1), on: data)
        }) {
        case .library(_, let message)?:
            #expect(message.hasPrefix("value -1 for Parameter learning_rate should be greater equal to 0"), "\(message)")
        case let error?:
            Issue.record("unexpected error \(error)")
        case nil:
            break  // #expect(throws:) has recorded that nothing was thrown
        }
        switch #expect(throws: XGBoostError.self, performing: { try XGBoostModel(serialized: Array("not a model".utf8)) }) {
        case .library(let function, let message)?:
            #expect(function == "XGBoosterLoadModelFromBuffer")
            #expect(message.hasSuffix("wrong model format"), "\(message)")
        case let error?:
            Issue.record("unexpected error \(error)")
        case nil:
            break  // #expect(throws:) has recorded that nothing was thrown
        }
    }

    @Test(.tags(.errors), arguments: [
        (XGBoostParameters(threads: 0), "threads must be >= 1, got 0"),
        (XGBoostParameters(rounds: -1), "rounds must be >= 0, got -1"),
        (XGBoostParameters(learningRate: .nan), "learningRate must be finite, got nan"),
    ])
    func parametersXGBoostWouldAcceptAreCheckedHere(parameters: XGBoostParameters, expected: String) throws {
        let data = try ToyData.separable()
        #expect(throws: XGBoostError.invalidParameter(expected)) { try XGBoostClassifier.train(parameters, on: data) }
    }

    @Test(.tags(.errors)) func columnMismatchIsRefused() throws {
        let (training, _) = try train()
        let narrow = try FeatureMatrix(rows: 1, columns: 3, values: [0, 0, 0])
        #expect(throws: BaselineDataError.columnCount(expected: 4, actual: 3)) { try training.model.probabilities(narrow) }
        let data = try ToyData.separable()
        let validation = try LabeledFeatures(features: narrow, labels: [1])
        #expect(throws: BaselineDataError.columnCount(expected: 4, actual: 3)) {
            try XGBoostClassifier.train(XGBoostParameters(), on: data, validation: validation)
        }
    }

    @Test func evaluationLineParsing() throws {
        let line = "[3]\ttrain-logloss:0.512345\ttrain-error:0.100000\tvalidation-logloss:0.623456\tvalidation-error:0.250000"
        let metrics = try XGBoostRoundMetrics.parse(line, round: 3, hasValidation: true)
        #expect(metrics == XGBoostRoundMetrics(
            round: 3, train: BinaryMetrics(logLoss: 0.512345, error: 0.1),
            validation: BinaryMetrics(logLoss: 0.623456, error: 0.25)))
    }

    @Test(.tags(.errors), arguments: [
        "[2]\ttrain-logloss:0.5\ttrain-error:0.1",  // wrong round
        "[3]\ttrain-logloss:0.5",  // missing metric
        "[3]\ttrain-logloss:abc\ttrain-error:0.1",  // not a number
        "",
    ])
    func malformedEvaluationLinesAreRefused(line: String) {
        #expect(throws: (any Error).self) { try XGBoostRoundMetrics.parse(line, round: 3, hasValidation: false) }
    }

    @Test(.tags(.errors)) func missingValidationMetricsAreRefused() {
        #expect(throws: (any Error).self) {
            try XGBoostRoundMetrics.parse("[3]\ttrain-logloss:0.5\ttrain-error:0.1", round: 3, hasValidation: true)
        }
    }

    @Test func parametersRoundTripThroughJSON() throws {
        let parameters = XGBoostParameters(learningRate: 0.01, rounds: 7, treeMethod: .exact, seed: 3, threads: 2)
        let decoded = try JSONDecoder().decode(XGBoostParameters.self, from: JSONEncoder().encode(parameters))
        #expect(decoded == parameters)
        #expect(XGBoostClassifier.libraryVersion == "1.7.4")
    }
}

@Suite(.tags(.errors))
struct XGBoostMessageTests {
    // Text XGBoost 1.7.4 returned for a model buffer of 11 garbage bytes (stack trace shortened).
    @Test func messagesLoseTimeStampAndStackTrace() {
        let raw = """
            [07:31:07] ./src/learner.cc:1017: Check failed: fi->Read(&mparam_, sizeof(mparam_)) == sizeof(mparam_) \
            (11 vs. 136) : BoostLearner: wrong model format
            Stack trace:
              [bt] (0) /lib/x86_64-linux-gnu/libxgboost.so.0(dmlc::LogMessageFatal::~LogMessageFatal()+0x79) [0x7f18eb309999]


            """
        #expect(readableMessage(raw) == "./src/learner.cc:1017: Check failed: fi->Read(&mparam_, sizeof(mparam_)) "
                + "== sizeof(mparam_) (11 vs. 136) : BoostLearner: wrong model format")
        #expect(readableMessage("value -1 for Parameter learning_rate should be greater equal to 0\n"
                                + "learning_rate: Learning rate(step size) of update.")
                == "value -1 for Parameter learning_rate should be greater equal to 0; "
                + "learning_rate: Learning rate(step size) of update.")
        #expect(readableMessage("[bracketed] text") == "[bracketed] text")
        #expect(readableMessage(" \n") == "")
    }
}
