/// 6.1.2-q3: the base model with and without BatchNorm1d after every hidden Linear layer.
public struct BatchNormExperiment: Experiment {
    public let id = "6.1.2-q3"
    public let title = "Batch normalisation"

    public init() {}

    public func runs(for plan: StudyPlan) -> [ExperimentRun] {
        var normalised = plan.base
        normalised.batchNorm = true
        return [ExperimentRun("without batch norm", plan.base), ExperimentRun("with batch norm", normalised)]
    }

    public func analyze(_ groups: [RunGroup], results: [[RunResult]], plan: StudyPlan) -> ExperimentAnalysis {
        .batchNorm(ComparisonAnalysis(baseline: groups[0], treatment: groups[1]))
    }
}
