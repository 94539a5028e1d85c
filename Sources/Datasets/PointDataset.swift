import Engine

/// The 2-feature (longitude, latitude) classification data of Part 6, split three ways.
public struct PointDataset: Sendable {
    public var train: LabeledData
    public var validation: LabeledData
    public var test: LabeledData
    /// Display name of each class id, for legends.
    public var classNames: [String]
    /// Where the data came from, for the report (`built-in map, seed 0`, a folder path).
    public var source: String
    /// SHA-256 of the data's bytes (the CSV files, or the generated values): part of
    /// every cached result's key.
    public var contentHash: String

    public init(train: LabeledData, validation: LabeledData, test: LabeledData, classNames: [String],
                source: String, contentHash: String) {
        self.train = train
        self.validation = validation
        self.test = test
        self.classNames = classNames
        self.source = source
        self.contentHash = contentHash
    }

    public var classCount: Int { classNames.count }

    /// Smallest box holding every point of the three splits, as (minimum, maximum)
    /// per feature: longitude first, then latitude.
    public var bounds: (longitude: ClosedRange<Double>, latitude: ClosedRange<Double>) {
        var low = [Double](repeating: .infinity, count: 2), high = [Double](repeating: -.infinity, count: 2)
        for split in [train, validation, test] {
            split.features.withUnsafeBufferPointer { values in
                for index in 0..<values.count {
                    let axis = index % 2
                    low[axis] = min(low[axis], Double(values[index]))
                    high[axis] = max(high[axis], Double(values[index]))
                }
            }
        }
        return (low[0]...high[0], low[1]...high[1])
    }

    /// Number of points of each class in the training split.
    public var trainClassCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in train.labels { counts[Int(label)] += 1 }
        return counts
    }
}

/// A problem with input data, naming the file and line where there is one.
public struct DataError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
