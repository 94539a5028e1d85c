/// The computed answer of one experiment: what its question asks for, derived
/// from the runs' numbers (never written by hand).
public enum ExperimentAnalysis: Codable, Equatable, Sendable {
    case learningRate(LearningRateAnalysis)
    case epochs(EpochsAnalysis)
    case batchNorm(ComparisonAnalysis)
    case batchSize(BatchSizeAnalysis)
    case modelGrid(ModelGridAnalysis)
    case gradients(GradientAnalysis)
    case sineFeatures(ComparisonAnalysis)
}

/// An experiment's runs and analysis, ready for the report.
public struct ExperimentResult: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var groups: [RunGroup]
    public var analysis: ExperimentAnalysis
}

/// Two settings compared on the same metrics (with vs without batch norm, with vs
/// without sine features): the per-seed differences `treatment - baseline`.
public struct ComparisonAnalysis: Codable, Equatable, Sendable {
    public var baseline: String
    public var treatment: String
    /// Final validation accuracy gained by the treatment.
    public var validationAccuracyGain: Estimate?
    /// Final test accuracy gained by the treatment.
    public var testAccuracyGain: Estimate?
    /// Final validation loss removed by the treatment (positive when it is lower).
    public var validationLossReduction: Estimate?

    init(baseline: RunGroup, treatment: RunGroup) {
        self.baseline = baseline.label
        self.treatment = treatment.label
        func difference(_ metric: (RunGroup.SplitEstimates) -> Estimate?, sign: Double = 1) -> Estimate? {
            guard let a = baseline.final.flatMap(metric), let b = treatment.final.flatMap(metric),
                  a.count == b.count else { return nil }
            return Estimate(zip(a.values, b.values).map { sign * ($1 - $0) })
        }
        validationAccuracyGain = difference(\.validationAccuracy)
        testAccuracyGain = difference(\.testAccuracy)
        validationLossReduction = difference(\.validationLoss, sign: -1)
    }
}
