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
        .batchSize(BatchSizeAnalysis(groups: groups, results: results, trainingRows: manifest.map?.splitSizes.first))
    }
}

/// Speed and stability of training for each batch size, compared on one yardstick:
/// how many training examples (and seconds) each setting needs before its smoothed
/// training loss first falls to a level every setting reaches, the worst setting's
/// final level (``Convergence``). Iterations alone would only restate the batch size.
public struct BatchSizeAnalysis: Codable, Equatable, Sendable {
    public struct Setting: Codable, Equatable, Sendable {
        public var label: String
        public var batchSize: Int
        public var iterations: Int
        /// Iterations until the smoothed loss first reaches the common ``BatchSizeAnalysis/level``.
        public var iterationsToLevel: Estimate?
        /// Training examples seen by then (iterations × batch size, the last partial batch counted as it is).
        public var examplesToLevel: Estimate?
        /// Seconds by then: the run's wall time in proportion to its iterations.
        public var secondsToLevel: Estimate?
        /// Coefficient of variation of the batch loss over the last 10% of iterations.
        public var finalLossNoise: Estimate?
        public var wallSeconds: Estimate?
    }

    public var settings: [Setting]
    /// The common level, per seed: the highest final level (mean loss over the last 10%
    /// of iterations) of the settings, so that every setting reaches it.
    public var level: Estimate?
    /// The setting whose smoothed loss reaches the level after the fewest training examples.
    public var fewestExamples: String?

    init(groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], trainingRows: Int?) {
        let convergences = results.map { runs in runs.map { Convergence(losses: $0.history.iterationLosses) } }
        let seeds = convergences.map(\.count).min() ?? 0
        // Per seed, the worst setting's final level.
        let levels = (0..<seeds).map { seed in convergences.compactMap { $0[seed].finalLevel }.max() }
        level = levels.contains(nil) ? nil : Estimate(levels.compactMap { $0 })
        settings = zip(groups, zip(results, convergences)).map { group, pair in
            let (runs, convergence) = pair
            var iterations: [Double] = [], examples: [Double] = [], seconds: [Double] = []
            for (seed, run) in runs.enumerated() where seed < levels.count {
                guard let level = levels[seed], let reached = convergence[seed].firstIteration(atOrBelow: level) else { continue }
                let total = run.history.iterationLosses.count
                iterations.append(Double(reached))
                examples.append(Double(Self.examples(afterIterations: reached, batchSize: run.config.batchSize,
                                                     trainingRows: trainingRows)))
                seconds.append(run.wallSeconds * Double(reached) / Double(max(total, 1)))
            }
            let complete = iterations.count == runs.count
            return Setting(label: group.label, batchSize: group.config.batchSize,
                           iterations: runs.map(\.history.iterationLosses.count).max() ?? 0,
                           iterationsToLevel: complete ? Estimate(iterations) : nil,
                           examplesToLevel: complete ? Estimate(examples) : nil,
                           secondsToLevel: complete ? Estimate(seconds) : nil,
                           finalLossNoise: Estimate(convergence.compactMap(\.finalNoise)),
                           wallSeconds: Estimate(runs.map(\.wallSeconds)))
        }
        fewestExamples = settings.filter { $0.examplesToLevel != nil }.min { $0.examplesToLevel!.mean < $1.examplesToLevel!.mean }?.label
    }

    /// Examples seen after `iterations` steps of `batchSize` over epochs of `trainingRows`
    /// rows (each epoch's last batch is partial).
    public static func examples(afterIterations iterations: Int, batchSize: Int, trainingRows: Int?) -> Int {
        guard let rows = trainingRows, rows > 0 else { return iterations * batchSize }
        let perEpoch = (rows + batchSize - 1) / batchSize
        let (epochs, rest) = iterations.quotientAndRemainder(dividingBy: perEpoch)
        return epochs * rows + min(rest * batchSize, rows)
    }
}

/// A noisy per-iteration loss, smoothed, and where it ends.
///
/// The loss is smoothed with a trailing moving average over `w = max(1, T/100)`
/// iterations. Its final level `F` is the mean raw loss over the last 10% of the `T`
/// iterations.
public struct Convergence: Equatable, Sendable {
    /// Mean raw loss over the last 10% of iterations.
    public var finalLevel: Double?
    /// Standard deviation over mean of the raw loss over the last 10% of iterations.
    public var finalNoise: Double?
    /// The smoothed loss after each iteration.
    public var smoothed: [Double] = []

    public init(losses: [Float]) {
        let count = losses.count
        guard count > 0 else { return }
        let tail = losses.suffix(max(1, count / 10)).map(Double.init)
        let level = tail.reduce(0, +) / Double(tail.count)
        let spread = (tail.map { ($0 - level) * ($0 - level) }.reduce(0, +) / Double(tail.count)).squareRoot()
        finalLevel = level
        finalNoise = level > 0 ? spread / level : nil
        let window = max(1, count / 100)
        smoothed = [Double](repeating: 0, count: count)
        var sum = 0.0
        for index in 0..<count {
            sum += Double(losses[index])
            if index >= window { sum -= Double(losses[index - window]) }
            smoothed[index] = sum / Double(min(index + 1, window))
        }
    }

    /// The number of iterations after which the smoothed loss is first at or below
    /// `level` (1 for the first iteration); nil if it never is.
    public func firstIteration(atOrBelow level: Double) -> Int? {
        smoothed.firstIndex { $0 <= level }.map { $0 + 1 }
    }
}
