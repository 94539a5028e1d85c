import Support

/// The questions of the study, in report order, and the one rule `--only` selects them by.
public enum StudyCatalog {
    /// Every question: Part 6, then Part 7.
    public static let all: [any Question] = [
        LearningRateQuestion(),
        EpochsQuestion(),
        BatchNormQuestion(),
        BatchSizeQuestion(),
        ModelGridQuestion(id: "6.2-q1", selection: .best),
        ModelGridQuestion(id: "6.2-q2", selection: .worst),
        ModelGridQuestion(id: "6.2-q3", selection: .depth),
        ModelGridQuestion(id: "6.2-q4", selection: .width),
        TuningQuestion(),
        GradientQuestion(),
        GradientCureQuestion(),
        SineFeatureQuestion(),
        FaceLearningRateQuestion(method: .xgboost),
        FaceLearningRateQuestion(method: .scratch),
        FaceLearningRateQuestion(method: .probe),
        FaceLogisticRegressionQuestion(),
        FaceLearningRateQuestion(method: .finetune),
        FaceSummaryQuestion(),
        FaceSamplesQuestion(),
    ]

    /// The questions matching `filters`, in report order: each filter is an id or an id
    /// prefix ending at a `.` or `-` boundary (`6`, `6.2`, `6.2-q5`, `7.1`); no filter
    /// selects every question. Throws on a filter that matches nothing.
    public static func select(_ filters: [String]?, from questions: [any Question] = all) throws -> [any Question] {
        guard let filters, !filters.isEmpty else { return questions }
        for filter in filters where !questions.contains(where: { matches($0.id, filter) }) {
            throw StudyError.unknownQuestion(filter, known: questions.map(\.id))
        }
        return questions.filter { question in filters.contains { matches(question.id, $0) } }
    }

    static func matches(_ id: String, _ filter: String) -> Bool {
        id == filter || id.hasPrefix(filter + ".") || id.hasPrefix(filter + "-")
    }
}

/// Errors of the study layer, each with a message for the user.
public enum StudyError: Error, CustomStringConvertible, Equatable {
    case unknownQuestion(String, known: [String])
    case invalidOption(String)
    /// A unit could not start: what it needs is missing or broken.
    case unavailable(String)

    public var description: String {
        switch self {
        case .unknownQuestion(let filter, let known):
            "no question matches \"\(Excerpt.of(filter))\"; the ids are \(known.joined(separator: ", "))"
        case .invalidOption(let message), .unavailable(let message):
            message
        }
    }
}
