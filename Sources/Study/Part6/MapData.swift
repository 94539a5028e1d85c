import Datasets
import Engine

/// The data every Part 6 run trains on, with the sine features precomputed once
/// for the runs that use them.
public struct MapData: Sendable {
    public let points: PointDataset
    let sine: (train: LabeledData, validation: LabeledData, test: LabeledData)

    public init(points: PointDataset) throws {
        // Decision grids and test predictions store one byte per class id.
        guard points.classCount <= 255 else {
            throw DataError(file: points.source, "has \(points.classCount) classes; the study supports at most 255")
        }
        self.points = points
        sine = (try SineFeatures.transform(points.train), try SineFeatures.transform(points.validation),
                try SineFeatures.transform(points.test))
    }

    /// Train, validation and test splits as a run with `features` sees them.
    func splits(_ features: FeatureMap) -> (train: LabeledData, validation: LabeledData, test: LabeledData) {
        switch features {
        case .coordinates: (points.train, points.validation, points.test)
        case .sine: sine
        }
    }

    /// The region a decision grid covers: the data's bounding box grown by 5% per side.
    public var gridBounds: (longitude: ClosedRange<Double>, latitude: ClosedRange<Double>) {
        let bounds = points.bounds
        func grow(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
            let margin = max(range.upperBound - range.lowerBound, 1e-6) * 0.05
            return (range.lowerBound - margin)...(range.upperBound + margin)
        }
        return (grow(bounds.longitude), grow(bounds.latitude))
    }

    /// What the plan needs to know of the data: its identity and size.
    public var shape: MapShape {
        MapShape(dataHash: points.contentHash, dataSource: points.source,
                 splitSizes: [points.train.count, points.validation.count, points.test.count], classCount: points.classCount)
    }
}

/// The identity and size of the map a plan runs on: enough to key and cost every
/// Part 6 unit without the points themselves.
public struct MapShape: Codable, Equatable, Sendable {
    public var dataHash: String
    public var dataSource: String
    /// Train, validation and test points.
    public var splitSizes: [Int]
    public var classCount: Int
}
