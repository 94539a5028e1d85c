/// One run of an experiment: a label for tables and legends, and its configuration
/// (for the plan's first seed; the runner repeats it for every seed).
public struct ExperimentRun: Sendable, Equatable {
    public var label: String
    public var config: RunConfig

    public init(_ label: String, _ config: RunConfig) {
        self.label = label
        self.config = config
    }
}

/// A study question as data: the runs it needs and what to compute from them.
///
/// Experiments never train anything themselves; the runner trains (or reuses from
/// the cache) every run of every selected experiment, and `analyze` turns the
/// finished results into the numbers the report shows.
public protocol Experiment: Sendable {
    /// Stable id from STUDY.md (`6.1.2-q1`), used in file names and `--only`.
    var id: String { get }
    /// One-line title (`Learning rate`).
    var title: String { get }
    /// The runs this question needs under `plan`.
    func runs(for plan: StudyPlan) -> [ExperimentRun]
    /// The computed answer, from every run's results (one per seed, in seed order).
    func analyze(_ groups: [RunGroup], results: [[RunResult]], plan: StudyPlan) -> ExperimentAnalysis
}

/// The experiments of the study, in report order.
public enum StudyCatalog {
    public static let part6: [any Experiment] = [
        LearningRateExperiment(),
        EpochsExperiment(),
        BatchNormExperiment(),
        BatchSizeExperiment(),
        ModelGridExperiment(id: "6.2-q1", selection: .best),
        ModelGridExperiment(id: "6.2-q2", selection: .worst),
        ModelGridExperiment(id: "6.2-q3", selection: .depth),
        ModelGridExperiment(id: "6.2-q4", selection: .width),
        GradientExperiment(),
        GradientCureExperiment(),
        SineFeatureExperiment(),
    ]

    public static var all: [any Experiment] { part6 }

    /// The experiments matching `filters`: each filter is an id or an id prefix ending
    /// at a `.` or `-` boundary (`6`, `6.2`, `6.2-q5`). Throws on a filter matching nothing.
    public static func select(_ filters: [String]?, from experiments: [any Experiment] = all) throws -> [any Experiment] {
        guard let filters, !filters.isEmpty else { return experiments }
        for filter in filters where !experiments.contains(where: { matches($0.id, filter) }) {
            throw StudyError.unknownExperiment(filter, known: experiments.map(\.id))
        }
        return experiments.filter { experiment in filters.contains { matches(experiment.id, $0) } }
    }

    /// The Part 6 and Part 7 experiments matching `filters` (all of both without
    /// filters). Throws on a filter matching nothing in either part.
    public static func selection(_ filters: [String]?) throws -> (part6: [any Experiment], part7: [any FaceExperiment]) {
        guard let filters, !filters.isEmpty else { return (all, part7) }
        let ids = all.map(\.id) + part7.map(\.id)
        for filter in filters where !ids.contains(where: { matches($0, filter) }) {
            throw StudyError.unknownExperiment(filter, known: ids)
        }
        return (all.filter { experiment in filters.contains { matches(experiment.id, $0) } },
                part7.filter { experiment in filters.contains { matches(experiment.id, $0) } })
    }

    static func matches(_ id: String, _ filter: String) -> Bool {
        id == filter || id.hasPrefix(filter + ".") || id.hasPrefix(filter + "-")
    }
}

/// Errors of the study layer, each with a message for the user.
public enum StudyError: Error, CustomStringConvertible, Equatable {
    case unknownExperiment(String, known: [String])
    case invalidOption(String)

    public var description: String {
        switch self {
        case .unknownExperiment(let filter, let known):
            "no experiment matches \"\(filter)\"; the ids are \(known.joined(separator: ", "))"
        case .invalidOption(let message):
            message
        }
    }
}
