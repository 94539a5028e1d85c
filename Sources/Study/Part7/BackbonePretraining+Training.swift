import Datasets
import Engine
import Foundation
import Images
import Support
import Vision

extension BackbonePretraining {
    /// Pretrains the backbone on the synthetic source task with the unit's cores, and
    /// writes its weights (atomically) beside the cache entry its record becomes: the
    /// scheduler stores the record only after this returns, so a record in the cache
    /// always has its weights.
    public func execute(_ context: UnitContext) throws -> BackboneOutcome {
        let task = try sourceTask(cores: context.cores)
        let iterations = Double(epochs * ((trainImages + batchSize - 1) / batchSize))
        let (model, history) = try FaceNetworkTraining.pretrain(
            self, train: task.train, validation: task.validation, classCount: task.classNames.count, cores: context.cores,
            onIteration: { context.progress(min(Double($0) / iterations, 1)) })
        if let divergence = history.divergence {
            throw StudyError.unavailable(
                "pretraining the backbone diverged at epoch \(divergence.epoch), iteration \(divergence.iteration); "
                    + "pass ImageNet weights with --weights")
        }
        let weights = StateDict(entries: model.stateDict().entries.filter { !$0.name.hasPrefix("fc.") })
        let url = BackboneStore.weightsURL(key: key(dataHash: nil, engineVersion: EngineVersion.current),
                                           cache: context.inputs.cache)
        try AtomicFile.write(Data(try weights.encoded(metadata: ["pretraining": summary])), to: url)
        return BackboneOutcome(classNames: task.classNames, history: history)
    }

    /// The synthetic source task, ImageNet-normalised like every pretrained-path input.
    /// The first `trainImages` images train, the rest validate (classes cycle, so both are balanced).
    ///
    /// The images exist once: normalised in place, the validation rows copied out, and
    /// the training split keeping the generated tensor itself (at `--image-size 224`,
    /// 6,600 images are 4 GB; three copies of them were the study's peak memory).
    func sourceTask(cores: CoreBudget) throws -> (train: LabeledData, validation: LabeledData, classNames: [String]) {
        var generated: SyntheticShapes.Images? = try SyntheticShapes.generate(SyntheticShapes.Configuration(
            seed: seed, count: trainImages + validationImages, imageSize: imageSize), cores: cores)
        var images = generated!.images
        let labels = generated!.labels, classNames = generated!.classNames
        generated = nil
        ImageTransforms.normalizeInPlace(&images)
        let split = min(trainImages, labels.count)
        let validation = try LabeledData(features: images.rows(split..<labels.count), labels: Array(labels[split...]),
                                         classCount: classNames.count)
        images.resize(rows: split)
        let train = try LabeledData(features: images, labels: Array(labels[..<split]), classCount: classNames.count)
        return (train, validation, classNames)
    }
}
