/// How long and in what batches to train.
public struct TrainingConfig: Sendable {
    public var epochs: Int
    public var batchSize: Int
    /// Batch size for evaluation passes (no gradients, so larger is cheaper).
    public var evaluationBatchSize: Int
    /// When set, the training split is evaluated on this many of its rows only, spread
    /// evenly over it (``LabeledData/evenlySpaced(_:)``, which keeps the class proportions
    /// of a split stored class by class): for image sets, where a full pass per epoch
    /// costs a large part of the training.
    public var trainingEvaluationRows: Int?
    /// Whether the untrained model is evaluated too (the history's epoch 0, where
    /// learning curves start); off where nothing shows it (Part 7's image runs, whose
    /// evaluation passes cost as much as their training).
    public var evaluatesInitialModel: Bool
    /// Whether every epoch is evaluated, or only the last (where only the trained
    /// model's metrics are shown, as for Part 7's pretrained backbone). A non-finite
    /// training loss or gradient still stops training at the step it appears.
    public var evaluatesEveryEpoch: Bool

    public init(epochs: Int, batchSize: Int, evaluationBatchSize: Int = 1024, trainingEvaluationRows: Int? = nil,
                evaluatesInitialModel: Bool = true, evaluatesEveryEpoch: Bool = true) throws {
        guard epochs >= 0 else { throw EngineError.invalidArgument("epochs must be >= 0, got \(epochs)") }
        guard batchSize > 0 else { throw EngineError.invalidArgument("batch size must be positive, got \(batchSize)") }
        guard evaluationBatchSize > 0 else {
            throw EngineError.invalidArgument("evaluation batch size must be positive, got \(evaluationBatchSize)")
        }
        self.epochs = epochs
        self.batchSize = batchSize
        self.evaluationBatchSize = evaluationBatchSize
        if let rows = trainingEvaluationRows, rows <= 0 {
            throw EngineError.invalidArgument("training evaluation rows must be positive, got \(rows)")
        }
        self.trainingEvaluationRows = trainingEvaluationRows
        self.evaluatesInitialModel = evaluatesInitialModel
        self.evaluatesEveryEpoch = evaluatesEveryEpoch
    }
}

/// Which epoch's test outputs `Trainer.fit(_:train:validation:test:keepingTestOutputs:...)` hands back.
public enum KeptEpoch: Sendable, Equatable {
    /// The last epoch recorded (`TrainingHistory.final`): the model `fit` leaves
    /// behind, unless it diverged after that epoch.
    case last
    /// The epoch of highest validation accuracy, the earliest on ties
    /// (`TrainingHistory.bestEpoch`).
    case bestValidationAccuracy
}

/// A model's outputs on the test split, as evaluated after one epoch.
public struct EpochOutputs: Sendable {
    /// The epoch (0: the untrained model) whose evaluation computed them.
    public let epoch: Int
    /// `[N, outputWidth]`: the outputs (logits) of every test row, in inference mode.
    public let outputs: Tensor
}

/// The epoch loop: shuffled mini-batches (the last, partial one kept), evaluation of
/// every split after each epoch, per-iteration losses, gradient norms, and a stop at
/// the first non-finite loss or gradient.
public enum Trainer {
    /// Trains `session.model` on `train` and evaluates it on `validation` and `test`.
    ///
    /// The shuffling order comes from `rng` alone, so the same model, data and seed
    /// give bit-identical histories. `onEpoch` is called after each evaluation
    /// (epoch 0 included, unless `config.evaluatesInitialModel` is off) and
    /// `onIteration` after each step, for progress reporting.
    public static func fit(
        _ session: TrainingSession,
        train: LabeledData, validation: LabeledData? = nil, test: LabeledData? = nil,
        config: TrainingConfig, rng: inout RNG,
        onEpoch: (EpochMetrics) -> Void = { _ in },
        onIteration: (Int) -> Void = { _ in }
    ) throws -> TrainingHistory {
        try run(session, train: train, validation: validation, test: test, keep: nil, config: config, rng: &rng,
                onEpoch: onEpoch, onIteration: onIteration).history
    }

    /// Trains as `fit(_:train:validation:test:config:rng:onEpoch:onIteration:)` does, and
    /// also hands back the test outputs that the evaluation of the `kept` epoch
    /// computed, bit for bit those of a separate inference pass over `test` in batches
    /// of `config.evaluationBatchSize` with the model of that epoch; nil when no epoch
    /// was recorded. The history is the same as without them.
    ///
    /// Two `[N, outputWidth]` buffers are allocated once: each test evaluation writes
    /// into one, which is swapped with the kept one when its epoch is recorded and
    /// chosen (an evaluation that diverges is never kept).
    public static func fit(
        _ session: TrainingSession,
        train: LabeledData, validation: LabeledData? = nil, test: LabeledData,
        keepingTestOutputs kept: KeptEpoch,
        config: TrainingConfig, rng: inout RNG,
        onEpoch: (EpochMetrics) -> Void = { _ in },
        onIteration: (Int) -> Void = { _ in }
    ) throws -> (history: TrainingHistory, testOutputs: EpochOutputs?) {
        try run(session, train: train, validation: validation, test: test, keep: kept, config: config, rng: &rng,
                onEpoch: onEpoch, onIteration: onIteration)
    }

