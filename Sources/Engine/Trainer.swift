/// How long and in what batches to train.
public struct TrainingConfig: Sendable {
    public var epochs: Int
    public var batchSize: Int
    /// Batch size for evaluation passes (no gradients, so larger is cheaper).
    public var evaluationBatchSize: Int
    /// When set, the training split is evaluated on its first this-many rows only
    /// (for large image sets, where a full pass per epoch would cost as much as training).
    public var trainingEvaluationRows: Int?
    /// Whether the untrained model is evaluated too (the history's epoch 0, where
    /// learning curves start); off where nothing shows it (Part 7's image runs, whose
    /// evaluation passes cost as much as their training).
    public var evaluatesInitialModel: Bool

    public init(epochs: Int, batchSize: Int, evaluationBatchSize: Int = 1024, trainingEvaluationRows: Int? = nil,
                evaluatesInitialModel: Bool = true) throws {
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
    }
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

        let trainEvaluated = config.trainingEvaluationRows.map { train.prefix($0) } ?? train
        func evaluate(epoch: Int, iteration: Int) -> Bool {
            let metrics = EpochMetrics(
                epoch: epoch,
                train: session.evaluate(trainEvaluated, batchSize: config.evaluationBatchSize),
                validation: validation.map { session.evaluate($0, batchSize: config.evaluationBatchSize) },
                test: test.map { session.evaluate($0, batchSize: config.evaluationBatchSize) })
            for (name, split) in [("training", metrics.train), ("validation", metrics.validation), ("test", metrics.test)] {
                if let split, !split.loss.isFinite {
                    history.divergence = Divergence(epoch: max(epoch, 1), iteration: iteration, quantity: "\(name) loss")
                    return false
                }
            }
            history.epochs.append(metrics)
            onEpoch(metrics)
            return true
        }

        if config.evaluatesInitialModel {
            guard evaluate(epoch: 0, iteration: 0) else { return history }
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
                    return history
                }
                history.iterationLosses.append(Float(step.loss))
                onIteration(iteration)
                start += count
            }
            history.gradientNorms.append(session.gradientNormSums.map { $0 / Double(batchesPerEpoch) })
            guard evaluate(epoch: epoch, iteration: iteration) else { return history }
        }
        return history
    }
}
