import Baselines
import Engine
import Foundation

/// Trains the two non-network methods of Part 7 through their C libraries:
/// XGBoost on the flattened images, LIBLINEAR on the frozen backbone's features.
enum FaceBaselineTraining {
    /// `exact` split finding: XGBoost 1.7's default (`auto` picks it for in-memory data).
    /// On 1,400 x 12,288 values it is as fast as `hist` (about 1.1 s per round on two
    /// threads) and needs 0.4 GB where `hist` needs 4.6 GB.
    /// XGBoost runs one OpenMP thread per core of the unit's budget: its models do not
    /// depend on the thread count (one and two threads give bit-identical models, tested
    /// in BaselinesTests).
    static func xgboost(_ config: FaceRun, data: FaceData, threads: Int) throws -> (EpochMetrics, [Float]) {
        let faces = data.faces
        let parameters = XGBoostParameters(learningRate: config.learningRate, rounds: config.rounds, treeMethod: .exact,
                                           seed: Int(truncatingIfNeeded: config.seed), threads: threads)
        let train = try features(faces.train.xgboost, faces.train.labels)
        let model = try XGBoostClassifier.train(parameters, on: train).model
        return try evaluate(model.probabilities, train: train,
                            validation: try features(faces.validation.xgboost, faces.validation.labels),
                            test: try features(faces.test.xgboost, faces.test.labels))
    }

    static func logisticRegression(_ config: FaceRun, features: FaceFeatures) throws -> (EpochMetrics, [Float]) {
        let train = try labeled(features.train)
        let model = try LogisticRegression.train(LogisticRegressionParameters(c: config.regularization), on: train)
        return try evaluate(model.probabilities, train: train, validation: try labeled(features.validation),
                            test: try labeled(features.test))
    }

    /// Metrics of a trained model on the three splits, and its test probabilities.
    private static func evaluate(_ probabilities: (FeatureMatrix) throws -> [Double], train: LabeledFeatures,
                                 validation: LabeledFeatures, test: LabeledFeatures) throws -> (EpochMetrics, [Float]) {
        func metrics(_ split: LabeledFeatures) throws -> (SplitMetrics, [Double]) {
            let predicted = try probabilities(split.features)
            return (splitMetrics(predicted, split.labels), predicted)
        }
        let (trainMetrics, _) = try metrics(train)
        let (validationMetrics, _) = try metrics(validation)
        let (testMetrics, testProbabilities) = try metrics(test)
        return (EpochMetrics(epoch: 0, train: trainMetrics, validation: validationMetrics, test: testMetrics),
                testProbabilities.map { Float($0) })
    }

    /// Log loss (probabilities clipped to [1e-7, 1 - 1e-7], as scikit-learn's `log_loss`
    /// clips to its float epsilon) and accuracy at the 0.5 threshold.
    static func splitMetrics(_ probabilities: [Double], _ labels: [Int32]) -> SplitMetrics {
        var loss = 0.0
        var correct = 0
        for (p, label) in zip(probabilities, labels) {
            let clipped = min(max(p, 1e-7), 1 - 1e-7)
            loss -= label == 1 ? log(clipped) : log(1 - clipped)
            if (p > 0.5 ? 1 : 0) == label { correct += 1 }
        }
        let n = Double(max(labels.count, 1))
        return SplitMetrics(loss: loss / n, accuracy: Double(correct) / n)
    }

    private static func features(_ tensor: Tensor, _ labels: [Int32]) throws -> LabeledFeatures {
        let values = tensor.withUnsafeBufferPointer { Array($0) }
        return try LabeledFeatures(features: FeatureMatrix(rows: tensor.rows, columns: tensor.rowSize, values: values),
                                   labels: labels)
    }

    private static func labeled(_ data: LabeledData) throws -> LabeledFeatures {
        try features(data.features, data.labels)
    }
}
