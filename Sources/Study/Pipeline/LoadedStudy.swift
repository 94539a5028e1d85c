import Engine
import Foundation
import Support

/// A unit's cached result, as provenance reads it whatever the kind of run.
public protocol StoredRun: Sendable {
    var key: String { get }
    var engineVersion: String { get }
    var wallSeconds: Double { get }
    /// The cores the run had on average, nil when its entry did not record them.
    var meanCores: Double? { get }
    var finishedAt: String { get }
    /// Where training stopped because a loss became infinite or NaN.
    var divergence: Divergence? { get }
    /// The run's settings in a few words.
    var summary: String { get }
    var seed: UInt64 { get }
}

extension RunResult: StoredRun {
    public var divergence: Divergence? { outcome.divergence }
    public var summary: String { config.summary }
    public var seed: UInt64 { config.seed }
}

/// A question of the catalog with its answer, or nil while some of its runs are not cached.
public struct QuestionEntry: Sendable {
    public let question: any Question
    public let result: (any AnsweredQuestion)?

    public var id: String { question.id }
    public var part: StudyPart { question.part }
}

/// A unit of the plan whose result is cached, with the labels it appears under.
public struct CachedUnit: Sendable {
    public let unit: RunUnit
    public let result: any StoredRun
}

/// Everything the report is made of: the manifest, every question of the catalog with
/// its answer (or nil), and every cached unit behind them. Built from the cache alone
/// (``load(cache:questions:)``), without data files or training, or from results in
/// memory.
public struct LoadedStudy: Sendable {
    public let manifest: StudyManifest
    /// Every question the manifest's settings plan (an extension such as `--tune` only
    /// when its part ran with it), in report order.
    public let questions: [QuestionEntry]
    /// The plan of every question on the manifest's inputs.
    public let plan: StudyPlan
    /// The plan's units that have results, in plan order.
    public let units: [CachedUnit]
    /// One sentence on the pretrained backbone of Part 7, when Part 7 has run.
    public let backboneDescription: String?

    /// Analyses `results` (keyed by cache key) under the manifest's records; results
    /// the plan does not ask for are ignored.
    public init(manifest: StudyManifest, results: [String: any StoredRun], questions: [any Question] = StudyCatalog.all) {
        self.manifest = manifest
        let questions = questions.filter { question in
            question.isPlanned(for: manifest.settings(question.part) ?? StudySettings())
        }
        plan = StudyPlan(questions, inputs: PlanInputs(manifest))
        let planned = Dictionary(plan.questions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.questions = questions.map { question in
            QuestionEntry(question: question, result: planned[question.id].flatMap {
                Self.answer(question, planned: $0, results: results, manifest: manifest)
            })
        }
        units = plan.units.compactMap { unit in results[unit.key].map { CachedUnit(unit: unit, result: $0) } }
        backboneDescription = manifest.faces.map { faces in
            if let name = faces.weightsFile { return BackboneStore.describe(weightsFile: name, identity: faces.backbone) }
            guard let pretraining = faces.pretraining,
                  let record = results[pretraining.key(dataHash: nil, engineVersion: EngineVersion.current)]
                    as? RunResult<BackbonePretraining> else {
                return "our own ResNet18, pretrained on synthetic images (its record is missing from the cache)"
            }
            return BackboneStore.describe(record)
        }
    }

    /// Reads the manifest and every result its plan needs from `cache`. Nothing run
    /// yet gives a study where every question is unanswered.
    public static func load(cache: ResultCache, questions: [any Question] = StudyCatalog.all) throws -> LoadedStudy {
        let manifest = try StudyManifest.load(from: cache.directory)
        let units = StudyPlan(questions, inputs: PlanInputs(manifest)).units
        // Decoding dominates; the files are independent.
        let loaded = CoreBudget.machine().map(count: units.count) { index in Self.load(units[index].spec, key: units[index].key, cache: cache) }
        var results: [String: any StoredRun] = [:]
        for (unit, result) in zip(units, loaded) { results[unit.key] = result }
        return LoadedStudy(manifest: manifest, results: results, questions: questions)
    }

    private static func load<Spec: RunSpec>(_ spec: Spec, key: String, cache: ResultCache) -> (any StoredRun)? {
        cache.load(RunResult<Spec>.self, key: key)
    }

    /// The answer of `question`: its groups over seeds and its analysis, when every
    /// run of every seed has a result.
    private static func answer<Q: Question>(_ question: Q, planned: PlannedQuestion, results: [String: any StoredRun],
                                            manifest: StudyManifest) -> (any AnsweredQuestion)? {
        var groups: [RunGroup<Q.Spec>] = [], runs: [[RunResult<Q.Spec>]] = []
        var labels: [String] = []
        for run in planned.runs where !labels.contains(run.label) { labels.append(run.label) }
        for label in labels {
            let seeds = planned.runs.filter { $0.label == label }.compactMap { results[$0.key] as? RunResult<Q.Spec> }
            guard seeds.count == planned.runs.filter({ $0.label == label }).count, !seeds.isEmpty else { return nil }
            groups.append(RunGroup(label: label, results: seeds))
            runs.append(seeds)
        }
        return QuestionResult(id: question.id, title: question.title, groups: groups,
                              analysis: question.analyze(groups, results: runs, manifest: manifest), runs: runs)
    }

    /// The entry of the question with this id.
    public func entry(_ id: String) -> QuestionEntry? {
        questions.first { $0.id == id }
    }

    /// The answer of the question with this id, when it is computed and its runs are of kind `Spec`.
    public func result<Spec: RunSpec>(_ id: String, as type: Spec.Type = Spec.self) -> QuestionResult<Spec>? {
        entry(id)?.result as? QuestionResult<Spec>
    }

    /// How many questions have answers.
    public var computedCount: Int { questions.filter { $0.result != nil }.count }

    /// The cached units that train on data (every one but the backbone's pretraining).
    public var trainingRuns: [CachedUnit] { units.filter { $0.unit.kind != .backbone } }

    /// `results.json`: every computed answer with the runs behind it, for the parts that exist.
    public var document: ResultsDocument { ResultsDocument(self) }
}

/// `results.json`: Part 6's answers at the top level (its data, seeds and questions),
/// Part 7's under `faces` (with its images' size, epochs and backbone); each part only
/// when it has been run. Key-sorted, so equal studies give equal bytes.
public struct ResultsDocument: Encodable, Sendable {
    struct Part: Encodable, Sendable {
        var dataSource: String
        var dataHash: String
        var seeds: [UInt64]
        var quick: Bool
        var experiments: [any AnsweredQuestion]
        /// Ids of the part's questions whose runs are not all computed yet.
        var missing: [String]
        var imageSize: Int?
        var epochs: Int?
        var backbone: String?
        var backboneDescription: String?

