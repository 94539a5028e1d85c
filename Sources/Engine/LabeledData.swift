/// Rows of features with one class label each: the input of training and evaluation.
public struct LabeledData: Sendable {
    /// `[N, D]` features.
    public let features: Tensor
    /// `N` class ids in `0..<classCount`.
    public let labels: [Int32]
    /// Number of classes the labels are drawn from (some may not occur).
    public let classCount: Int

    /// Checks that there is one label per row, every label is in `0..<classCount`,
    /// and every feature is finite.
    public init(features: Tensor, labels: [Int32], classCount: Int) throws {
        guard features.rank == 2 else {
            throw EngineError.invalidData("features must be a matrix [N, D], got shape \(features.shape)")
        }
        guard features.rows == labels.count else {
            throw EngineError.invalidData("\(features.rows) feature rows but \(labels.count) labels")
        }
        guard classCount > 0 else {
            throw EngineError.invalidArgument("classCount must be positive, got \(classCount)")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classCount }) {
            throw EngineError.invalidData("label \(labels[bad]) of row \(bad) is outside 0..<\(classCount)")
        }
        if let bad = features.withUnsafeBufferPointer({ $0.firstIndex(where: { !$0.isFinite }) }) {
            let width = max(features.rowSize, 1)
            throw EngineError.invalidData("feature \(bad % width) of row \(bad / width) is not finite")
        }
        self.features = features
        self.labels = labels
        self.classCount = classCount
    }

    /// Number of rows.
    public var count: Int { labels.count }

    /// Number of features per row.
    public var featureCount: Int { features.rowSize }
}
