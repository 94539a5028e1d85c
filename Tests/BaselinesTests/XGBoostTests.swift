import XCTest
@testable import Baselines

final class XGBoostTests: XCTestCase {
    private func train(
        _ parameters: XGBoostParameters = XGBoostParameters(rounds: 20), firstLabel: Int32 = 1
    ) throws -> (XGBoostClassifier.Training, LabeledFeatures) {
        let data = try ToyData.separable(firstLabel: firstLabel)
        return (try XGBoostClassifier.train(parameters, on: data), data)
    }

    func testLearnsSeparableProblemWithConsistentProbabilities() throws {
        for firstLabel: Int32 in [1, 0] {
            let (training, data) = try train(firstLabel: firstLabel)
            let probabilities = try training.model.probabilities(data.features)
            let classes = try training.model.classes(data.features)
            XCTAssertEqual(probabilities.count, data.count)
            XCTAssertTrue(probabilities.allSatisfy { (0...1).contains($0) })
            XCTAssertEqual(classes, probabilities.map { $0 > 0.5 ? 1 : 0 })
            XCTAssertEqual(classes, data.labels, "first label \(firstLabel)")
            XCTAssertEqual(training.model.featureCount, 4)
            XCTAssertEqual(training.model.rounds, 20)
        }
    }

    func testHistoryRecordsEveryRound() throws {
        let data = try ToyData.separable()
        let validation = try ToyData.separable(rows: 20, firstLabel: 0)
        let training = try XGBoostClassifier.train(
            XGBoostParameters(learningRate: 0.1, rounds: 30), on: data, validation: validation)
        XCTAssertEqual(training.history.map(\.round), Array(0..<30))
        let first = training.history[0], last = training.history[29]
        XCTAssertLessThan(last.train.logLoss, first.train.logLoss)
        XCTAssertLessThan(try XCTUnwrap(last.validation).logLoss, try XCTUnwrap(first.validation).logLoss)
        XCTAssertEqual(last.train.error, 0)
        // The recorded log-loss is XGBoost's, rounded to 6 decimals: recompute it from the predictions.
        let probabilities = try training.model.probabilities(data.features)
        let logLoss = zip(probabilities, data.labels).map { p, y in -log(y == 1 ? p : 1 - p) }
            .reduce(0, +) / Double(data.count)
        XCTAssertEqual(last.train.logLoss, logLoss, accuracy: 1e-6)

        let without = try XGBoostClassifier.train(XGBoostParameters(rounds: 2), on: data)
        XCTAssertEqual(without.history.count, 2)
        XCTAssertNil(without.history[1].validation)
    }

    func testLearningRateMatters() throws {
        let data = try ToyData.separable()
        let slow = try XGBoostClassifier.train(XGBoostParameters(learningRate: 1e-5), on: data).model
        let fast = try XGBoostClassifier.train(XGBoostParameters(learningRate: 0.1), on: data).model
        // 100 rounds of eta 1e-5 move the margin by at most ~100 * 1e-5 * |leaf weight|.
        XCTAssertTrue(try slow.probabilities(data.features).allSatisfy { abs($0 - 0.5) < 0.01 })
        let fitted = try fast.probabilities(data.features)
        XCTAssertTrue(zip(fitted, data.labels).allSatisfy { p, y in y == 1 ? p > 0.9 : p < 0.1 })
    }

    func testSerializedModelPredictsIdentically() throws {
        let (training, data) = try train()
        let expected = try training.model.probabilities(data.features)
        for format in XGBoostModel.Format.allCases {
            let bytes = try training.model.serialized(format: format)
            let loaded = try XGBoostModel(serialized: bytes)
            XCTAssertEqual(try loaded.probabilities(data.features), expected, "\(format)")
            XCTAssertEqual(loaded.featureCount, 4)
            XCTAssertEqual(loaded.rounds, 20)
            XCTAssertEqual(try loaded.serialized(format: format), bytes, "\(format)")
        }
        XCTAssertEqual(try training.model.serialized(format: .json).first, UInt8(ascii: "{"))
    }

    func testDeterministicAcrossRunsAndThreadCounts() throws {
        // 20 rounds: OpenMP's two threads can wait milliseconds per parallel region on a busy machine.
        let data = try ToyData.separable(rows: 200, columns: 8)
        for method in [XGBoostParameters.TreeMethod.hist, .exact] {
            var predictions: [[Double]] = []
            var models: [[UInt8]] = []
            for threads in [1, 1, 2] {
                let model = try XGBoostClassifier.train(
                    XGBoostParameters(learningRate: 0.1, rounds: 20, treeMethod: method, threads: threads), on: data
                ).model
                predictions.append(try model.probabilities(data.features))
                models.append(try model.serialized())
            }
            XCTAssertEqual(predictions[0], predictions[1], "\(method)")
            XCTAssertEqual(predictions[0], predictions[2], "\(method): one vs two threads")
            XCTAssertEqual(models[0], models[2], "\(method): one vs two threads")
        }
    }

