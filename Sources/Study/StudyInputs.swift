import Datasets
import Foundation

/// Where a study's data comes from: a course-layout folder, or the built-in map.
public enum StudyInputs {
    /// Loads `directory` when given, else generates the built-in map from `seed`
    /// (at the small size in quick mode).
    public static func points(directory: String?, seed: UInt64, quick: Bool) throws -> PointDataset {
        if let directory {
            return try PointTable.load(directory: URL(fileURLWithPath: directory))
        }
        return try SyntheticMap.generate(seed: seed, size: quick ? .quick : .standard)
    }
}
