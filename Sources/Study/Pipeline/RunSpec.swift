import Engine
import Support

/// The two parts of the study. A part groups questions in the report and owns one
/// kind of input data: Part 6 the 2D map, Part 7 the face images.
public enum StudyPart: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    case six = "6"
    case seven = "7"

    public static func < (a: StudyPart, b: StudyPart) -> Bool { a.rawValue < b.rawValue }
}

/// What a unit of the plan is, for the scheduler's choice of cores, its cost model and
/// the way `list` and `plan` name it.
public enum UnitKind: String, Codable, Hashable, Sendable {
    /// An MLP on the 2D map (Part 6): small matrices, one core.
    case mlp
    /// A ResNet18 trained from scratch or fine-tuned (Part 7): one core, so that two run
    /// side by side, which does more images a second than one run on two cores.
    case resnet
    /// Gradient-boosted trees on the flattened images (Part 7): XGBoost's threads on every core.
    case xgboost
    /// Linear probing: a final layer trained on the frozen backbone's features (Part 7).
    case probe
    /// LIBLINEAR on the frozen backbone's features (Part 7).
    case logisticRegression = "logreg"
    /// Our own backbone pretrained on the synthetic source task (Part 7): every core.
    case backbone

    /// Whether the unit may use every core (else always one). XGBoost, the backbone,
    /// probing and logistic regression get every core when nothing else could use the
    /// others, one when other work would keep them busy (``Scheduler/cores(for:)``):
    /// XGBoost's threads scale perfectly and a ResNet18 does more images a second per
    /// core on one core, so one core costs them nothing per core-second.
    public var usesEveryCore: Bool {
        switch self {
        case .mlp, .resnet: false
        case .xgboost, .backbone, .probe, .logisticRegression: true
        }
    }

    /// Whether the unit's work can use more cores while it runs: a ResNet18's layers read
    /// their budget at every call, so the scheduler lends such a unit a core that no
    /// waiting unit can use (at the end of a plan, the last run alone) and takes it back
    /// when one can. XGBoost fixes its threads when it starts; an MLP uses one core; of
    /// the runs on the frozen features only the one computing them can use more.
    public var growsIntoIdleCores: Bool {
        switch self {
        case .resnet, .backbone, .probe, .logisticRegression: true
        case .mlp, .xgboost: false
        }
    }

    /// Whether the unit works on the frozen backbone's features, which the first such
    /// unit of a process computes and the others share (a fraction of a second each
    /// once they exist): the scheduler starts the others after the first has finished,
    /// so none waits for the features beside an idle core.
    public var sharesFrozenFeatures: Bool {
        switch self {
        case .probe, .logisticRegression: true
        case .mlp, .resnet, .xgboost, .backbone: false
        }
    }
}

/// The configuration of one run of the study: a kind of run unit.
///
/// Equal configs on equal data give bit-identical results, so a config (with the
/// data's hash and the engine version, see ``CacheKey``) is its result's cache key.
/// Part 6's MLP runs (``MLPRun``), Part 7's network and baseline runs (``FaceRun``)
/// and the backbone pretraining (``BackbonePretraining``) conform; everything else
/// of the pipeline (plan, scheduler, cache, groups over seeds, analyses) is shared.
public protocol RunSpec: Codable, Hashable, Sendable {
    /// What a run of this kind computes, stored in the cache beside its config.
    associatedtype Outcome: RunOutcome
    /// What the report needs of a group of runs that differ only in their seed.
    associatedtype Aggregate: Codable, Equatable, Sendable

    static var part: StudyPart { get }
    /// Whether the run trains on its part's data (so the data's hash is in its key);
    /// false for runs whose config determines their data.
    static var trainsOnPartData: Bool { get }
    var kind: UnitKind { get }
    var seed: UInt64 { get }
    /// The same run with another seed.
    func withSeed(_ seed: UInt64) -> Self
    /// The run's settings in a few words: `6x16 BN, Adam lr 0.001, batch 256, 50 epochs`.
    var summary: String { get }
    /// The cache key of this run on data with `dataHash` (nil for runs whose data
    /// their config determines), under `engineVersion`.
    func key(dataHash: String?, engineVersion: String) -> String
    /// Estimated cost in core-seconds on the plan's inputs, for the scheduler's order
    /// and the progress bar's ETA.
    func estimatedCost(_ inputs: PlanInputs) -> Double
    /// The runs whose results this one needs before it can start (the pretrained
    /// backbone of the runs that start from it), on the plan's inputs.
    func dependencies(_ inputs: PlanInputs) -> [any RunSpec]
    /// The aggregate of the runs of one group, one per seed in seed order.
    static func aggregate(_ results: [RunResult<Self>]) -> Aggregate
    /// Trains the run: the only place where this kind of config becomes a model and
    /// a training procedure.
    func execute(_ context: UnitContext) throws -> Outcome
}

extension RunSpec {
    public static var trainsOnPartData: Bool { true }
    public func dependencies(_ inputs: PlanInputs) -> [any RunSpec] { [] }
}

/// The outcome of a run, as the pipeline reads it whatever the kind of run.
public protocol RunOutcome: Codable, Equatable, Sendable {
    /// Where training stopped because a loss became infinite or NaN.
    var divergence: Divergence? { get }
    /// The progress line's few words: `val acc 0.930`, `test acc 0.812`.
    var status: String { get }
}

/// What a unit's training may use: its share of the cores, the study's inputs
/// (resolved once, shared read-only), and a callback for progress.
public struct UnitContext: @unchecked Sendable {
    /// The cores the scheduler gave this unit.
    public let cores: CoreBudget
    /// The study's inputs: data, face images, the pretrained backbone.
    public let inputs: StudyInputs
    /// Receives the fraction of the unit done so far, 0...1.
    public let progress: (Double) -> Void

    public init(cores: CoreBudget, inputs: StudyInputs, progress: @escaping (Double) -> Void = { _ in }) {
        self.cores = cores
        self.inputs = inputs
        self.progress = progress
    }
}

/// `0.001`, `1e-05` → `0.00001`, `1`: a learning rate as a reader writes it.
public func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    var text = String(format: "%.10f", value)
    while text.hasSuffix("0") { text.removeLast() }
    return text
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
