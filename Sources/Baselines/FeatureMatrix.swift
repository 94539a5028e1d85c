/// A dense matrix of features, one row per example, stored row-major in `Float`.
///
/// Every value is finite and the matrix has at least one row and one column:
/// the initialiser checks both, so the baselines never see NaN (XGBoost would
/// take it as "missing", LIBLINEAR would produce NaN weights).
public struct FeatureMatrix: Equatable, Sendable {
    /// Number of examples.
    public let rows: Int
    /// Number of features per example.
    public let columns: Int
    /// `rows * columns` values; feature `c` of row `r` is `values[r * columns + c]`.
    public let values: [Float]

    /// Checks that `values` holds `rows * columns` finite values, and that there
    /// is at least one row and one column.
    ///
    /// - Throws: `BaselineDataError` naming the first problem.
    public init(rows: Int, columns: Int, values: [Float]) throws {
        guard rows >= 0, columns >= 0 else {
            throw BaselineDataError.negativeDimension(rows: rows, columns: columns)
        }
        guard rows > 0, columns > 0 else { throw BaselineDataError.empty(rows: rows, columns: columns) }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, values.count == count else {
            throw BaselineDataError.valueCount(rows: rows, columns: columns, count: values.count)
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw BaselineDataError.nonFinite(row: bad / columns, column: bad % columns)
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}
