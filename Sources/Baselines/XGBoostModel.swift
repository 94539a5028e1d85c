/// A trained XGBoost binary classifier.
///
/// Not `Sendable`: XGBoost's prediction on one booster is not thread-safe; use a
/// model from one task at a time (or load a copy per task from `serialized()`).
public final class XGBoostModel {
    /// The on-disk encodings XGBoost can save a model in.
    public enum Format: String, Codable, Sendable, CaseIterable {
        /// Text JSON (`XGBoosterSaveModelToBuffer` with `"format": "json"`).
        case json
        /// Universal Binary JSON: smaller, same content.
        case ubj
    }

    private let booster: XGBoostBooster
    /// Number of features (columns) the model was trained on.
    public let featureCount: Int
    /// Number of boosting rounds (trees) in the model.
    public let rounds: Int
    /// OpenMP threads used for predictions.
    public let threads: Int

    init(booster: XGBoostBooster, threads: Int) throws {
        self.booster = booster
        self.featureCount = try booster.featureCount()
        self.rounds = try booster.boostedRounds()
        self.threads = threads
    }

    /// Loads a model saved by `serialized(format:)` (either format).
    ///
    /// - Parameter threads: OpenMP threads for predictions (not part of the saved model).
    /// - Throws: `XGBoostError.library` with XGBoost's message if the bytes are not a model.
    public convenience init(serialized bytes: [UInt8], threads: Int = 1) throws {
        guard threads >= 1 else { throw XGBoostError.invalidParameter("threads must be >= 1, got \(threads)") }
        let booster = try XGBoostBooster(cache: [])
        try booster.load(bytes)
        try booster.setParameter("nthread", "\(threads)")
        try self.init(booster: booster, threads: threads)
    }

    /// The model (trees and learner parameters) as bytes, so it can be cached
    /// and loaded with `init(serialized:threads:)`; predictions of the loaded
    /// model are bit-identical.
    public func serialized(format: Format = .ubj) throws -> [UInt8] {
        try booster.save(format: format.rawValue)
    }

    /// The probability of class 1 for each row of `features`, in [0, 1].
    ///
    /// - Throws: `BaselineDataError.columnCount` if `features` has another number
    ///   of columns than the training data (XGBoost itself would accept fewer).
    public func probabilities(_ features: FeatureMatrix) throws -> [Double] {
        guard features.columns == featureCount else {
            throw BaselineDataError.columnCount(expected: featureCount, actual: features.columns)
        }
        let data = try XGBoostData.make(features, threads: threads)
        return try booster.predict(data, rows: features.rows).map { Double($0) }
    }

    /// The predicted class of each row: 1 when its probability is above 0.5,
    /// else 0 (as `XGBClassifier.predict`).
    public func classes(_ features: FeatureMatrix) throws -> [Int32] {
        try probabilities(features).map { $0 > 0.5 ? 1 : 0 }
    }
}
