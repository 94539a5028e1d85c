/// An error from training a LIBLINEAR logistic regression.
public enum LogisticRegressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter LIBLINEAR's `check_parameter` refused (its message, e.g.
    /// "C <= 0"), or one it cannot represent (NaN, too many features).
    case invalidParameter(String)
    /// The training labels are all the same class: a logistic regression needs
    /// both (as scikit-learn, which refuses one class too).
    case singleClass(Int32)

    public var description: String {
        switch self {
        case .invalidParameter(let message): "invalid logistic regression parameter: \(message)"
        case .singleClass(let label):
            "logistic regression needs both classes in the training labels, all are \(label)"
        }
    }
}
