import Datasets
import Engine
import Foundation
import Images
import Logging

/// Part 7 from the user's options to cached results and a saved manifest: what
/// `nnreport run` calls for the face questions.
public enum FaceStudy {
    /// Loads or generates the faces, plans the runs of `experiments`, trains what the
    /// cache lacks (pretraining the backbone first if needed), and saves the manifest
    /// `nnreport render` reads.
    public static func run(_ experiments: [any FaceExperiment], options: FaceOptions, seeds: [UInt64], quick: Bool,
                           cache: ResultCache, force: Bool = false,
                           reporter: (any ProgressReporter)? = nil) throws -> (manifest: FaceManifest, results: [String: FaceRunResult]) {
        let faces = try StudyInputs.faces(options, seed: seeds.first ?? 0, quick: quick)
        if let first = faces.skipped.first {
            Logger(label: "nnreport.faces").warning(
                "left out \(faces.skipped.count) unreadable image(s), first \(first.path): \(first.reason)")
        }
        let data = try FaceStudyData(faces: faces)
        let source = StudyInputs.backbone(options, seed: seeds.first ?? 0, quick: quick)
        let plan = FacePlan(seeds: seeds, quick: quick, epochs: options.epochs, backbone: try source.identity(),
                            xgboostRounds: options.xgboostRounds)
        let planned = FaceStudyRunner.plannedRuns(experiments, plan: plan, dataHash: data.contentHash)

        var pretrainingCost: (work: Double, iterations: Int) = (0, 1)
        if case .synthetic(let config) = source, BackboneProvider.cachedRecord(config, cache: cache) == nil {
            pretrainingCost = config.estimatedCost
        }
        let runner = FaceStudyRunner(cache: cache, reporter: reporter)
        let results = try runner.run(planned, data: data, force: force, pretraining: pretrainingCost) { onIteration in
            try load(source, cache: cache, onIteration: onIteration)
        }
        let manifest = FaceManifest(plan: plan, data: data, backboneDescription: describe(source, cache: cache),
                                    pretraining: pretrainingRecord(source, cache: cache))
        try manifest.save(in: cache.directory)
        return (manifest, results)
    }

    /// The backbone, loaded from its file, from the cache, or pretrained now.
    static func load(_ source: BackboneSource, cache: ResultCache,
                     onIteration: @escaping (Int) -> Void) throws -> PretrainedBackbone {
        switch source {
        case .weightsFile(let path):
            return try BackboneProvider.load(weightsFile: path)
        case .synthetic(let config):
            return try BackboneProvider.synthetic(config, cache: cache, sourceTask: { try sourceTask(config) },
                                                  onIteration: onIteration)
        }
    }

    /// The synthetic source task of our own backbone, ImageNet-normalised like every pretrained-path input.
    /// The first `trainImages` images train, the rest validate (classes cycle, so both are balanced).
    static func sourceTask(_ config: BackbonePretraining) throws -> SourceTask {
        let shapes = try SyntheticShapes.generate(SyntheticShapes.Configuration(
            seed: config.seed, count: config.trainImages + config.validationImages, imageSize: config.imageSize))
        let normalized = ImageTransforms.normalize(shapes.images)
        func split(_ range: Range<Int>) throws -> LabeledData {
            var images = Tensor(zeros: [range.count] + Array(normalized.shape.dropFirst()))
            let size = normalized.rowSize
            images.withUnsafeMutableBufferPointer { target in
                normalized.withUnsafeBufferPointer { source in
                    target.baseAddress!.update(from: source.baseAddress! + range.lowerBound * size, count: range.count * size)
                }
            }
            return try LabeledData(features: images, labels: Array(shapes.labels[range]), classCount: shapes.classNames.count)
        }
        return SourceTask(train: try split(0..<config.trainImages),
                          validation: try split(config.trainImages..<shapes.count), classNames: shapes.classNames)
    }

    static func describe(_ source: BackboneSource, cache: ResultCache) -> String {
        switch source {
        case .weightsFile(let path):
            return "ResNet18 weights from \((path as NSString).lastPathComponent), as given by --weights"
        case .synthetic(let config):
            guard let record = BackboneProvider.cachedRecord(config, cache: cache) else {
                return "our own ResNet18, pretrained on synthetic images (its record is missing from the cache)"
            }
            return BackboneProvider.describe(record)
        }
    }

    static func pretrainingRecord(_ source: BackboneSource, cache: ResultCache) -> BackboneResult? {
        guard case .synthetic(let config) = source else { return nil }
        return BackboneProvider.cachedRecord(config, cache: cache)
    }
}
