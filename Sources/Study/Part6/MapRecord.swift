import Datasets
import Engine
import Foundation

/// What the manifest keeps of Part 6's data: its identity and size, class names, and
/// the test points the decision maps draw. Enough for `render` to rebuild every key
/// and figure without the data files.
public struct MapRecord: Codable, Equatable, Sendable {
    /// The settings Part 6 was last run with.
    public var settings: StudySettings
    public var shape: MapShape
    public var classNames: [String]
    public var trainClassCounts: [Int]
    /// Test points as little-endian float32 (longitude, latitude) pairs, and their labels.
    public var testPoints: Data
    public var testLabels: Data

    public init(settings: StudySettings, data: PointDataset) {
        self.settings = settings
        shape = MapShape(dataHash: data.contentHash, dataSource: data.source,
                         splitSizes: [data.train.count, data.validation.count, data.test.count], classCount: data.classCount)
        classNames = data.classNames
        trainClassCounts = data.trainClassCounts
        testPoints = data.test.features.withUnsafeBufferPointer { Data(buffer: $0) }
        testLabels = Data(data.test.labels.map { UInt8(truncatingIfNeeded: $0) })
    }

    public var dataHash: String { shape.dataHash }
    public var dataSource: String { shape.dataSource }
    public var splitSizes: [Int] { shape.splitSizes }

    /// The test points as (longitude, latitude).
    public var testCoordinates: [(Double, Double)] {
        testPoints.withUnsafeBytes { raw in
            let floats = raw.bindMemory(to: Float.self)
            return (0..<(floats.count / 2)).map { (Double(floats[2 * $0]), Double(floats[2 * $0 + 1])) }
        }
    }
}

extension MapRecord {
    /// The seeds Part 6 ran with.
    public var seeds: [UInt64] { settings.seeds }
}
