import Engine
import Foundation
import Support
import Vision

/// Trains the three network methods of Part 7 (from scratch, linear probing,
/// fine-tuning) with binary cross-entropy on one logit and Adam.
enum FaceNetworkTraining {
    /// Evaluation batches of images: large enough to keep BLAS busy, small enough for memory.
    static let imageEvaluationBatch = 64

    static func run(_ config: FaceRun, data: FaceData, backbone: PretrainedBackbone?, cores: CoreBudget,
                    onIteration: @escaping (Int) -> Void) throws
        -> (history: TrainingHistory, testProbabilities: [Float], sharedSeconds: Double?) {
        let root = RNG(seed: config.seed)
        var initRNG = root.derive(1), shuffleRNG = root.derive(2)
        let model: any Layer
        let splits: (train: LabeledData, validation: LabeledData, test: LabeledData)
        var evaluationBatch = imageEvaluationBatch
        var sharedSeconds: Double?
        switch config.method {
        case .scratch:
            model = try ResNet18(classCount: 1, rng: &initRNG, workspace: ConvolutionWorkspace(cores: cores))
            splits = (data.train.scratch, data.validation.scratch, data.test.scratch)
        case .finetune:
            model = try requireBackbone(backbone, config).makeModel(classCount: 1, rng: &initRNG, cores: cores)
            splits = (data.train.pretrained, data.validation.pretrained, data.test.pretrained)
        case .probe:
            // A frozen backbone in eval mode maps each image to the same 512 features at
            // every step, so training the head on features computed once is the same
            // computation as PyTorch's frozen-backbone loop, minus the repeated forward passes.
            let (features, seconds) = try requireBackbone(backbone, config).features(of: data, cores: cores)
            sharedSeconds = seconds
            model = try Linear(ResNet18.featureCount, 1, rng: &initRNG)
            splits = (features.train, features.validation, features.test)
            evaluationBatch = 1024
        case .xgboost, .logisticRegression:
            preconditionFailure("\(config.method) is not a network")
        }
        let optimizer = try Adam(parameters: model.allParameters, learningRate: Float(config.learningRate), cores: cores)
        let session = try TrainingSession(model: model, optimizer: optimizer, inputShape: splits.train.sampleShape,
                                          classCount: 2, loss: .binaryCrossEntropy)
        // The report gives the last epoch's metrics ("after training"), so the test
        // predictions are that epoch's too, kept from the trainer's evaluation: a
        // second pass over the test images would compute the same logits again.
        let (history, testOutputs) = try FloatingPointMode.withSubnormalsFlushed {
            try Trainer.fit(session, train: splits.train, validation: splits.validation, test: splits.test,
                            keepingTestOutputs: .last,
                            config: try TrainingConfig(epochs: config.epochs, batchSize: config.batchSize,
                                                       evaluationBatchSize: evaluationBatch,
                                                       trainingEvaluationRows: config.trainEvaluationImages,
                                                       evaluatesInitialModel: false),
                            rng: &shuffleRNG, onIteration: onIteration)
        }
        guard history.divergence == nil, let testOutputs else { return (history, [], sharedSeconds) }
        precondition(testOutputs.epoch == history.final?.epoch, "test outputs of epoch \(testOutputs.epoch), metrics of another")
        let probabilities = testOutputs.outputs.withUnsafeBufferPointer { $0.map(BinaryCrossEntropyWithLogits.sigmoid) }
        return (history, probabilities, sharedSeconds)
    }

    /// Pretrains a ResNet18 with a `classCount`-way softmax head on the source task;
    /// returns the model and its history, which holds the last epoch's evaluation only:
    /// the report gives the backbone's final source-task accuracy, nothing per epoch.
    static func pretrain(_ config: BackbonePretraining, train: LabeledData, validation: LabeledData, classCount: Int,
                         cores: CoreBudget, onIteration: @escaping (Int) -> Void) throws -> (model: ResNet18, history: TrainingHistory) {
        let root = RNG(seed: config.seed)
        var initRNG = root.derive(1), shuffleRNG = root.derive(2)
        let model = try ResNet18(classCount: classCount, rng: &initRNG, workspace: ConvolutionWorkspace(cores: cores))
        let optimizer = try Adam(parameters: model.allParameters, learningRate: Float(config.learningRate), cores: cores)
        let session = try TrainingSession(model: model, optimizer: optimizer, inputShape: train.sampleShape,
                                          classCount: classCount)
        let history = try FloatingPointMode.withSubnormalsFlushed {
            try Trainer.fit(session, train: train, validation: validation,
                            config: try TrainingConfig(epochs: config.epochs, batchSize: config.batchSize,
                                                       evaluationBatchSize: imageEvaluationBatch,
                                                       trainingEvaluationRows: validation.count, evaluatesInitialModel: false,
                                                       evaluatesEveryEpoch: false),
                            rng: &shuffleRNG, onIteration: onIteration)
        }
        return (model, history)
    }

    private static func requireBackbone(_ backbone: PretrainedBackbone?, _ config: FaceRun) throws -> PretrainedBackbone {
        guard let backbone, backbone.identity == config.backbone else {
            throw StudyError.unavailable("\(config.summary) needs the pretrained backbone \(config.backbone ?? "?")")
        }
        return backbone
    }
}
