import Datasets
import Engine
import Foundation
import Support

/// What the last `nnreport run` of Part 7 studied: the plan, the data's identity,
/// the backbone, and the test images (as 8-bit thumbnails) the report's sample grids
/// show. Saved in the cache folder so `nnreport render` needs neither the images nor
/// any training.
public struct FaceManifest: Codable, Equatable, Sendable {
    public var quick: Bool
    public var seeds: [UInt64]
    public var epochs: Int
    /// Boosting rounds of XGBoost; nil in manifests written before the option existed.
    public var xgboostRounds: Int?
    public var dataHash: String
    public var dataSource: String
    public var imageSize: Int
    /// Train, validation and test image counts.
    public var splitSizes: [Int]
    /// Fake images per split, in the same order.
    public var fakeCounts: [Int]
    public var testNames: [String]
    public var testLabels: [Int32]
    /// `S x S x 3` bytes per test image, row-major RGB.
    public var testThumbnails: Data
    /// Identity and description of the pretrained backbone.
    public var backbone: String
    public var backboneDescription: String
    /// The pretraining record when the backbone is our own.
    public var pretraining: BackboneResult?

    public init(plan: FacePlan, data: FaceStudyData, backboneDescription: String, pretraining: BackboneResult?) {
        quick = plan.quick
        seeds = plan.seeds
        epochs = plan.epochs
        xgboostRounds = plan.xgboostRounds
        dataHash = data.contentHash
        dataSource = data.source
        imageSize = data.imageSize
        let splits = data.faces.splits
        splitSizes = splits.map(\.count)
        fakeCounts = splits.map { $0.classCounts[1] }
        testNames = data.faces.test.names
        testLabels = data.faces.test.labels
        testThumbnails = Data(data.faces.test.thumbnails.joined())
        backbone = plan.backbone
        self.backboneDescription = backboneDescription
        self.pretraining = pretraining
    }

    public var plan: FacePlan {
        FacePlan(seeds: seeds, quick: quick, epochs: epochs, backbone: backbone,
                 xgboostRounds: xgboostRounds ?? FacePlan.defaultXGBoostRounds)
    }

    static let fileName = "faces.json"

    public func save(in cacheDirectory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: cacheDirectory.appendingPathComponent(Self.fileName))
    }

    /// The manifest of the last Part 7 run, or nil when Part 7 has not been run with this cache.
    public static func load(from cacheDirectory: URL) throws -> FaceManifest? {
        let url = cacheDirectory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(FaceManifest.self, from: Data(contentsOf: url))
        } catch {
            throw DataError(file: url.path, "is unreadable (\(error)); run `nnreport run --only 7` again to rewrite it")
        }
    }

    /// Every Part 7 result the manifest's plan needs that the cache holds.
    public func cachedResults(in cache: ResultCache, experiments: [any FaceExperiment] = StudyCatalog.part7) -> [String: FaceRunResult] {
        var results: [String: FaceRunResult] = [:]
        for run in FaceStudyRunner.plannedRuns(experiments, plan: plan, dataHash: dataHash) {
            if let result = cache.load(FaceRunResult.self, key: run.key) { results[run.key] = result }
        }
        return results
    }
}

/// Every Part 7 experiment's analysis, computed from cached results.
public enum FaceStudyAnalysis {
    /// For each experiment, its result when all of its runs are available, else nil.
    public static func analyze(_ experiments: [any FaceExperiment], manifest: FaceManifest,
                               results: [String: FaceRunResult]) -> [(experiment: any FaceExperiment, result: FaceExperimentResult?)] {
        let plan = manifest.plan
        return experiments.map { experiment in
            var groups: [FaceRunGroup] = []
            for run in experiment.runs(for: plan) {
                let seeds = plan.seeds.compactMap {
                    results[CacheKey.key(for: run.config.withSeed($0), dataHash: manifest.dataHash)]
                }
                guard seeds.count == plan.seeds.count else { return (experiment, nil) }
                groups.append(FaceRunGroup(label: run.label, results: seeds))
            }
            let analysis = experiment.analyze(groups, testLabels: manifest.testLabels, plan: plan)
            return (experiment, FaceExperimentResult(id: experiment.id, title: experiment.title, groups: groups, analysis: analysis))
        }
    }
}
