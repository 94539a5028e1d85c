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
///
/// As published (``SiteLayout/versioned``), every file but `index.html` lies in one
/// folder named after their content, `report-<16 hex digits of SHA-256>/`, and the
/// page links into it: a new report never overwrites the files an older page
/// links to, so replacing `index.html` switches the whole report at once.
public struct Site: Sendable {
    public var files: [SiteFile]
    /// The folder of every file but `index.html` (`report-…`), nil in the flat layout.
    public var folder: String?

    public init(files: [SiteFile], folder: String? = nil) {
        self.files = files
        self.folder = folder
    }

    /// The file at `path` (`tables/runs.csv`), in the folder of the site's files when it has one.
    public func file(_ path: String) -> SiteFile? {
        files.first { $0.path == path } ?? folder.flatMap { folder in files.first { $0.path == folder + "/" + path } }
    }

    /// `report-` and the first 16 hex digits of the SHA-256 of `files` (paths and bytes, in path order).
    static func folderName(for files: [SiteFile]) -> String {
        var hasher = SHA256()
        for file in files.sorted(by: { $0.path < $1.path }) {
            hasher.update(Array(file.path.utf8) + [0] + Array(String(file.data.count).utf8) + [0])
            hasher.update(Array(file.data))
        }
        return "report-" + hasher.finalizeHex().prefix(16)
    }
}

/// Where the files of a rendered site go.
public enum SiteLayout: Sendable {
    /// Every file at its own path (`figures/x.svg`), as tests and tools read them.
    case flat
    /// `index.html` at the top, every other file under `report-<content digest>/`: how sites are published.
    case versioned
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
    public func render(_ input: LoadedStudy, layout: SiteLayout = .flat) throws -> Site {
        let parts = self.parts ?? ReportPart.parts(of: input)
        let sections = parts.flatMap(\.sections)
        // Charts (decision maps above all) dominate the time; sections are independent.
        let states = CoreBudget.machine().map(count: sections.count) { sections[$0].state(in: input) }
        // First the files the page links to, which name the folder they are published in.
        var files: [SiteFile] = []
        for (section, state) in zip(sections, states) { files += Self.sectionView(section, state: state, folder: "").files }
        if let table = ProvenanceBuilder.make(input, build: build).table {
            files.append(SiteFile(path: "tables/\(table.name).csv", text: table.csv()))
        }
        var resultsFile: String?
        if !input.manifest.isEmpty {
            do {
                files.append(SiteFile(path: "results.json", data: try input.document.encoded()))
            } catch {
                throw ReportError.io(path: "results.json", message: "cannot be encoded (\(error))")
            }
            resultsFile = "results.json"
        }
        files.append(SiteFile(path: TemplateSet.stylesheetName, data: templates.stylesheet))
        let folder: String? = layout == .versioned ? Site.folderName(for: files) : nil
        let prefix = folder.map { $0 + "/" } ?? ""

        var views: [String: SectionView] = [:]
        for (section, state) in zip(sections, states) {
            views[section.id] = Self.sectionView(section, state: state, folder: prefix).view
        }
        let partViews = parts.map { part in
            PartView(anchor: "part-" + Anchor.make(part.id), label: "Part \(part.id)", title: part.title,
                     intro: PartIntro.text(part.part, input: input), sections: part.sections.compactMap { views[$0.id] })
        }
        let provenance = ProvenanceBuilder.make(input, build: build, folder: prefix)
        let computed = states.filter { if case .computed = $0 { true } else { false } }.count
        let page = PageView(title: "Neural-network study report", lead: PartIntro.lead(input, computed: computed, total: sections.count,
                                                                                        build: build),
                            stylesheet: prefix + TemplateSet.stylesheetName, parts: partViews, provenance: provenance.view,
                            resultsFile: resultsFile.map { prefix + $0 })
        files = files.map { SiteFile(path: prefix + $0.path, data: $0.data) }
        files.append(SiteFile(path: "index.html", text: templates.renderPage(page)))
        return Site(files: files.sorted { $0.path < $1.path }, folder: folder)
    }

    /// The view of one section and the files it adds (figures and CSV tables).
    /// - Parameter folder: where the files are, relative to `index.html` (`""` or `report-…/`), for the links.
    static func sectionView(_ section: QuestionSection, state: SectionState, folder: String) -> (view: SectionView, files: [SiteFile]) {
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
            return FigureView(anchor: "fig-" + Anchor.make(figure.name), caption: figure.caption, file: folder + file, svg: figure.svg,
                              wide: figure.wide)
        }
        let tables = ([content.settings].compactMap { $0 } + content.tables).map { table -> TableView in
            files.append(SiteFile(path: "tables/\(table.name).csv", text: table.csv()))
            return TableView(table, folder: folder)
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
        func seeds(_ count: Int) -> String { count == 1 ? "one seed" : "\(count) seeds" }
        let seedText: String
        switch (input.manifest.map?.settings.seeds.count, input.manifest.faces?.settings.seeds.count) {
        case let (six?, seven?) where six != seven: seedText = "\(seeds(six)) in Part 6 and \(seeds(seven)) in Part 7"
        default: seedText = seeds(settings.seeds.count)
        }
        let plan = settings.quick ? ", as a quick preview with small data and few epochs" : ""
        let runs = input.units.count
        let pretraining = input.units.count - input.trainingRuns.count
        let runText = "\(runs) cached run\(runs == 1 ? "" : "s")" + (pretraining > 0 ? " (the backbone's pretraining among them)" : "")
        return "\(computed) of \(total) questions are answered here from \(runText) with \(seedText)\(plan). "
            + "Every figure, table and finding is computed from those runs by \(build.toolVersion)."
    }

    /// What the built-in faces are, for readers who might take them for photographs.
    static func builtInFaces(strength: Double, ownBackbone: Bool) -> String {
        let flaws = strength == 0
            ? "At strength 0, as here, fakes carry none of them: the two classes cannot be told apart."
            : "Their strength was calibrated by measurement so that the study is informative the way the course's "
                + "study of photographs and StyleGAN images was; nothing in it is fixed to win."
        return "The built-in faces are a designed miniature of that task, not photographs: procedural portraits "
            + "of which each fake carries its own random subset of the flaws generated faces are known for, at "
            + "three scales (the checkerboard trace of upsampling layers; over-smooth skin, hair and grain; eyes, "
            + "earrings or glasses that do not match left and right, small droplets in the background and hair "
            + "bleeding into it). " + flaws
            // The backbone's description (just before) names its classes; this says what it never saw.
            + (ownBackbone ? " Our own backbone was pretrained on shapes and other portraits, never on the real/fake labels." : "")
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
                if let strength = manifest.shape.builtInStrength {
                    return text + ". " + builtInFaces(strength: strength, ownBackbone: manifest.pretraining != nil)
                }
            }
            return text + "."
        }
    }
}

extension TemplateSet {
    /// Renders the page layout with `page` as its context.
    func renderPage(_ page: PageView) -> String {
        render(page, template: Self.layoutName)
    }
}
