import Foundation
import Support

/// `results.json`: every computed answer with the runs behind it.
public struct StudyResults: Codable, Sendable {
    public var dataSource: String
    public var dataHash: String
    public var seeds: [UInt64]
    public var quick: Bool
    public var experiments: [ExperimentResult]
    /// Ids of selected experiments whose runs are not all computed yet.
    public var missing: [String]
    /// Part 7, when it has been run with this cache.
    public var faces: FaceStudyResults?

    public init(manifest: StudyManifest, analyses: [(experiment: any Experiment, result: ExperimentResult?)]) {
        dataSource = manifest.dataSource
        dataHash = manifest.dataHash
        seeds = manifest.seeds
        quick = manifest.quick
        experiments = analyses.compactMap(\.result)
        missing = analyses.filter { $0.result == nil }.map(\.experiment.id)
    }

    /// Writes the results as pretty, key-sorted JSON, atomically.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(self), to: url)
    }
}
