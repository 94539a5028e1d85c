/// 6.1.2-q4: the base model with (batch size, epochs) = (1, 1), (16, 10), (128, 50), (1024, 50).
public struct BatchSizeQuestion: Question {
    public let id = "6.1.2-q4"
    public let title = "Batch size"
    public static let settings = [(batch: 1, epochs: 1), (batch: 16, epochs: 10), (batch: 128, epochs: 50), (batch: 1024, epochs: 50)]

    public func runs(for settings: StudySettings) -> [QuestionRun<MLPRun>] {
        Self.settings.map { setting in
            var config = settings.base
            config.batchSize = setting.batch
            config.epochs = settings.epochs(setting.epochs)
            return QuestionRun("batch \(setting.batch), \(config.epochs) epoch\(config.epochs == 1 ? "" : "s")", config)
        }
    }

    public func analyze(_ groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .batchSize(BatchSizeAnalysis(groups: groups, results: results))
    }
}

/// Speed and stability of training for each batch size.
public struct BatchSizeAnalysis: Codable, Equatable, Sendable {
    public struct Setting: Codable, Equatable, Sendable {
        public var label: String
        public var batchSize: Int
        public var iterations: Int
        /// See `Convergence.iterationsToConverge`.
        public var iterationsToConverge: Estimate?
        /// Coefficient of variation of the batch loss over the last 10% of iterations.
        public var finalLossNoise: Estimate?
        public var wallSeconds: Estimate?
    }

    public var settings: [Setting]
    /// Label with the highest mean final test accuracy.
    public var mostAccurate: String?
    /// Label that converges in the fewest iterations.
    public var fastestToConverge: String?

    init(groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]]) {
        settings = zip(groups, results).map { group, runs in
            let convergence = runs.map { Convergence(losses: $0.history.iterationLosses) }
            return Setting(label: group.label, batchSize: group.config.batchSize,
                           iterations: runs.map(\.history.iterationLosses.count).max() ?? 0,
                           iterationsToConverge: Estimate(convergence.compactMap { $0.iterationsToConverge.map(Double.init) }),
                           finalLossNoise: Estimate(convergence.compactMap(\.finalNoise)),
                           wallSeconds: Estimate(runs.map(\.wallSeconds)))
        }
        mostAccurate = groups.max { ($0.final?.testAccuracy?.mean ?? -1) < ($1.final?.testAccuracy?.mean ?? -1) }?.label
        fastestToConverge = settings.filter { $0.iterationsToConverge != nil }
            .min { $0.iterationsToConverge!.mean < $1.iterationsToConverge!.mean }?.label
    }
}

/// When a noisy per-iteration loss settles.
///
/// The loss is smoothed with a trailing moving average over `w = max(1, T/100)`
/// iterations. Its final level `F` is the mean raw loss over the last 10% of the
/// `T` iterations. The run has converged at the first iteration from which the
/// smoothed loss never again exceeds `1.1·F` (within 10% of where it ends).
public struct Convergence: Equatable, Sendable {
    public static let tolerance = 0.1
    public var iterationsToConverge: Int?
    /// Standard deviation over mean of the raw loss over the last 10% of iterations.
    public var finalNoise: Double?

    public init(losses: [Float]) {
        let count = losses.count
        guard count > 0 else { return }
        let tail = losses.suffix(max(1, count / 10)).map(Double.init)
        let level = tail.reduce(0, +) / Double(tail.count)
        let spread = (tail.map { ($0 - level) * ($0 - level) }.reduce(0, +) / Double(tail.count)).squareRoot()
        finalNoise = level > 0 ? spread / level : nil
        let window = max(1, count / 100)
        var smoothed = [Double](repeating: 0, count: count)
        var sum = 0.0
        for index in 0..<count {
            sum += Double(losses[index])
            if index >= window { sum -= Double(losses[index - window]) }
            smoothed[index] = sum / Double(min(index + 1, window))
        }
        var settled = count
        for index in stride(from: count - 1, through: 0, by: -1) {
            guard smoothed[index] <= level * (1 + Self.tolerance) else { break }
            settled = index
        }
        iterationsToConverge = settled < count ? settled + 1 : nil
    }
}
