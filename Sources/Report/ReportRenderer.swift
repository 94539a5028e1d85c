import Charts
import Foundation
import Study
import Support

/// One file of the rendered site, by its path relative to the site's root.
public struct SiteFile: Sendable, Equatable {
    public var path: String
    public var data: Data

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }

    public init(path: String, text: String) {
        self.init(path: path, data: Data(text.utf8))
    }

    /// The contents as UTF-8 text.
    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// The whole report in memory: `index.html`, `style.css`, `figures/*.svg`,
/// `tables/*.csv` and `results.json`.
public struct Site: Sendable {
    public var files: [SiteFile]

    /// The file at `path`, if the site has one.
    public func file(_ path: String) -> SiteFile? {
        files.first { $0.path == path }
    }
}

/// Turns cached results into the report's files, with the user's templates.
///
/// Deterministic: the same input, templates and build info give byte-identical
/// files (no render time is recorded; the date shown is that of the runs).
public struct ReportRenderer: Sendable {
    public let templates: TemplateSet
    public let build: BuildInfo
    /// The sections to render; nil for those of the study rendered (every question its
    /// settings plan).
    public let parts: [ReportPart]?

    /// - Parameters:
    ///   - templates: loaded and checked with ``TemplateSet/load(from:displayPath:sectionIDs:)``.
    ///   - build: the tool version and git state for the provenance footer.
    ///   - parts: the sections to render, in order (default: every question the study plans).
    public init(templates: TemplateSet, build: BuildInfo, parts: [ReportPart]? = nil) {
        self.templates = templates
        self.build = build
        self.parts = parts
    }

    /// Every file of the report, in memory, sorted by path. Nothing is written:
    /// ``SitePublisher`` does that.
    public func render(_ input: LoadedStudy) throws -> Site {
        let parts = self.parts ?? ReportPart.parts(of: input)
        let sections = parts.flatMap(\.sections)
        // Charts (decision maps above all) dominate the time; sections are independent.
        let states = CoreBudget.machine().map(count: sections.count) { sections[$0].state(in: input) }
        var files: [SiteFile] = []
        var views: [String: SectionView] = [:]
        for (section, state) in zip(sections, states) {
            let (view, sectionFiles) = Self.sectionView(section, state: state)
            views[section.id] = view
            files += sectionFiles
        }
        let partViews = parts.map { part in
            PartView(anchor: "part-" + Anchor.make(part.id), label: "Part \(part.id)", title: part.title,
                     intro: PartIntro.text(part.part, input: input), sections: part.sections.compactMap { views[$0.id] })
        }
        let provenance = ProvenanceBuilder.make(input, build: build)
        if let table = provenance.table { files.append(SiteFile(path: "tables/\(table.name).csv", text: table.csv())) }
        var resultsFile: String?
        if !input.manifest.isEmpty {
            do {
                files.append(SiteFile(path: "results.json", data: try input.document.encoded()))
            } catch {
                throw ReportError.io(path: "results.json", message: "cannot be encoded (\(error))")
            }
            resultsFile = "results.json"
        }
        let computed = states.filter { if case .computed = $0 { true } else { false } }.count
        let page = PageView(title: "Neural-network study report", lead: PartIntro.lead(input, computed: computed, total: sections.count,
                                                                                        build: build),
                            stylesheet: TemplateSet.stylesheetName, parts: partViews, provenance: provenance.view,
                            resultsFile: resultsFile)
        files.append(SiteFile(path: "index.html", text: templates.renderPage(page)))
        files.append(SiteFile(path: TemplateSet.stylesheetName, data: templates.stylesheet))
        return Site(files: files.sorted { $0.path < $1.path })
    }

    /// The view of one section and the files it adds (figures and CSV tables).
    static func sectionView(_ section: QuestionSection, state: SectionState) -> (SectionView, [SiteFile]) {
        var files: [SiteFile] = []
        var content = SectionContent()
        var command: String?
        let status: (text: String, cssClass: String)
        switch state {
        case .computed(let computed):
            content = computed
            status = ("computed", "computed")
        case .missing(let text):
            command = text
            status = ("not computed", "missing")
        }
        let figures = content.figures.map { figure -> FigureView in
            let file = "figures/\(figure.name).svg"
            files.append(SiteFile(path: file, text: StandaloneSVG.document(figure.svg)))
            return FigureView(anchor: "fig-" + Anchor.make(figure.name), caption: figure.caption, file: file, svg: figure.svg,
                              wide: figure.wide)
        }
        let tables = ([content.settings].compactMap { $0 } + content.tables).map { table -> TableView in
            files.append(SiteFile(path: "tables/\(table.name).csv", text: table.csv()))
            return TableView(table)
        }
        let view = SectionView(
            id: section.id, anchor: "q-" + Anchor.make(section.id), label: ReportCatalog.label(section.id), title: section.title,
            template: TemplateSet.sectionFolder + "/" + section.id,
            computed: status.cssClass == "computed", missing: status.cssClass == "missing",
            status: status.text, statusClass: status.cssClass, command: command,
            settings: content.settings == nil ? nil : tables.first, figures: figures,
            tables: Array(tables.dropFirst(content.settings == nil ? 0 : 1)), findings: content.findings, caveat: content.caveat,
            hasFigures: !figures.isEmpty, hasTables: tables.count > (content.settings == nil ? 0 : 1),
            hasFindings: !content.findings.isEmpty)
        return (view, files)
    }
}

/// The computed sentences that introduce the report and its parts.
enum PartIntro {
    static func lead(_ input: LoadedStudy, computed: Int, total: Int, build: BuildInfo) -> String {
        guard let settings = input.manifest.map?.settings ?? input.manifest.faces?.settings else {
            return "No results yet: run `nnreport run` (or `nnreport run --quick` for a preview in seconds), then render again."
        }
        let seedCount = settings.seeds.count
        let seeds = seedCount == 1 ? "one seed" : "\(seedCount) seeds"
        let plan = settings.quick ? ", as a quick preview with small data and few epochs" : ""
        let runs = input.trainingRuns.count
        return "\(computed) of \(total) questions are answered here from \(runs) cached training runs with \(seeds)\(plan). "
            + "Every figure, table and finding is computed from those runs by \(build.toolVersion)."
    }

    static func text(_ part: StudyPart, input: LoadedStudy) -> String {
        switch part {
        case .six:
            var text = "Multilayer perceptrons learn to name the region of a point from its longitude and latitude"
            if let manifest = input.manifest.map {
                text += ": \(manifest.classNames.count) classes, data from \(manifest.dataSource)"
            }
            return text + ". Inputs are raw degrees, without normalisation."
        case .seven:
            var text = "Classifiers tell real face photographs from generated ones: XGBoost on pixels, ResNet18 trained from scratch, "
                + "linear probes and logistic regression on pretrained features, and fine-tuning"
            if let manifest = input.manifest.faces {
                text += ". Images: \(manifest.dataSource), " + SettingsTable.faceDataSummary(manifest)
                    + ". Pretrained backbone: \(input.backboneDescription ?? "")"
            }
            return text + "."
        }
    }
}
