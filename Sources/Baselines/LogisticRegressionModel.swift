/// A trained logistic regression: `P(class 1 | x) = 1 / (1 + exp(-(weights·x + intercept)))`.
///
/// `Sendable` because LIBLINEAR's prediction only reads the model.
public final class LogisticRegressionModel: @unchecked Sendable {
    private let model: LinearModel
    /// Number of features (columns) the model was trained on.
    public let featureCount: Int
    /// One weight per feature, oriented so that positive values favour class 1.
    public let weights: [Double]
    /// The bias feature's weight times its value (0 without a bias feature),
    /// oriented like `weights` (scikit-learn's `intercept_`).
    public let intercept: Double

    init(_ model: LinearModel, featureCount: Int) {
        self.model = model
        self.featureCount = featureCount
        // LIBLINEAR's weights favour its first class, which is class 0 when a 0 came first.
        let sign: Double = model.classOneIndex == 0 ? 1 : -1
        let raw = model.rawWeights
        weights = raw[..<featureCount].map { sign * $0 }
        intercept = model.bias >= 0 ? sign * raw[featureCount] * model.bias : 0
    }

    /// The probability of class 1 for each row of `features`, from LIBLINEAR's
    /// `predict_probability`.
    ///
    /// - Throws: `BaselineDataError.columnCount` if `features` has another number
    ///   of columns than the training data (LIBLINEAR would silently ignore extra ones).
    public func probabilities(_ features: FeatureMatrix) throws -> [Double] {
        guard features.columns == featureCount else {
            throw BaselineDataError.columnCount(expected: featureCount, actual: features.columns)
        }
        let classOne = model.classOneIndex
        return model.probabilities(features).map { classOne == 0 ? $0.0 : $0.1 }
    }

    /// The predicted class of each row: 1 when its probability is above 0.5, else 0.
    public func classes(_ features: FeatureMatrix) throws -> [Int32] {
        try probabilities(features).map { $0 > 0.5 ? 1 : 0 }
    }
}
