/// 6.2-q7: the base model on sin(a·x) features (a = 0.1..1.0 per coordinate) against
/// the same model on raw coordinates.
public struct SineFeatureQuestion: Question {
    public let id = "6.2-q7"
    public let title = "Implicit representation"

    public func runs(for settings: StudySettings) -> [QuestionRun<MLPRun>] {
        let coordinates = settings.base
        var sine = coordinates
        sine.features = .sine
        return [QuestionRun("coordinates", coordinates), QuestionRun("sine features", sine)]
    }

    public func analyze(_ groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .sineFeatures(ComparisonAnalysis(baseline: groups[0], treatment: groups[1]))
    }
}
