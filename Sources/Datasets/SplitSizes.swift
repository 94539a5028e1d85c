import Images

/// The number of items in each split of a generated data set. `Data` names the
/// generator (``SyntheticMap``, ``SyntheticFaces``), so that each has its own
/// presets under the same names: `SyntheticMap.Size.quick`, `SyntheticFaces.Size.standard`.
public struct SplitSizes<Data>: Sendable, Equatable {
    public var train: Int
    public var validation: Int
    public var test: Int

    /// Items in all three splits.
    public var total: Int { train + validation + test }

    /// The count of `split`.
    public func count(_ split: ImageFolder.Split) -> Int {
        switch split {
        case .train: train
        case .val: validation
        case .test: test
        }
    }
}

extension SplitSizes where Data == SyntheticMap {
    /// About the course's size: 100k / 12.5k / 12.5k points.
    public static var standard: Self { Self(train: 100_000, validation: 12_500, test: 12_500) }
    /// For tests and `--quick`: 4k / 500 / 500 points.
    public static var quick: Self { Self(train: 4_000, validation: 500, test: 500) }
}

extension SplitSizes where Data == SyntheticFaces {
    /// The course's split: 1400 / 200 / 400 images.
    public static var standard: Self { Self(train: 1_400, validation: 200, test: 400) }
    /// For tests and `--quick`: 96 / 32 / 32 images.
    public static var quick: Self { Self(train: 96, validation: 32, test: 32) }
}
