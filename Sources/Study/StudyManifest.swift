import Datasets
import Engine
import Foundation
import Support

/// What the last `nnreport run` studied: the plan, the data's identity, and the test
/// points the decision maps draw. Saved in the cache folder so `nnreport render`
/// can rebuild every cache key and figure without the data files or any training.
public struct StudyManifest: Codable, Equatable, Sendable {
    public var quick: Bool
    public var seeds: [UInt64]
    public var dataHash: String
    public var dataSource: String
    public var classNames: [String]
    public var trainClassCounts: [Int]
    public var splitSizes: [Int]
    /// Test points as little-endian float32 (longitude, latitude) pairs, and their labels.
    public var testPoints: Data
    public var testLabels: Data
    /// The machine the run was on, for the report's provenance: its cores and the
    /// BLAS library with the kernel it selected. Optional: older manifests lack them.
    public var cores: Int?
    public var blas: String?

    public init(plan: StudyPlan, data: PointDataset) {
        quick = plan.quick
        seeds = plan.seeds
        dataHash = data.contentHash
        dataSource = data.source
        classNames = data.classNames
        trainClassCounts = data.trainClassCounts
        splitSizes = [data.train.count, data.validation.count, data.test.count]
        testPoints = data.test.features.withUnsafeBufferPointer { Data(buffer: $0) }
        testLabels = Data(data.test.labels.map { UInt8(truncatingIfNeeded: $0) })
        cores = ProcessInfo.processInfo.activeProcessorCount
        blas = BLAS.configuration
    }

    public var plan: StudyPlan {
        var plan = StudyPlan(quick: quick, seed: seeds.first ?? 0, seedCount: seeds.count)
        plan.seeds = seeds
        return plan
    }

    /// The test points as (longitude, latitude).
    public var testCoordinates: [(Double, Double)] {
        testPoints.withUnsafeBytes { raw in
            let floats = raw.bindMemory(to: Float.self)
            return (0..<(floats.count / 2)).map { (Double(floats[2 * $0]), Double(floats[2 * $0 + 1])) }
        }
    }

    static let fileName = "study.json"

    public func save(in cacheDirectory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: cacheDirectory.appendingPathComponent(Self.fileName))
    }

    /// The manifest of the last run, or nil when nothing has been run with this cache.
    public static func load(from cacheDirectory: URL) throws -> StudyManifest? {
        let url = cacheDirectory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(StudyManifest.self, from: Data(contentsOf: url))
        } catch {
            throw DataError(file: url.path, "is unreadable (\(error)); run `nnreport run` again to rewrite it")
        }
    }
}

/// Every experiment's analysis, computed from cached results.
public enum StudyAnalysis {
    /// For each experiment, its result when all of its runs are available, else nil.
    public static func analyze(_ experiments: [any Experiment], plan: StudyPlan, dataHash: String,
                               results: [String: RunResult]) -> [(experiment: any Experiment, result: ExperimentResult?)] {
        experiments.map { experiment in
            var groups: [RunGroup] = [], raw: [[RunResult]] = []
            for run in experiment.runs(for: plan) {
                let seeds = plan.seeds.compactMap { results[CacheKey.key(for: run.config.withSeed($0), dataHash: dataHash)] }
                guard seeds.count == plan.seeds.count else { return (experiment, nil) }
                groups.append(RunGroup(label: run.label, results: seeds))
                raw.append(seeds)
            }
            let analysis = experiment.analyze(groups, results: raw, plan: plan)
            return (experiment, ExperimentResult(id: experiment.id, title: experiment.title, groups: groups, analysis: analysis))
        }
    }
}
