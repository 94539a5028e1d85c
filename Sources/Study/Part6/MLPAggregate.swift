import Engine

/// What the report needs of a group of MLP runs over seeds: per-epoch curves, the
/// metrics after the last common epoch and at each seed's best epoch.
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

        init(_ metrics: [EpochMetrics]) {
            trainLoss = Estimate(metrics.map(\.train.loss))
            trainAccuracy = Estimate(metrics.map(\.train.accuracy))
            validationLoss = Estimate(metrics.compactMap(\.validation?.loss))
            validationAccuracy = Estimate(metrics.compactMap(\.validation?.accuracy))
            testLoss = Estimate(metrics.compactMap(\.test?.loss))
            testAccuracy = Estimate(metrics.compactMap(\.test?.accuracy))
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
        final = finals.count == histories.count ? SplitEstimates(finals) : nil
        let bests = results.compactMap(\.best)
        best = bests.count == results.count ? SplitEstimates(bests) : nil
        bestEpoch = Estimate(results.map { Double($0.bestEpoch) })
    }
}

extension MLPRun {
    public static func aggregate(_ results: [RunResult<MLPRun>]) -> MLPAggregate { MLPAggregate(results) }
}
