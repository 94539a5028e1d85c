/// 6.1.2-q3: the base model with and without BatchNorm1d after every hidden Linear layer.
public struct BatchNormQuestion: Question {
    public let id = "6.1.2-q3"
    public let title = "Batch normalisation"

    public func runs(for settings: StudySettings) -> [QuestionRun<MLPRun>] {
        var normalised = settings.base
        normalised.batchNorm = true
        return [QuestionRun("without batch norm", settings.base), QuestionRun("with batch norm", normalised)]
    }

    public func analyze(_ groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .batchNorm(ComparisonAnalysis(baseline: groups[0], treatment: groups[1]))
    }
}
