/// A feature matrix with one binary label (0 or 1) per row: what a baseline trains on.
public struct LabeledFeatures: Equatable, Sendable {
    /// The examples.
    public let features: FeatureMatrix
    /// One label per row, each 0 or 1.
    public let labels: [Int32]

    /// Checks that there is one label per row and that every label is 0 or 1.
    ///
    /// - Throws: `BaselineDataError.labelCount` or `.invalidLabel`.
    public init(features: FeatureMatrix, labels: [Int32]) throws {
        guard labels.count == features.rows else {
            throw BaselineDataError.labelCount(rows: features.rows, labels: labels.count)
        }
        if let bad = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw BaselineDataError.invalidLabel(row: bad, label: labels[bad])
        }
        self.features = features
        self.labels = labels
    }

    /// Number of examples.
    public var count: Int { labels.count }
}
