import Engine

/// What the report needs of a group of Part 7 runs over seeds: accuracies and losses
/// after training, the mean training loss of every iteration, and the first seed's
/// test probabilities.
public struct FaceAggregate: Codable, Equatable, Sendable {
    /// Measured on ``trainImagesEvaluated`` training images when set, on all otherwise.
    public var trainAccuracy: Estimate?
    /// Training images behind the train accuracy when fewer than the whole split
    /// (``FaceOutcome/trainImagesEvaluated``, first seed's).
    public var trainImagesEvaluated: Int?
    public var validationAccuracy: Estimate?
    public var testAccuracy: Estimate?
    public var validationLoss: Estimate?
    public var testLoss: Estimate?
    /// Training loss of every iteration, averaged over the seeds that reached it
    /// (networks only; empty otherwise).
    public var iterationLosses: [Float]
    /// Predicted probability of "fake" for every test image, first seed (empty if it diverged).
    public var testProbabilities: [Float]

    init(_ results: [RunResult<FaceRun>]) {
        // An estimate only when every seed has the number.
        func estimate(_ value: (EpochMetrics) -> Double?) -> Estimate? {
            let values = results.compactMap { $0.metrics.flatMap(value) }
            return values.count == results.count ? Estimate(values) : nil
        }
        trainAccuracy = estimate(\.train.accuracy)
        trainImagesEvaluated = results[0].outcome.trainImagesEvaluated
        validationAccuracy = estimate { $0.validation?.accuracy }
        // A run that produced a model scored every test image (`testScores`), so their
        // count is the sample its test accuracy was measured on: with one seed, the
        // accuracy's binomial standard error is how far another draw of test images
        // would move it (the report compares one-seed accuracies within it).
        let testImages = results.lazy.map(\.outcome.testScores.count).first { $0 > 0 } ?? 0
        testAccuracy = estimate { $0.test?.accuracy }.map { $0.sampledOn(images: testImages) }
        validationLoss = estimate { $0.validation?.loss }
        testLoss = estimate { $0.test?.loss }
        testProbabilities = results[0].testScores
        let histories = results.compactMap(\.history)
        let longest = histories.map(\.iterationLosses.count).max() ?? 0
        iterationLosses = (0..<longest).map { index in
            let values = histories.compactMap { $0.iterationLosses.indices.contains(index) ? $0.iterationLosses[index] : nil }
            return values.reduce(0, +) / Float(values.count)
        }
    }
}

extension FaceRun {
    public static func aggregate(_ results: [RunResult<FaceRun>]) -> FaceAggregate { FaceAggregate(results) }
}

extension RunGroup where Spec == FaceRun {
    public var method: FaceMethod { config.method }

    /// Predicted class of every test image (1 = fake), first seed.
    public var testPredictions: [Int32] { aggregate.testProbabilities.map { $0 > 0.5 ? 1 : 0 } }
}
