/// Rows of features (or images) with one class label each: the input of training and evaluation.
public struct LabeledData: Sendable {
    /// `[N, D]` features, or `[N, C, H, W]` images.
    public let features: Tensor
    /// `N` class ids in `0..<classCount`.
    public let labels: [Int32]
    /// Number of classes the labels are drawn from (some may not occur).
    public let classCount: Int

    /// Checks that there is one label per row, every label is in `0..<classCount`,
    /// and every feature is finite.
    public init(features: Tensor, labels: [Int32], classCount: Int) throws {
        guard features.rank >= 2 else {
            throw EngineError.invalidData("features must be [N, D] or [N, C, H, W], got shape \(features.shape)")
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

    /// Rows already known to be valid (a subset of a checked `LabeledData`).
    private init(checked features: Tensor, labels: [Int32], classCount: Int) {
        self.features = features
        self.labels = labels
        self.classCount = classCount
    }

    /// Number of rows.
    public var count: Int { labels.count }

    /// Number of features per row.
    public var featureCount: Int { features.rowSize }

    /// Shape of one sample: `[D]`, or `[C, H, W]`.
    public var sampleShape: [Int] { Array(features.shape.dropFirst()) }

    /// `count` rows spread evenly over the split, rows `⌊i·N/count⌋` for `i` in
    /// `0..<count` (all of them when there are fewer), in order. A split stored class by
    /// class (an image folder) keeps its class proportions, which a prefix would not.
    public func evenlySpaced(_ count: Int) -> LabeledData {
        guard count < self.count else { return self }
        let indices = Self.evenlySpacedRows(count, of: self.count)
        var rows = Tensor(zeros: [count] + sampleShape)
        Kernels.gatherRows(of: features, indices: indices, start: 0, count: count, into: &rows)
        return LabeledData(checked: rows, labels: indices.map { labels[$0] }, classCount: classCount)
    }

    /// Rows `⌊i·total/count⌋` for `i` in `0..<count`: distinct and increasing for `count ≤ total`.
    public static func evenlySpacedRows(_ count: Int, of total: Int) -> [Int] {
        (0..<min(count, total)).map { $0 * total / min(count, total) }
    }
}
