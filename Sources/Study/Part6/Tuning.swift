/// 6.2-tune (with `--tune`): every grid model trained with each learning rate of
/// {0.01, 0.001, 0.0001} and batch size of {16, 256, 1024}, for the grid's 50 epochs;
/// each model's setting is chosen on its validation accuracy at the best epoch and
/// compared with the untuned grid (lr 0.001, batch 256, one of the nine).
public struct TuningQuestion: Question {
    public let id = "6.2-tune"
    public let title = "Tuned grid models"
    public static let learningRates: [Double] = [0.01, 0.001, 0.0001]
    public static let batchSizes = [16, 256, 1024]

    public func isPlanned(for settings: StudySettings) -> Bool { settings.tune }

    public func runs(for settings: StudySettings) -> [QuestionRun<MLPRun>] {
        ModelGridQuestion.grid.flatMap { model in
            Self.learningRates.flatMap { rate in
                Self.batchSizes.map { batch in
                    var config = settings.base
                    config.depth = model.depth
                    config.width = model.width
                    config.optimizer = .adam(rate)
                    config.batchSize = batch
                    return QuestionRun(Self.label(depth: model.depth, width: model.width, rate: rate, batch: batch), config)
                }
            }
        }
    }

    static func label(depth: Int, width: Int, rate: Double, batch: Int) -> String {
        "depth \(depth), width \(width), lr \(formatNumber(rate)), batch \(batch)"
    }

    public func analyze(_ groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .tuning(TuningAnalysis(groups))
    }
}

/// Each grid model's best setting by validation accuracy, against its untuned run.
public struct TuningAnalysis: Codable, Equatable, Sendable {
    public struct Model: Codable, Equatable, Sendable {
        /// `depth 6, width 16`.
        public var model: String
        public var depth: Int
        public var width: Int
        /// The label of the chosen run, and its setting.
        public var chosen: String
        public var learningRate: Double
        public var batchSize: Int
        /// Validation and test accuracy at the best epoch of the chosen run and of the
        /// untuned one (lr 0.001, batch 256).
        public var tunedValidation: Estimate?
        public var tunedTest: Estimate?
        public var untunedValidation: Estimate?
        public var untunedTest: Estimate?
        /// Tuned minus untuned validation accuracy, seed by seed.
        public var gain: Estimate?
        /// Runs of this model that diverged in some seed.
        public var diverged: [String]
    }

    /// The grid's models, in the grid's order.
    public var models: [Model]
    /// Models from the highest mean validation accuracy to the lowest, untuned and tuned.
    public var untunedRanking: [String]
    public var tunedRanking: [String]

    init(_ groups: [RunGroup<MLPRun>]) {
        func score(_ group: RunGroup<MLPRun>) -> Double { group.diverged ? -1 : group.best?.validationAccuracy?.mean ?? -1 }
        models = ModelGridQuestion.grid.compactMap { model in
            let runs = groups.filter { $0.config.depth == model.depth && $0.config.width == model.width }
            // The highest mean validation accuracy; ties to the earlier run of the search.
            guard let best = runs.enumerated().max(by: { (score($0.element), -$0.offset) < (score($1.element), -$1.offset) })?.element
            else { return nil }
            let untuned = runs.first { $0.config.optimizer.learningRate == 0.001 && $0.config.batchSize == 256 }
            var gain: Estimate?
            if let tuned = best.best?.validationAccuracy, let base = untuned?.best?.validationAccuracy, tuned.count == base.count {
                gain = Estimate(zip(tuned.values, base.values).map { $0 - $1 })
            }
            return Model(model: "depth \(model.depth), width \(model.width)", depth: model.depth, width: model.width,
                         chosen: best.label, learningRate: best.config.optimizer.learningRate, batchSize: best.config.batchSize,
                         tunedValidation: best.best?.validationAccuracy, tunedTest: best.best?.testAccuracy,
                         untunedValidation: untuned?.best?.validationAccuracy, untunedTest: untuned?.best?.testAccuracy,
                         gain: gain, diverged: runs.filter(\.diverged).map(\.label))
        }
        let models = self.models
        func ranking(_ value: (Model) -> Estimate?) -> [String] {
            models.enumerated().sorted { a, b in
                let (x, y) = (value(a.element)?.mean ?? -1, value(b.element)?.mean ?? -1)
                return x != y ? x > y : a.offset < b.offset
            }.map(\.element.model)
        }
        untunedRanking = ranking(\.untunedValidation)
        tunedRanking = ranking(\.tunedValidation)
    }
}