    func testLibraryErrorsCarryXGBoostsMessage() throws {
        let data = try ToyData.separable()
        XCTAssertThrowsError(try XGBoostClassifier.train(XGBoostParameters(learningRate: -1), on: data)) { error in
            guard case .library(_, let message) = error as? XGBoostError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertTrue(message.hasPrefix("value -1 for Parameter learning_rate should be greater equal to 0"),
                          message)
        }
        XCTAssertThrowsError(try XGBoostModel(serialized: Array("not a model".utf8))) { error in
            guard case .library(let function, let message) = error as? XGBoostError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(function, "XGBoosterLoadModelFromBuffer")
            XCTAssertTrue(message.hasSuffix("wrong model format"), message)
        }
    }

    func testParametersXGBoostWouldAcceptAreCheckedHere() throws {
        let data = try ToyData.separable()
        for (parameters, expected) in [
            (XGBoostParameters(threads: 0), "threads must be >= 1, got 0"),
            (XGBoostParameters(rounds: -1), "rounds must be >= 0, got -1"),
            (XGBoostParameters(learningRate: .nan), "learningRate must be finite, got nan"),
        ] {
            XCTAssertThrowsError(try XGBoostClassifier.train(parameters, on: data)) { error in
                XCTAssertEqual(error as? XGBoostError, .invalidParameter(expected))
            }
        }
    }

    func testColumnMismatchIsRefused() throws {
        let (training, _) = try train()
        let narrow = try FeatureMatrix(rows: 1, columns: 3, values: [0, 0, 0])
        XCTAssertThrowsError(try training.model.probabilities(narrow)) { error in
            XCTAssertEqual(error as? BaselineDataError, .columnCount(expected: 4, actual: 3))
        }
        let data = try ToyData.separable()
        let validation = try LabeledFeatures(features: narrow, labels: [1])
        XCTAssertThrowsError(try XGBoostClassifier.train(XGBoostParameters(), on: data, validation: validation)) {
            XCTAssertEqual($0 as? BaselineDataError, .columnCount(expected: 4, actual: 3))
        }
    }

    func testEvaluationLineParsing() throws {
        let line = "[3]\ttrain-logloss:0.512345\ttrain-error:0.100000\tvalidation-logloss:0.623456\tvalidation-error:0.250000"
        let metrics = try XGBoostRoundMetrics.parse(line, round: 3, hasValidation: true)
        XCTAssertEqual(metrics, XGBoostRoundMetrics(
            round: 3, train: BinaryMetrics(logLoss: 0.512345, error: 0.1),
            validation: BinaryMetrics(logLoss: 0.623456, error: 0.25)))
        for bad in [
            "[2]\ttrain-logloss:0.5\ttrain-error:0.1",  // wrong round
            "[3]\ttrain-logloss:0.5",  // missing metric
            "[3]\ttrain-logloss:abc\ttrain-error:0.1",  // not a number
            "",
        ] {
            XCTAssertThrowsError(try XGBoostRoundMetrics.parse(bad, round: 3, hasValidation: false), bad)
        }
        XCTAssertThrowsError(try XGBoostRoundMetrics.parse(
            "[3]\ttrain-logloss:0.5\ttrain-error:0.1", round: 3, hasValidation: true))
    }

    func testParametersRoundTripThroughJSON() throws {
        let parameters = XGBoostParameters(learningRate: 0.01, rounds: 7, treeMethod: .exact, seed: 3, threads: 2)
        let decoded = try JSONDecoder().decode(XGBoostParameters.self, from: JSONEncoder().encode(parameters))
        XCTAssertEqual(decoded, parameters)
        XCTAssertEqual(XGBoostClassifier.libraryVersion, "1.7.4")
    }
}

final class XGBoostMessageTests: XCTestCase {
    // Text XGBoost 1.7.4 returned for a model buffer of 11 garbage bytes (stack trace shortened).
    func testMessagesLoseTimeStampAndStackTrace() {
        let raw = """
            [07:31:07] ./src/learner.cc:1017: Check failed: fi->Read(&mparam_, sizeof(mparam_)) == sizeof(mparam_) \
            (11 vs. 136) : BoostLearner: wrong model format
            Stack trace:
              [bt] (0) /lib/x86_64-linux-gnu/libxgboost.so.0(dmlc::LogMessageFatal::~LogMessageFatal()+0x79) [0x7f18eb309999]


            """
        XCTAssertEqual(readableMessage(raw), "./src/learner.cc:1017: Check failed: fi->Read(&mparam_, sizeof(mparam_)) "
                       + "== sizeof(mparam_) (11 vs. 136) : BoostLearner: wrong model format")
        XCTAssertEqual(readableMessage("value -1 for Parameter learning_rate should be greater equal to 0\n"
                                       + "learning_rate: Learning rate(step size) of update."),
                       "value -1 for Parameter learning_rate should be greater equal to 0; "
                       + "learning_rate: Learning rate(step size) of update.")
        XCTAssertEqual(readableMessage("[bracketed] text"), "[bracketed] text")
        XCTAssertEqual(readableMessage(" \n"), "")
    }
}
