import Engine

/// What the report needs of a group of MLP runs over seeds: per-epoch curves, the
/// metrics after the last common epoch and at each seed's best epoch.
///
/// The report compares runs at their best epoch (``best``, the epoch of highest
/// validation accuracy), never on the last epoch alone. Every single-epoch estimate
/// carries the runs' epoch-to-epoch noise over their last ``noiseEpochs`` epochs
/// (``Estimate/noise``), so that a one-seed difference can be told from noise.
public struct MLPAggregate: Codable, Equatable, Sendable {
    /// Per-epoch estimates over the seeds that reached the epoch (epoch 0 first).
    public var curves: Curves
    /// Metrics after the last epoch every seed completed.
    public var final: SplitEstimates?
    /// Metrics at each seed's best epoch (highest validation accuracy).
    public var best: SplitEstimates?
    public var bestEpoch: Estimate?

    public struct SplitEstimates: Codable, Equatable, Sendable {
        public var trainLoss: Estimate?
        public var trainAccuracy: Estimate?
        public var validationLoss: Estimate?
        public var validationAccuracy: Estimate?
        public var testLoss: Estimate?
        public var testAccuracy: Estimate?

        /// The metrics of one epoch per seed, each with the noise of its seeds' histories.
        init(_ metrics: [EpochMetrics], histories: [TrainingHistory]) {
            func estimate(_ metric: (EpochMetrics) -> Double?) -> Estimate? {
                Estimate(metrics.compactMap(metric))?.withNoise(MLPAggregate.noise(histories, metric))
            }
            trainLoss = estimate(\.train.loss)
            trainAccuracy = estimate(\.train.accuracy)
            validationLoss = estimate(\.validation?.loss)
            validationAccuracy = estimate(\.validation?.accuracy)
            testLoss = estimate(\.test?.loss)
            testAccuracy = estimate(\.test?.accuracy)
        }
    }

    public struct Curves: Codable, Equatable, Sendable {
        public var epochs: [Int] = []
        public var trainLoss: [Estimate] = []
        public var trainAccuracy: [Estimate] = []
        public var validationLoss: [Estimate] = []
        public var validationAccuracy: [Estimate] = []
        public var testLoss: [Estimate] = []
        public var testAccuracy: [Estimate] = []
    }

    init(_ results: [RunResult<MLPRun>]) {
        let histories = results.map(\.history)
        // Epochs every seed reached; a diverged seed ends its curve where it stopped.
        let lastCommon = histories.map { $0.epochs.last?.epoch ?? -1 }.min() ?? -1
        var curves = Curves()
        let longest = histories.map(\.epochs.count).max() ?? 0
        for index in 0..<longest {
            let metrics = histories.compactMap { $0.epochs.indices.contains(index) ? $0.epochs[index] : nil }
            guard let epoch = metrics.first?.epoch else { continue }
            curves.epochs.append(epoch)
            // Every split of the study's data has rows and histories hold finite numbers only.
            func estimate(_ values: [Double]) -> Estimate { Estimate(values)! }
            curves.trainLoss.append(estimate(metrics.map(\.train.loss)))
            curves.trainAccuracy.append(estimate(metrics.map(\.train.accuracy)))
            curves.validationLoss.append(estimate(metrics.compactMap(\.validation?.loss)))
            curves.validationAccuracy.append(estimate(metrics.compactMap(\.validation?.accuracy)))
            curves.testLoss.append(estimate(metrics.compactMap(\.test?.loss)))
            curves.testAccuracy.append(estimate(metrics.compactMap(\.test?.accuracy)))
        }
        self.curves = curves
        let finals = histories.compactMap { history in history.epochs.first { $0.epoch == lastCommon } }
        final = finals.count == histories.count ? SplitEstimates(finals, histories: histories) : nil
        let bests = results.compactMap(\.best)
        best = bests.count == results.count ? SplitEstimates(bests, histories: histories) : nil
        bestEpoch = Estimate(results.map { Double($0.bestEpoch) })
    }
}

extension MLPAggregate {
    /// Epochs at the end of a run whose epoch-to-epoch changes measure its noise: the
    /// last 10, or the second half of a shorter run.
    public static func noiseEpochs(trained: Int) -> Int { min(10, trained / 2) }

    /// The mean over seeds of ``Estimate/epochNoise(_:)`` of `metric` over each run's
    /// last ``noiseEpochs(trained:)`` epochs; nil when a run is too short to tell.
    static func noise(_ histories: [TrainingHistory], _ metric: (EpochMetrics) -> Double?) -> Double? {
        let noises = histories.map { history -> Double? in
            let values = history.epochs.filter { $0.epoch > 0 }.compactMap(metric)
            return Estimate.epochNoise(values.suffix(noiseEpochs(trained: values.count)))
        }
        let measured = noises.compactMap { $0 }
        guard !measured.isEmpty, measured.count == noises.count else { return nil }
        return measured.reduce(0, +) / Double(measured.count)
    }
}

extension MLPRun {
    public static func aggregate(_ results: [RunResult<MLPRun>]) -> MLPAggregate { MLPAggregate(results) }
}
