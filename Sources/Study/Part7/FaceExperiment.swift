/// One run of a Part 7 question: a label for tables and legends, and its configuration
/// (for the plan's first seed).
public struct FaceExperimentRun: Sendable, Equatable {
    public var label: String
    public var config: FaceRunConfig

    public init(_ label: String, _ config: FaceRunConfig) {
        self.label = label
        self.config = config
    }
}

/// A Part 7 question as data: the runs it needs and what to compute from them.
public protocol FaceExperiment: Sendable {
    /// Stable id from STUDY.md (`7.1-xgboost`).
    var id: String { get }
    var title: String { get }
    func runs(for plan: FacePlan) -> [FaceExperimentRun]
    /// The computed answer, from every run's results aggregated over seeds;
    /// `testLabels` are the true classes of the test images, in order.
    func analyze(_ groups: [FaceRunGroup], testLabels: [Int32], plan: FacePlan) -> FaceAnalysis
}

/// The computed answer of one Part 7 question.
public enum FaceAnalysis: Codable, Equatable, Sendable {
    case learningRates(FaceLearningRateAnalysis)
    case logisticRegression(FaceLogisticRegressionAnalysis)
    case summary(FaceSummaryAnalysis)
    case samples(FaceSamplesAnalysis)
}

/// A Part 7 question's runs and analysis, ready for the report.
public struct FaceExperimentResult: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var groups: [FaceRunGroup]
    public var analysis: FaceAnalysis
}

/// 7.1-xgboost, -scratch, -probe, -finetune: one method over its learning rates.
public struct FaceLearningRateExperiment: FaceExperiment {
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

    public func runs(for plan: FacePlan) -> [FaceExperimentRun] {
        if method == .xgboost {
            return FacePlan.xgboostLearningRates.map { rate in
                FaceExperimentRun("eta \(formatNumber(rate))",
                                  .xgboost(learningRate: rate, rounds: plan.xgboostRounds, seed: plan.seeds[0]))
            }
        }
        return FacePlan.networkLearningRates.map { rate in
            FaceExperimentRun("lr \(formatNumber(rate))", plan.network(method, learningRate: rate))
        }
    }

    public func analyze(_ groups: [FaceRunGroup], testLabels: [Int32], plan: FacePlan) -> FaceAnalysis {
        .learningRates(FaceLearningRateAnalysis(method: method, groups: groups))
    }
}

/// 7.1-logreg: LIBLINEAR on the frozen backbone's features.
public struct FaceLogisticRegressionExperiment: FaceExperiment {
    public let id = "7.1-logreg"
    public let title = "Logistic regression on frozen features"

    public init() {}

    public func runs(for plan: FacePlan) -> [FaceExperimentRun] {
        [FaceExperimentRun("C 1", .logisticRegression(regularization: 1, backbone: plan.backbone, seed: plan.seeds[0]))]
    }

    public func analyze(_ groups: [FaceRunGroup], testLabels: [Int32], plan: FacePlan) -> FaceAnalysis {
        .logisticRegression(FaceLogisticRegressionAnalysis(groups[0]))
    }
}

/// The per-method experiments, in report order.
private let methodExperiments: [any FaceExperiment] = [
    FaceLearningRateExperiment(method: .xgboost),
    FaceLearningRateExperiment(method: .scratch),
    FaceLearningRateExperiment(method: .probe),
    FaceLogisticRegressionExperiment(),
    FaceLearningRateExperiment(method: .finetune),
]

/// Every run of the per-method experiments, labelled `<method>: <run>`.
private func allMethodRuns(_ plan: FacePlan) -> [FaceExperimentRun] {
    methodExperiments.flatMap { experiment in
        experiment.runs(for: plan).map { FaceExperimentRun("\($0.config.method.displayName), \($0.label)", $0.config) }
    }
}

/// 7.1-summary: every method at its best learning rate, side by side.
public struct FaceSummaryExperiment: FaceExperiment {
    public let id = "7.1-summary"
    public let title = "All methods compared"

    public init() {}

    public func runs(for plan: FacePlan) -> [FaceExperimentRun] { allMethodRuns(plan) }

    public func analyze(_ groups: [FaceRunGroup], testLabels: [Int32], plan: FacePlan) -> FaceAnalysis {
        .summary(FaceSummaryAnalysis(groups))
    }
}

/// 7.2: test images the best method gets right and the worst gets wrong.
public struct FaceSamplesExperiment: FaceExperiment {
    public let id = "7.2"
    public let title = "Samples that separate the best and worst methods"
    /// Images shown per comparison.
    public static let sampleCount = 5

    public init() {}

    public func runs(for plan: FacePlan) -> [FaceExperimentRun] { allMethodRuns(plan) }

    public func analyze(_ groups: [FaceRunGroup], testLabels: [Int32], plan: FacePlan) -> FaceAnalysis {
        .samples(FaceSamplesAnalysis(groups, testLabels: testLabels, count: Self.sampleCount))
    }
}

extension StudyCatalog {
    /// The Part 7 questions, in report order.
    public static let part7: [any FaceExperiment] = methodExperiments + [FaceSummaryExperiment(), FaceSamplesExperiment()]
}
