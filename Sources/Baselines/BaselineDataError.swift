/// Inputs a baseline cannot train or predict on: each message names what was wrong.
///
/// Shared by both baselines; errors that come from XGBoost or LIBLINEAR
/// themselves are `XGBoostError` and `LogisticRegressionError`.
public enum BaselineDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `values.count` is not `rows * columns`.
    case valueCount(rows: Int, columns: Int, count: Int)
    /// A matrix without rows or without columns.
    case empty(rows: Int, columns: Int)
    /// A value that is NaN or infinite, at 0-based `row` and `column`.
    case nonFinite(row: Int, column: Int)
    /// A matrix with a negative dimension.
    case negativeDimension(rows: Int, columns: Int)
    /// The number of labels differs from the number of rows.
    case labelCount(rows: Int, labels: Int)
    /// A label other than 0 or 1, at 0-based `row`.
    case invalidLabel(row: Int, label: Int32)
    /// A matrix to predict on has another number of columns than the training data.
    case columnCount(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .valueCount(let rows, let columns, let count):
            "a \(rows) x \(columns) feature matrix needs \(rows * columns) values, got \(count)"
        case .empty(let rows, let columns):
            "the feature matrix is empty (\(rows) x \(columns)): at least one row and one column are needed"
        case .nonFinite(let row, let column):
            "feature \(column) of row \(row) is not finite (NaN or infinite)"
        case .negativeDimension(let rows, let columns):
            "a feature matrix cannot have a negative size, got \(rows) x \(columns)"
        case .labelCount(let rows, let labels):
            "\(rows) feature rows but \(labels) labels"
        case .invalidLabel(let row, let label):
            "label \(label) of row \(row) is not 0 or 1"
        case .columnCount(let expected, let actual):
            "the model was trained on \(expected) features, the matrix has \(actual) columns"
        }
    }
}
