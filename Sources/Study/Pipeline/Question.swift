/// One run of a question: a label for tables and legends, and its configuration
/// (for the settings' first seed; the plan repeats it for every seed).
public struct QuestionRun<Spec: RunSpec>: Sendable, Equatable {
    public var label: String
    public var config: Spec

    public init(_ label: String, _ config: Spec) {
        self.label = label
        self.config = config
    }
}

/// A question of the study as data: the runs it needs and what to compute from them.
///
/// Questions never train anything themselves: the session trains (or reuses from
/// the cache) every unit of every selected question, and `analyze` turns the
/// finished results into the numbers the report shows.
public protocol Question<Spec>: Sendable {
    associatedtype Spec: RunSpec
    /// Stable id from STUDY.md (`6.1.2-q1`, `7.1-probe`), used in file names and `--only`.
    var id: String { get }
    /// One-line title (`Learning rate`).
    var title: String { get }
    /// The runs this question needs under `settings`.
    func runs(for settings: StudySettings) -> [QuestionRun<Spec>]
    /// The computed answer, from every run's results (one per seed, in seed order);
    /// `manifest` describes the data they ran on.
    func analyze(_ groups: [RunGroup<Spec>], results: [[RunResult<Spec>]], manifest: StudyManifest) -> QuestionAnalysis
    /// Whether the question belongs to a study with `settings` (an optional extension
    /// such as `--tune` is planned only when asked for). Default: always.
    func isPlanned(for settings: StudySettings) -> Bool
}

extension Question {
    /// The part of the study the question belongs to.
    public var part: StudyPart { Spec.part }

    public func isPlanned(for settings: StudySettings) -> Bool { true }
}

/// The computed answer of one question: what it asks for, derived from the runs'
/// numbers (never written by hand). One case per kind of analysis.
public enum QuestionAnalysis: Codable, Equatable, Sendable {
    case learningRate(LearningRateAnalysis)
    case epochs(EpochsAnalysis)
    case batchNorm(ComparisonAnalysis)
    case batchSize(BatchSizeAnalysis)
    case modelGrid(ModelGridAnalysis)
    case gradients(GradientAnalysis)
    case sineFeatures(ComparisonAnalysis)
    case tuning(TuningAnalysis)
    case learningRates(FaceLearningRateAnalysis)
    case logisticRegression(FaceLogisticRegressionAnalysis)
    case summary(FaceSummaryAnalysis)
    case samples(FaceSamplesAnalysis)
}

/// A question answered: its id and title, its analysis, and the groups of runs behind
/// it, whatever kind of run they are. `results.json` holds one of these per question.
public protocol AnsweredQuestion: Encodable, Sendable {
    var id: String { get }
    var title: String { get }
    var analysis: QuestionAnalysis { get }
}

/// A question's runs and analysis, ready for the report.
public struct QuestionResult<Spec: RunSpec>: AnsweredQuestion, Codable, Equatable {
    public var id: String
    public var title: String
    public var groups: [RunGroup<Spec>]
    public var analysis: QuestionAnalysis
    /// `runs[group][seed]`, aligned with `groups`: the raw results, for per-iteration
    /// losses, decision maps and timing. Not part of `results.json` (see `CodingKeys`).
    public var runs: [[RunResult<Spec>]] = []

    public init(id: String, title: String, groups: [RunGroup<Spec>], analysis: QuestionAnalysis, runs: [[RunResult<Spec>]]) {
        self.id = id
        self.title = title
        self.groups = groups
        self.analysis = analysis
        self.runs = runs
    }

    private enum CodingKeys: String, CodingKey { case id, title, groups, analysis }
}
