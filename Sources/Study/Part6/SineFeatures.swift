/// 6.2-q7: the base model on sin(a·x) features (a = 0.1..1.0 per coordinate) against
/// the same model on raw coordinates.
public struct SineFeatureExperiment: Experiment {
    public let id = "6.2-q7"
    public let title = "Implicit representation"

    public init() {}

    public func runs(for plan: StudyPlan) -> [ExperimentRun] {
        let coordinates = plan.base
        var sine = coordinates
        sine.features = .sine
        return [ExperimentRun("coordinates", coordinates), ExperimentRun("sine features", sine)]
    }

    public func analyze(_ groups: [RunGroup], results: [[RunResult]], plan: StudyPlan) -> ExperimentAnalysis {
        .sineFeatures(ComparisonAnalysis(baseline: groups[0], treatment: groups[1]))
    }
}
