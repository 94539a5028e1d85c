/// Settings of an L2-regularised logistic regression trained by LIBLINEAR.
///
/// Minimises `0.5 * |w|^2 + C * sum_i log(1 + exp(-y_i * w·x_i))` over the
/// weights, including the bias weight (LIBLINEAR 2.3 regularises it too, as
/// scikit-learn's `LogisticRegression(solver="liblinear")` does).
public struct LogisticRegressionParameters: Codable, Hashable, Sendable {
    /// Inverse regularisation strength `C` (> 0): larger fits the data more closely.
    public var c: Double
    /// Stopping tolerance of the trust-region Newton solver (LIBLINEAR's `-e`):
    /// stop when `|∇f(w)| <= tolerance * min(#positives, #negatives) / #rows * |∇f(0)|`.
    public var tolerance: Double
    /// Value of the constant feature appended to every row (LIBLINEAR's `-B`,
    /// scikit-learn's `intercept_scaling`); negative for no intercept.
    public var bias: Double

    /// Defaults: `C` 1, LIBLINEAR's default tolerance 0.01 for this solver
    /// (scikit-learn passes its own `tol`, 1e-4), bias feature 1.
    public init(c: Double = 1, tolerance: Double = 0.01, bias: Double = 1) {
        self.c = c
        self.tolerance = tolerance
        self.bias = bias
    }
}
