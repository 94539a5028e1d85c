import Engine

/// A labelled Part 7 run repeated over the plan's seeds, with its numbers
/// aggregated over the seeds.
public struct FaceRunGroup: Codable, Equatable, Sendable {
    public var label: String
    /// The configuration of the first seed (the others differ only in `seed`).
    public var config: FaceRunConfig
    public var keys: [String]
    public var seeds: [UInt64]
    public var trainAccuracy: Estimate?
    public var validationAccuracy: Estimate?
    public var testAccuracy: Estimate?
    public var validationLoss: Estimate?
    public var testLoss: Estimate?
    /// Training loss of every iteration, averaged over the seeds that reached it
    /// (networks only; empty otherwise).
    public var iterationLosses: [Float]
    /// Where each diverged seed stopped; empty when none diverged.
    public var divergences: [Divergence]
    /// Predicted probability of "fake" for every test image, first seed (empty if it diverged).
    public var testProbabilities: [Float]
    public var wallSeconds: [Double]

    public var diverged: Bool { !divergences.isEmpty }
    public var method: FaceMethod { config.method }

    init(label: String, results: [FaceRunResult]) {
        self.label = label
        config = results[0].config
        keys = results.map(\.key)
        seeds = results.map(\.config.seed)
        // An estimate only when every seed has the number.
        func estimate(_ value: (EpochMetrics) -> Double?) -> Estimate? {
            let values = results.compactMap { $0.metrics.flatMap(value) }
            return values.count == results.count ? Estimate(values) : nil
        }
        trainAccuracy = estimate(\.train.accuracy)
        validationAccuracy = estimate { $0.validation?.accuracy }
        testAccuracy = estimate { $0.test?.accuracy }
        validationLoss = estimate { $0.validation?.loss }
        testLoss = estimate { $0.test?.loss }
        divergences = results.compactMap { $0.history?.divergence }
        testProbabilities = results[0].testScores
        wallSeconds = results.map(\.wallSeconds)
        let histories = results.compactMap(\.history)
        let longest = histories.map(\.iterationLosses.count).max() ?? 0
        iterationLosses = (0..<longest).map { index in
            let values = histories.compactMap { $0.iterationLosses.indices.contains(index) ? $0.iterationLosses[index] : nil }
            return values.reduce(0, +) / Float(values.count)
        }
    }

    /// Predicted class of every test image (1 = fake), first seed.
    public var testPredictions: [Int32] { testProbabilities.map { $0 > 0.5 ? 1 : 0 } }
}
