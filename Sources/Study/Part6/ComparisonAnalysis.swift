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

    init(baseline: RunGroup<MLPRun>, treatment: RunGroup<MLPRun>) {
        self.baseline = baseline.label
        self.treatment = treatment.label
        func difference(_ metric: (MLPAggregate.SplitEstimates) -> Estimate?, sign: Double = 1) -> Estimate? {
            guard let a = baseline.final.flatMap(metric), let b = treatment.final.flatMap(metric),
                  a.count == b.count else { return nil }
            return Estimate(zip(a.values, b.values).map { sign * ($1 - $0) })
        }
        validationAccuracyGain = difference(\.validationAccuracy)
        testAccuracyGain = difference(\.testAccuracy)
        validationLossReduction = difference(\.validationLoss, sign: -1)
    }
}
