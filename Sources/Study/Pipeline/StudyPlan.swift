import Engine
import Foundation

/// One unit of work of a plan: a run of some kind, for one seed, with its cache key,
/// what it costs, what it depends on, and every place of the report that uses it.
public struct RunUnit: Sendable {
    /// The cache key of the unit's result.
    public let key: String
    public let kind: UnitKind
    public let part: StudyPart
    /// The run's settings in a few words.
    public let summary: String
    public let seed: UInt64
    /// Every label the unit appears under, first use first: `6.1.2-q1 lr 0.001`
    /// (with ` seed N` when there are several seeds).
    public internal(set) var labels: [String]
    /// The questions that use it, first use first.
    public internal(set) var questions: [String]
    /// Estimated cost in core-seconds (see each kind's cost model).
    public let cost: Double
    /// Keys of the units whose results this one needs first (the pretrained backbone).
    public let dependencies: [String]
    /// The hash and description of the data the unit trains on (nil for the backbone's
    /// pretraining, whose data its config determines).
    public let dataHash: String?
    public let dataSource: String?
    /// The run's config.
    public let spec: any RunSpec

    /// The first label: what progress lines call the unit.
    public var label: String { labels.first ?? summary }
}

/// A question of the plan with the units behind each of its runs.
public struct PlannedQuestion: Sendable {
    public struct Run: Sendable {
        public var label: String
        public var seed: UInt64
        public var key: String
    }

    public let question: any Question
    /// Every run of the question, for every seed, in the question's order.
    public let runs: [Run]

    public var id: String { question.id }
    public var title: String { question.title }
}

/// The ordered units of a selection of questions: each unique run once, dependencies
/// before the units of their part, then first-use order. The same plan comes out of
/// the live inputs (`StudySession.plan`) and out of the manifest (`LoadedStudy`), so
/// `run`, `render` and `list` agree on every key.
public struct StudyPlan: Sendable {
    public let questions: [PlannedQuestion]
    public let units: [RunUnit]

    /// The unit with this key.
    public func unit(_ key: String) -> RunUnit? { units.first { $0.key == key } }

    /// The parts the plan's questions belong to.
    public var parts: [StudyPart] { Array(Set(questions.map(\.question.part))).sorted() }

    /// Total estimated cost in core-seconds.
    public var cost: Double { units.reduce(0) { $0 + $1.cost } }
}

/// What a plan is made from besides the questions: for each part, the settings and the
/// identity of its data.
public struct PlanInputs: Sendable {
    public var map: (settings: StudySettings, shape: MapShape)?
    public var faces: (settings: StudySettings, shape: FaceShape, pretraining: BackbonePretraining?)?

    public init(map: (settings: StudySettings, shape: MapShape)? = nil,
                faces: (settings: StudySettings, shape: FaceShape, pretraining: BackbonePretraining?)? = nil) {
        self.map = map
        self.faces = faces
    }

    /// The inputs the manifest's records describe.
    public init(_ manifest: StudyManifest) {
        map = manifest.map.map { ($0.settings, $0.shape) }
        faces = manifest.faces.map { ($0.settings, $0.shape, $0.pretraining) }
    }
}

extension StudyPlan {
    /// The plan of `questions` on `inputs`; questions whose part has no inputs are left out.
    public init(_ questions: [any Question], inputs: PlanInputs, engineVersion: String = EngineVersion.current) {
        var builder = PlanBuilder(inputs: inputs, engineVersion: engineVersion)
        for question in questions { builder.add(question) }
        self = builder.plan()
    }
}

/// Collects the units of a plan question by question.
private struct PlanBuilder {
    let inputs: PlanInputs
    let engineVersion: String
    var questions: [PlannedQuestion] = []
    var units: [RunUnit] = []
    var index: [String: Int] = [:]
    /// Units that others depend on (the backbone's pretraining), first need first.
    var foundations: [RunUnit] = []

    init(inputs: PlanInputs, engineVersion: String) {
        self.inputs = inputs
        self.engineVersion = engineVersion
    }

    mutating func add<Q: Question>(_ question: Q) {
        guard let settings = settings(Q.Spec.part), question.isPlanned(for: settings) else { return }
        var runs: [PlannedQuestion.Run] = []
        for run in question.runs(for: settings) {
            for seed in settings.seeds {
                let config = run.config.withSeed(seed)
                let label = "\(question.id) \(run.label)" + (settings.seeds.count > 1 ? " seed \(seed)" : "")
                let key = add(config, label: label, question: question.id)
                runs.append(PlannedQuestion.Run(label: run.label, seed: seed, key: key))
            }
        }
        questions.append(PlannedQuestion(question: question, runs: runs))
    }

    /// Adds the unit of `config` (once per key), and the units it depends on, and
    /// returns its key.
    mutating func add<Spec: RunSpec>(_ config: Spec, label: String, question: String) -> String {
        let key = key(config)
        if let existing = index[key] {
            units[existing].labels.append(label)
            if !units[existing].questions.contains(question) { units[existing].questions.append(question) }
            return key
        }
        let dependencies = config.dependencies(inputs)
        for dependency in dependencies { addFoundation(dependency, for: question) }
        index[key] = units.count
        units.append(unit(config, key: key, labels: [label], questions: [question],
                          dependencies: dependencies.map { self.key($0) }))
        return key
    }

    /// Adds a unit that others depend on, labelled by the questions whose runs need it.
    mutating func addFoundation<Spec: RunSpec>(_ config: Spec, for question: String) {
        let key = key(config)
        if let existing = foundations.firstIndex(where: { $0.key == key }) {
            if !foundations[existing].questions.contains(question) {
                foundations[existing].questions.append(question)
                foundations[existing].labels = ["\(config.kind.rawValue) of " + foundations[existing].questions.joined(separator: ", ")]
            }
            return
        }
        foundations.append(unit(config, key: key, labels: ["\(config.kind.rawValue) of \(question)"], questions: [question],
                                dependencies: []))
    }

    func key<Spec: RunSpec>(_ config: Spec) -> String {
        config.key(dataHash: Spec.trainsOnPartData ? dataIdentity(Spec.part)?.hash : nil, engineVersion: engineVersion)
    }

    func unit<Spec: RunSpec>(_ config: Spec, key: String, labels: [String], questions: [String], dependencies: [String]) -> RunUnit {
        let data = Spec.trainsOnPartData ? dataIdentity(Spec.part) : nil
        return RunUnit(key: key, kind: config.kind, part: Spec.part, summary: config.summary, seed: config.seed,
                       labels: labels, questions: questions, cost: config.estimatedCost(inputs), dependencies: dependencies,
                       dataHash: data?.hash, dataSource: data?.source, spec: config)
    }

    func settings(_ part: StudyPart) -> StudySettings? {
        switch part {
        case .six: inputs.map?.settings
        case .seven: inputs.faces?.settings
        }
    }

    func dataIdentity(_ part: StudyPart) -> (hash: String, source: String)? {
        switch part {
        case .six: inputs.map.map { ($0.shape.dataHash, $0.shape.dataSource) }
        case .seven: inputs.faces.map { ($0.shape.dataHash, $0.shape.dataSource) }
        }
    }

    /// The plan: each part's foundations before the part's other units, parts in order.
    func plan() -> StudyPlan {
        let ordered = StudyPart.allCases.flatMap { part in
            foundations.filter { $0.part == part } + units.filter { $0.part == part }
        }
        return StudyPlan(questions: questions, units: ordered)
    }
}
