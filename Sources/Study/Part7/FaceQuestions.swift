/// 7.1-xgboost, -scratch, -probe, -finetune: one method over its learning rates.
public struct FaceLearningRateQuestion: Question {
    public let method: FaceMethod
    public var id: String { "7.1-\(method == .xgboost ? "xgboost" : method.rawValue)" }
    public var title: String {
        switch method {
        case .xgboost: "XGBoost baseline"
        case .scratch: "ResNet18 from scratch"
        case .probe: "Linear probing"
        case .finetune: "Fine-tuning"
        case .logisticRegression: "Logistic regression on frozen features"
        }
    }

    public init(method: FaceMethod) {
        precondition(method != .logisticRegression, "logistic regression has no learning rate")
        self.method = method
    }

    public func runs(for settings: StudySettings) -> [QuestionRun<FaceRun>] {
        if method == .xgboost {
            return StudySettings.xgboostLearningRates.map { rate in
                QuestionRun("eta \(formatNumber(rate))",
                            .xgboost(learningRate: rate, rounds: settings.xgboostRounds, seed: settings.seeds[0]))
            }
        }
        return StudySettings.networkLearningRates.map { rate in
            QuestionRun("lr \(formatNumber(rate))", settings.network(method, learningRate: rate))
        }
    }

    public func analyze(_ groups: [RunGroup<FaceRun>], results: [[RunResult<FaceRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .learningRates(FaceLearningRateAnalysis(method: method, groups: groups))
    }
}

/// 7.1-logreg: LIBLINEAR on the frozen backbone's features.
public struct FaceLogisticRegressionQuestion: Question {
    public let id = "7.1-logreg"
    public let title = "Logistic regression on frozen features"

    public func runs(for settings: StudySettings) -> [QuestionRun<FaceRun>] {
        [QuestionRun("C 1", .logisticRegression(regularization: 1, backbone: settings.backbone, seed: settings.seeds[0]))]
    }

    public func analyze(_ groups: [RunGroup<FaceRun>], results: [[RunResult<FaceRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .logisticRegression(FaceLogisticRegressionAnalysis(groups[0]))
    }
}

/// The per-method questions, in report order.
private let methodQuestions: [any Question<FaceRun>] = [
    FaceLearningRateQuestion(method: .xgboost),
    FaceLearningRateQuestion(method: .scratch),
    FaceLearningRateQuestion(method: .probe),
    FaceLogisticRegressionQuestion(),
    FaceLearningRateQuestion(method: .finetune),
]

/// Every run of the per-method questions, labelled `<method>, <run>`.
private func allMethodRuns(_ settings: StudySettings) -> [QuestionRun<FaceRun>] {
    methodQuestions.flatMap { question in
        question.runs(for: settings).map { QuestionRun("\($0.config.method.displayName), \($0.label)", $0.config) }
    }
}

/// 7.1-summary: every method at its best learning rate, side by side.
public struct FaceSummaryQuestion: Question {
    public let id = "7.1-summary"
    public let title = "All methods compared"

    public func runs(for settings: StudySettings) -> [QuestionRun<FaceRun>] { allMethodRuns(settings) }

    public func analyze(_ groups: [RunGroup<FaceRun>], results: [[RunResult<FaceRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .summary(FaceSummaryAnalysis(groups))
    }
}

/// 7.2: test images the best method gets right and the worst gets wrong.
public struct FaceSamplesQuestion: Question {
    public let id = "7.2"
    public let title = "Samples that separate the best and worst methods"
    /// Images shown per comparison.
    public static let sampleCount = 5

    public func runs(for settings: StudySettings) -> [QuestionRun<FaceRun>] { allMethodRuns(settings) }

    public func analyze(_ groups: [RunGroup<FaceRun>], results: [[RunResult<FaceRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .samples(FaceSamplesAnalysis(groups, testLabels: manifest.faces?.testLabels ?? [], count: Self.sampleCount))
    }
}
