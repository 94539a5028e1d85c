/// Gradient-boosted decision trees for binary classification, trained by
/// XGBoost's C library (Chen & Guestrin, arXiv:1603.02754).
///
/// Equivalent to `xgboost.XGBClassifier(objective="binary:logistic",
/// learning_rate=..., n_estimators=rounds, tree_method=..., random_state=seed,
/// n_jobs=threads)` with every other parameter at its default.
public enum XGBoostClassifier {
    /// A trained model and the metrics of each round.
    public struct Training {
        /// The trained classifier.
        public let model: XGBoostModel
        /// Log-loss and error after each round, on the training set and the
        /// validation set (if given); `parameters.rounds` entries.
        public let history: [XGBoostRoundMetrics]
    }

    /// XGBoost's version, e.g. "1.7.4", for reports and cache keys.
    public static var libraryVersion: String { xgboostVersion() }

    /// Trains `parameters.rounds` rounds on `training`, evaluating log-loss and
    /// error on `training` and `validation` after each.
    ///
    /// The same inputs and parameters give bit-identical models and predictions.
    ///
    /// - Throws: `XGBoostError` (invalid parameters, XGBoost's own messages) or
    ///   `BaselineDataError.columnCount` if `validation` has other columns.
    public static func train(
        _ parameters: XGBoostParameters, on training: LabeledFeatures, validation: LabeledFeatures? = nil
    ) throws -> Training {
        try parameters.validate()
        if let validation, validation.features.columns != training.features.columns {
            throw BaselineDataError.columnCount(
                expected: training.features.columns, actual: validation.features.columns)
        }
        let threads = parameters.threads
        let trainingData = try XGBoostData.make(training.features, labels: training.labels, threads: threads)
        var evaluated = [(name: "train", data: trainingData)]
        if let validation {
            let data = try XGBoostData.make(validation.features, labels: validation.labels, threads: threads)
            evaluated.append((name: "validation", data: data))
        }
        let booster = try XGBoostBooster(cache: evaluated.map(\.data))
        for (name, value) in parameters.boosterParameters {
            try booster.setParameter(name, value)
        }
        // Metrics to record only; they do not change the trees. XGBoost keeps both.
        try booster.setParameter("eval_metric", "logloss")
        try booster.setParameter("eval_metric", "error")

        var history: [XGBoostRoundMetrics] = []
        history.reserveCapacity(parameters.rounds)
        for round in 0..<parameters.rounds {
            try booster.boost(round: round, training: trainingData)
            let line = try booster.evaluate(round: round, sets: evaluated)
            history.append(try XGBoostRoundMetrics.parse(line, round: round, hasValidation: validation != nil))
        }
        return Training(model: try XGBoostModel(booster: booster, threads: threads), history: history)
    }
}