    private static func run(
        _ session: TrainingSession,
        train: LabeledData, validation: LabeledData?, test: LabeledData?, keep: KeptEpoch?,
        config: TrainingConfig, rng: inout RNG,
        onEpoch: (EpochMetrics) -> Void,
        onIteration: (Int) -> Void
    ) throws -> (history: TrainingHistory, testOutputs: EpochOutputs?) {
        for (name, split) in [("training", train), ("validation", validation), ("test", test)] {
            guard let split else { continue }
            guard split.count > 0 else { throw EngineError.invalidData("the \(name) split has no rows") }
            guard split.sampleShape == session.inputShape else {
                let what = session.inputShape.count == 1 ? "\(split.featureCount) features" : "samples of shape \(split.sampleShape)"
                let takes = session.inputShape.count == 1 ? "\(session.inputFeatures)" : "\(session.inputShape)"
                throw EngineError.shapeMismatch("the \(name) split has \(what), the model takes \(takes)")
            }
            guard split.classCount <= session.classCount else {
                throw EngineError.shapeMismatch(
                    "the \(name) split has \(split.classCount) classes, the model predicts \(session.classCount)")
            }
        }

        var history = TrainingHistory()
        history.gradientLayers = session.trackedLayers.indices.map { "linear\($0)" }
        let batchesPerEpoch = (train.count + config.batchSize - 1) / config.batchSize
        history.iterationLosses.reserveCapacity(batchesPerEpoch * config.epochs)

        let trainEvaluated = config.trainingEvaluationRows.map { train.evenlySpaced($0) } ?? train
        // Test outputs, when kept: `evaluated` receives each evaluation's, `kept` holds the chosen epoch's.
        let keptTest = keep == nil ? nil : test
        var evaluated = keptTest.map { Tensor(zeros: [$0.count, session.outputWidth]) }
        var kept = keptTest.map { Tensor(zeros: [$0.count, session.outputWidth]) }
        var keptEpoch: Int?
        func evaluate(epoch: Int, iteration: Int) -> Bool {
            let trainMetrics = session.evaluate(trainEvaluated, batchSize: config.evaluationBatchSize)
            let validationMetrics = validation.map { session.evaluate($0, batchSize: config.evaluationBatchSize) }
            let testMetrics: SplitMetrics?
            if let keptTest {
                testMetrics = session.evaluate(keptTest, batchSize: config.evaluationBatchSize, outputs: &evaluated!)
            } else {
                testMetrics = test.map { session.evaluate($0, batchSize: config.evaluationBatchSize) }
            }
            let metrics = EpochMetrics(epoch: epoch, train: trainMetrics, validation: validationMetrics, test: testMetrics)
            for (name, split) in [("training", metrics.train), ("validation", metrics.validation), ("test", metrics.test)] {
                if let split, !split.loss.isFinite {
                    history.divergence = Divergence(epoch: max(epoch, 1), iteration: iteration, quantity: "\(name) loss")
                    return false
                }
            }
            history.epochs.append(metrics)
            if keptTest != nil && (keep == .last || history.bestEpoch == epoch) {
                swap(&evaluated, &kept)
                keptEpoch = epoch
            }
            onEpoch(metrics)
            return true
        }
        func result() -> (history: TrainingHistory, testOutputs: EpochOutputs?) {
            (history, keptEpoch.map { EpochOutputs(epoch: $0, outputs: kept!) })
        }

        if config.evaluatesInitialModel {
            guard evaluate(epoch: 0, iteration: 0) else { return result() }
        }
        var order = Array(0..<train.count)
        var iteration = 0
        for epoch in stride(from: 1, through: config.epochs, by: 1) {
            rng.shuffle(&order)
            session.resetGradientNormSums()
            var start = 0
            while start < train.count {
                let count = min(config.batchSize, train.count - start)
                iteration += 1
                let step = session.step(on: train, order: order, start: start, count: count)
                guard step.isFinite else {
                    let lossIsFinite = Float(step.loss).isFinite
                    if lossIsFinite { history.iterationLosses.append(Float(step.loss)) }
                    let quantity = lossIsFinite ? "gradient" : "training loss"
                    history.divergence = Divergence(epoch: epoch, iteration: iteration, quantity: quantity)
                    return result()
                }
                history.iterationLosses.append(Float(step.loss))
                onIteration(iteration)
                start += count
            }
            history.gradientNorms.append(session.gradientNormSums.map { $0 / Double(batchesPerEpoch) })
            if config.evaluatesEveryEpoch || epoch == config.epochs {
                guard evaluate(epoch: epoch, iteration: iteration) else { return result() }
            }
        }
        return result()
    }
}
