/// The Part 7 half of `results.json`: what was studied and every computed answer.
public struct FaceStudyResults: Codable, Sendable {
    public var dataSource: String
    public var dataHash: String
    public var imageSize: Int
    public var seeds: [UInt64]
    public var quick: Bool
    public var epochs: Int
    /// Identity and description of the pretrained backbone.
    public var backbone: String
    public var backboneDescription: String
    public var experiments: [FaceExperimentResult]
    /// Ids of Part 7 questions whose runs are not all in the cache.
    public var missing: [String]

    public init(manifest: FaceManifest, analyses: [(experiment: any FaceExperiment, result: FaceExperimentResult?)]) {
        dataSource = manifest.dataSource
        dataHash = manifest.dataHash
        imageSize = manifest.imageSize
        seeds = manifest.seeds
        quick = manifest.quick
        epochs = manifest.epochs
        backbone = manifest.backbone
        backboneDescription = manifest.backboneDescription
        experiments = analyses.compactMap(\.result)
        missing = analyses.filter { $0.result == nil }.map(\.experiment.id)
    }
}
