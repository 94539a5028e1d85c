/// Two settings compared on the same metrics (with vs without batch norm, with vs
/// without sine features): the per-seed differences `treatment - baseline`, each seed
/// read at its best epoch (highest validation accuracy).
public struct ComparisonAnalysis: Codable, Equatable, Sendable {
    public var baseline: String
    public var treatment: String
    /// Best-epoch validation accuracy gained by the treatment.
    public var validationAccuracyGain: Estimate?
    /// Test accuracy at the best epoch gained by the treatment.
    public var testAccuracyGain: Estimate?
    /// Validation loss at the best epoch removed by the treatment (positive when it is lower).
    public var validationLossReduction: Estimate?

    init(baseline: RunGroup<MLPRun>, treatment: RunGroup<MLPRun>) {
        self.baseline = baseline.label
        self.treatment = treatment.label
        func difference(_ metric: (MLPAggregate.SplitEstimates) -> Estimate?, sign: Double = 1) -> Estimate? {
            guard let a = baseline.best.flatMap(metric), let b = treatment.best.flatMap(metric),
                  a.count == b.count else { return nil }
            return Estimate(zip(a.values, b.values).map { sign * ($1 - $0) })
        }
        validationAccuracyGain = difference(\.validationAccuracy)
        testAccuracyGain = difference(\.testAccuracy)
        validationLossReduction = difference(\.validationLoss, sign: -1)
    }
}
