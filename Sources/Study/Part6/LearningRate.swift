/// 6.1.2-q1: the base model trained with learning rates 1, 0.01, 0.001 and 0.00001.
public struct LearningRateQuestion: Question {
    public let id = "6.1.2-q1"
    public let title = "Learning rate"
    public static let learningRates: [Double] = [1, 0.01, 0.001, 0.00001]

    public func runs(for settings: StudySettings) -> [QuestionRun<MLPRun>] {
        Self.learningRates.map { rate in
            var config = settings.base
            config.optimizer = .adam(rate)
            return QuestionRun("lr \(formatNumber(rate))", config)
        }
    }

    public func analyze(_ groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .learningRate(LearningRateAnalysis(groups))
    }
}

/// Which learning rate trains best, and which ones diverge.
public struct LearningRateAnalysis: Codable, Equatable, Sendable {
    /// Labels ordered by mean validation loss at the best epoch (highest validation
    /// accuracy), lowest first; diverged runs last.
    public var ranking: [String]
    /// The run with the lowest mean best-epoch validation loss among those that never diverged.
    public var best: String?
    /// Runs where at least one seed diverged.
    public var diverged: [String]

    init(_ groups: [RunGroup<MLPRun>]) {
        func loss(_ group: RunGroup<MLPRun>) -> Double { group.best?.validationLoss?.mean ?? .infinity }
        let ordered = groups.sorted { ($0.diverged ? 1 : 0, loss($0)) < ($1.diverged ? 1 : 0, loss($1)) }
        ranking = ordered.map(\.label)
        best = ordered.first { !$0.diverged && $0.best != nil }?.label
        diverged = groups.filter(\.diverged).map(\.label)
    }
}