        enum CodingKeys: String, CodingKey {
            case dataSource, dataHash, seeds, quick, experiments, missing, imageSize, epochs, backbone, backboneDescription
        }

        init(_ study: LoadedStudy, part: StudyPart, settings: StudySettings, dataHash: String, dataSource: String) {
            let entries = study.questions.filter { $0.part == part }
            self.dataSource = dataSource
            self.dataHash = dataHash
            seeds = settings.seeds
            quick = settings.quick
            experiments = entries.compactMap(\.result)
            missing = entries.filter { $0.result == nil }.map(\.id)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(dataSource, forKey: .dataSource)
            try container.encode(dataHash, forKey: .dataHash)
            try container.encode(seeds, forKey: .seeds)
            try container.encode(quick, forKey: .quick)
            var list = container.nestedUnkeyedContainer(forKey: .experiments)
            for question in experiments { try list.encode(question) }
            try container.encode(missing, forKey: .missing)
            try container.encodeIfPresent(imageSize, forKey: .imageSize)
            try container.encodeIfPresent(epochs, forKey: .epochs)
            try container.encodeIfPresent(backbone, forKey: .backbone)
            try container.encodeIfPresent(backboneDescription, forKey: .backboneDescription)
        }
    }

    var map: Part?
    var faces: Part?

    init(_ study: LoadedStudy) {
        map = study.manifest.map.map { Part(study, part: .six, settings: $0.settings, dataHash: $0.dataHash, dataSource: $0.dataSource) }
        faces = study.manifest.faces.map { record in
            var part = Part(study, part: .seven, settings: record.settings, dataHash: record.dataHash, dataSource: record.dataSource)
            part.imageSize = record.imageSize
            part.epochs = record.settings.faceEpochs
            part.backbone = record.backbone
            part.backboneDescription = study.backboneDescription
            return part
        }
    }

    private enum CodingKeys: String, CodingKey { case faces }

    public func encode(to encoder: any Encoder) throws {
        try map?.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(faces, forKey: .faces)
    }

    /// The document as pretty, key-sorted JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }
}
