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
    public var wide = true
}

/// What a computed section shows: the settings used, figures, tables and
/// findings, all derived from results.
///
/// Built by the sections of this module only (its memberwise initialiser is internal).
public struct SectionContent: Sendable, Equatable {
    public var settings: Table?
    public var figures: [Figure] = []
    public var tables: [Table] = []
    /// Short sentences, each computed from the numbers.
    public var findings: [String] = []
    /// How to read the comparisons (one seed, or 95% intervals).
    public var caveat: String?
    /// Whether the findings compare settings (so a single seed deserves a caveat).
    public var compares = true
}

/// Where a section stands.
public enum SectionState: Sendable, Equatable {
    case computed(SectionContent)
    /// Its runs are not (all) in the cache; `command` computes them.
    case missing(command: String)
}

/// One question of the study as a section of the report: computed from its answer
/// when every run is cached, else "not computed" with the command that computes it.
public struct QuestionSection: Sendable {
    public let id: String
    public let title: String

    /// The section of `question`, under its id and title.
    public init(_ question: any Question) {
        id = question.id
        title = question.title
    }

    public func state(in study: LoadedStudy) -> SectionState {
        guard let entry = study.entry(id), let result = entry.result,
              let content = SectionContentBuilder.content(result, study: study) else {
            return .missing(command: RunCommandText.command(only: id, part: study.entry(id)?.part, manifest: study.manifest))
        }
        return .computed(content)
    }
}

/// A part of the study: a heading over its questions.
public struct ReportPart: Sendable {
    public var part: StudyPart
    public var title: String
    public var sections: [QuestionSection]

    public var id: String { part.rawValue }

    public init(part: StudyPart, title: String, sections: [QuestionSection]) {
        self.part = part
        self.title = title
        self.sections = sections
    }

    /// The parts of `study`'s questions, each with the sections its settings plan (an
    /// extension such as `--tune` has a section only when the study ran with it).
    public static func parts(of study: LoadedStudy) -> [ReportPart] {
        parts(of: study.questions.map(\.question))
    }

    /// The parts of `questions`, in order, each with its questions' sections.
    public static func parts(of questions: [any Question]) -> [ReportPart] {
        StudyPart.allCases.compactMap { part in
            let sections = questions.filter { $0.part == part }.map(QuestionSection.init)
            return sections.isEmpty ? nil : ReportPart(part: part, title: title(part), sections: sections)
        }
    }

    static func title(_ part: StudyPart) -> String {
        switch part {
        case .six: "MLPs on 2D points"
        case .seven: "Real or fake faces"
        }
    }
}

/// The report's sections, in order: every question id of STUDY.md.
public enum ReportCatalog {
    /// One part per part of the study, one section per question of `StudyCatalog.all`.
    public static let parts: [ReportPart] = ReportPart.parts(of: StudyCatalog.all)

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

/// The `nnreport run` command that computes a missing question under the settings its
/// part last ran with (or, when the part has never run, the other part's seeds and preset).
enum RunCommandText {
    static func command(only id: String, part: StudyPart?, manifest: StudyManifest) -> String {
        var words = ["nnreport", "run", "--only", id]
        // The part's own settings, or the other part's: its seed count is passed on only
        // where it was asked for (it differs from that part's default).
        let own = part.flatMap { part in manifest.settings(part).map { ($0, part) } }
        let source = own ?? manifest.map.map { ($0.settings, StudyPart.six) } ?? manifest.faces.map { ($0.settings, StudyPart.seven) }
        if let (settings, from) = source {
            if settings.quick { words.append("--quick") }
            if settings.tune, part == .six { words.append("--tune") }
            if let first = settings.seeds.first, first != 0 { words += ["--seed", "\(first)"] }
            let count = settings.seeds.count
            let ownDefault = StudyOptions.defaultSeeds(part ?? from, quick: settings.quick)
            if count != ownDefault && (own != nil || count != StudyOptions.defaultSeeds(from, quick: settings.quick)) {
                words += ["--seeds", "\(count)"]
            }
        }
        switch part {
        case .six:
            if let map = manifest.map, !map.dataSource.hasPrefix("built-in") { words += ["--data", shellQuoted(map.dataSource)] }
        case .seven:
            // A `--weights` file cannot be named again: the manifest keeps its name, not its path.
            if let faces = manifest.faces {
                if !faces.dataSource.hasPrefix("built-in") { words += ["--faces", shellQuoted(faces.dataSource)] }
                if faces.imageSize != 64 { words += ["--image-size", "\(faces.imageSize)"] }
                if faces.settings.faceEpochs != 1 { words += ["--face-epochs", "\(faces.settings.faceEpochs)"] }
                if faces.settings.xgboostRounds != StudySettings.defaultXGBoostRounds {
                    words += ["--xgboost-rounds", "\(faces.settings.xgboostRounds)"]
                }
            }
        case nil:
            break
        }
        return words.joined(separator: " ")
    }

    static func shellQuoted(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+:=,".contains($0)) }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
