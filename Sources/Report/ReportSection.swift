import Study

/// A figure of a section: the chart's SVG, and where it is written.
public struct Figure: Sendable, Equatable {
    /// File name without extension; the file is `figures/<name>.svg`.
    public var name: String
    /// Shown under the figure (the chart itself does not repeat it).
    public var caption: String
    /// The standalone SVG from Charts, without an XML declaration.
    public var svg: String
    /// Takes the full width of the page instead of sitting beside another figure.
    public var wide: Bool

    public init(name: String, caption: String, svg: String, wide: Bool = true) {
        self.name = name
        self.caption = caption
        self.svg = svg
        self.wide = wide
    }
}

/// What a computed section shows: the settings used, figures, tables and
/// findings, all derived from results.
public struct SectionContent: Sendable, Equatable {
    public var settings: Table?
    public var figures: [Figure]
    public var tables: [Table]
    /// Short sentences, each computed from the numbers.
    public var findings: [String]
    /// How to read the comparisons (one seed, or 95% intervals).
    public var caveat: String?
    /// Whether the findings compare settings (so a single seed deserves a caveat).
    public var compares: Bool

    public init(settings: Table? = nil, figures: [Figure] = [], tables: [Table] = [], findings: [String] = [],
                caveat: String? = nil, compares: Bool = true) {
        self.settings = settings
        self.figures = figures
        self.tables = tables
        self.findings = findings
        self.caveat = caveat
        self.compares = compares
    }
}

/// Where a section stands.
public enum SectionState: Sendable, Equatable {
    case computed(SectionContent)
    /// Its runs are not (all) in the cache; `command` computes them.
    case missing(command: String)
    /// The part of the study it belongs to does not exist yet.
    case pending(reason: String)
}

/// One question of the study as a section of the report.
///
/// Part 6 questions are ``ExperimentSection``s and Part 7 questions
/// ``FaceSection``s; a ``PendingSection`` stands for a question whose experiments
/// do not exist yet.
public protocol ReportSection: Sendable {
    /// The question id of STUDY.md (`6.1.2-q1`): the template is `sections/<id>.mustache`.
    var id: String { get }
    var title: String { get }
    func state(in input: ReportInput) -> SectionState
}

/// A question answered by an experiment of the study catalog.
public struct ExperimentSection: ReportSection {
    public let id: String
    public let title: String

    /// The section of `experiment`, under its id and title.
    public init(_ experiment: any Experiment) {
        id = experiment.id
        title = experiment.title
    }

    public func state(in input: ReportInput) -> SectionState {
        guard let manifest = input.manifest, let entry = input.entry(id), let result = entry.result else {
            return .missing(command: RunCommandText.command(only: id, manifest: input.manifest))
        }
        let context = SectionContext(result: result, runs: entry.runs, manifest: manifest)
        return .computed(SectionContentBuilder.content(context))
    }
}

/// A question whose experiments are not part of the tool yet.
public struct PendingSection: ReportSection {
    public let id: String
    public let title: String
    public let reason: String

    public init(id: String, title: String, reason: String) {
        self.id = id
        self.title = title
        self.reason = reason
    }

    public func state(in input: ReportInput) -> SectionState {
        .pending(reason: reason)
    }
}

/// A part of the study: a heading over several questions.
public struct ReportPart: Sendable {
    public var id: String
    public var title: String
    public var sections: [any ReportSection]

    public init(id: String, title: String, sections: [any ReportSection]) {
        self.id = id
        self.title = title
        self.sections = sections
    }
}

/// The report's sections, in order: every question id of STUDY.md.
public enum ReportCatalog {
    /// Part 6 (one ``ExperimentSection`` per experiment of `StudyCatalog.part6`)
    /// and Part 7 (one ``FaceSection`` per experiment of `StudyCatalog.part7`).
    public static let parts: [ReportPart] = [
        ReportPart(id: "6", title: "MLPs on 2D points", sections: StudyCatalog.part6.map(ExperimentSection.init)),
        ReportPart(id: "7", title: "Real or fake faces", sections: StudyCatalog.part7.map(FaceSection.init)),
    ]

    /// Every question id, in report order.
    public static var sectionIDs: [String] { parts.flatMap { $0.sections.map(\.id) } }

    /// `6.1.2 Q1` for `6.1.2-q1`, `7.1` for `7.1-xgboost`, `7.2` for `7.2`.
    static func label(_ id: String) -> String {
        if let range = id.range(of: "-q") {
            return id[..<range.lowerBound] + " Q" + id[range.upperBound...]
        }
        return id.split(separator: "-").first.map(String.init) ?? id
    }
}

/// The `nnreport run` command that computes a missing question under the same plan.
enum RunCommandText {
    static func command(only id: String, manifest: StudyManifest?) -> String {
        var words = ["nnreport", "run", "--only", id]
        if let manifest {
            if manifest.quick { words.append("--quick") }
            if let first = manifest.seeds.first, first != 0 { words += ["--seed", "\(first)"] }
            if manifest.seeds.count > 1 { words += ["--seeds", "\(manifest.seeds.count)"] }
            if !manifest.dataSource.hasPrefix("built-in") { words += ["--data", shellQuoted(manifest.dataSource)] }
        }
        return words.joined(separator: " ")
    }

    /// The command for a Part 7 question, repeating the plan of the last Part 7 run
    /// (or of the Part 6 run when Part 7 has never run). A `--weights` file cannot be
    /// named again: the manifest keeps its hash, not its path.
    static func faceCommand(only id: String, faces: FaceManifest?, study: StudyManifest?) -> String {
        var words = ["nnreport", "run", "--only", id]
        let quick = faces?.quick ?? study?.quick ?? false
        let seeds = faces?.seeds ?? study?.seeds ?? []
        if quick { words.append("--quick") }
        if let first = seeds.first, first != 0 { words += ["--seed", "\(first)"] }
        if seeds.count > 1 { words += ["--seeds", "\(seeds.count)"] }
        if let faces {
            if !faces.dataSource.hasPrefix("built-in") { words += ["--faces", shellQuoted(faces.dataSource)] }
            if faces.imageSize != 64 { words += ["--image-size", "\(faces.imageSize)"] }
            if faces.epochs != 1 { words += ["--face-epochs", "\(faces.epochs)"] }
            if let rounds = faces.xgboostRounds, rounds != FacePlan.defaultXGBoostRounds {
                words += ["--xgboost-rounds", "\(rounds)"]
            }
        }
        return words.joined(separator: " ")
    }

    static func shellQuoted(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+:=,".contains($0)) }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
