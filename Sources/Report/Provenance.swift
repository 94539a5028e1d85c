import Foundation
import Study

/// Where the renderer itself comes from: the tool's version and its source
/// checkout. Passed in by the caller, so tests can fix it.
public struct BuildInfo: Sendable, Equatable {
    /// `nnreport 0.1.0`.
    public var toolVersion: String
    /// `git rev-parse HEAD` of the current directory, or nil when it is not a git checkout.
    public var gitCommit: String?
    /// Whether `git status --porcelain` lists changes.
    public var gitDirty: Bool

    public init(toolVersion: String, gitCommit: String?, gitDirty: Bool) {
        self.toolVersion = toolVersion
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
    }

    /// The tool version with the git state of `directory` (default: the current one).
    public static func current(toolVersion: String, directory: URL? = nil) -> BuildInfo {
        let folder = directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let commit = git(["rev-parse", "HEAD"], in: folder)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !commit.isEmpty else {
            return BuildInfo(toolVersion: toolVersion, gitCommit: nil, gitDirty: false)
        }
        let status = git(["status", "--porcelain"], in: folder) ?? ""
        return BuildInfo(toolVersion: toolVersion, gitCommit: commit,
                         gitDirty: !status.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    /// Standard output of `git arguments` run in `folder`, or nil when git is missing or fails.
    private static func git(_ arguments: [String], in folder: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = folder
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The provenance footer: which tool, code, data, seeds and machine produced the
/// numbers, how long every run took, and when the runs happened (never when the
/// page was rendered, so rendering again gives the same bytes).
enum ProvenanceBuilder {
    /// - Parameter folder: where the site's files are, relative to `index.html` (`""` or `report-…/`).
    static func make(_ input: LoadedStudy, build: BuildInfo, folder: String = "") -> (view: ProvenanceView, table: Table?) {
        var items = [ProvenanceItem(label: "Tool", value: build.toolVersion, code: true)]
        let commit = build.gitCommit.map { $0 + (build.gitDirty ? " (with uncommitted changes)" : "") }
            ?? "unknown (not run from a git checkout)"
        items.append(ProvenanceItem(label: "Source code", value: commit, code: build.gitCommit != nil))
        guard !input.manifest.isEmpty else {
            items.append(ProvenanceItem(label: "Results", value: "none yet: no study has been run with this cache", code: false))
            return (ProvenanceView(items: items, runs: nil, runCount: "0 runs", totalWallTime: "0 s"), nil)
        }
        if let manifest = input.manifest.map {
            let splits = manifest.splitSizes.map(NumberText.count)
            items.append(ProvenanceItem(label: "Data", value: manifest.dataSource, code: false))
            items.append(ProvenanceItem(label: "Data SHA-256", value: manifest.dataHash, code: true))
            if splits.count == 3 {
                items.append(ProvenanceItem(label: "Splits", value: "\(splits[0]) train, \(splits[1]) validation, \(splits[2]) test points; "
                                                + "\(manifest.classNames.count) classes", code: false))
            }
            items.append(ProvenanceItem(label: "Plan", value: manifest.settings.quick
                                            ? "quick preview (--quick): small data and about a twelfth of the epochs"
                                            : "full study", code: false))
            items.append(ProvenanceItem(label: "Seeds", value: manifest.seeds.map(String.init).joined(separator: ", "), code: false))
        }
        if let faces = input.manifest.faces {
            items += faceItems(faces, backbone: input.backboneDescription ?? "")
        }
        let results = input.units.map(\.result)
        var engines: [String] = []
        for engine in results.map(\.engineVersion) where !engines.contains(engine) {
            engines.append(engine)
        }
        if !engines.isEmpty {
            items.append(ProvenanceItem(label: "Engine version", value: engines.joined(separator: ", "), code: true))
        }
        // BLAS.configuration repeats the library's name ("OpenBLAS OpenBLAS 0.3.21 …").
        let machine = input.manifest.machine.map { machine in
            "\(machine.cores) core\(machine.cores == 1 ? "" : "s"), "
                + machine.blas.replacingOccurrences(of: "OpenBLAS OpenBLAS ", with: "OpenBLAS ")
        }
        items.append(ProvenanceItem(label: "Machine of the runs", value: machine ?? "not recorded", code: false))
        if let date = results.map(\.finishedAt).filter({ !$0.isEmpty }).max() {
            items.append(ProvenanceItem(label: "Date of the runs", value: readableDate(date) + " (when the last run finished)",
                                        code: false))
        }
        let total = results.reduce(0) { $0 + $1.wallSeconds }
        let count = results.count
        let table = runTable(input)
        let view = ProvenanceView(items: items, runs: TableView(table, folder: folder), runCount: "\(count) run\(count == 1 ? "" : "s")",
                                  totalWallTime: NumberText.seconds(total))
        return (view, table)
    }

    /// What Part 7 studied: its images, plan and pretrained backbone.
    static func faceItems(_ manifest: FaceRecord, backbone: String) -> [ProvenanceItem] {
        let epochs = "\(manifest.settings.faceEpochs) epoch\(manifest.settings.faceEpochs == 1 ? "" : "s") per network run"
        let plan = (manifest.settings.quick ? "quick preview (--quick): fewer images" : "full study") + "; " + epochs
            + "; seeds " + manifest.seeds.map(String.init).joined(separator: ", ")
        return [
            ProvenanceItem(label: "Part 7 data", value: manifest.dataSource, code: false),
            ProvenanceItem(label: "Part 7 data SHA-256", value: manifest.dataHash, code: true),
            ProvenanceItem(label: "Part 7 images", value: SettingsTable.faceDataSummary(manifest), code: false),
            ProvenanceItem(label: "Part 7 plan", value: plan, code: false),
            ProvenanceItem(label: "Pretrained backbone", value: backbone, code: false),
            ProvenanceItem(label: "Backbone identity", value: manifest.backbone, code: true),
        ]
    }

    /// Every unit behind the report, in plan order (a part's backbone before its runs), with its wall time.
    static func runTable(_ input: LoadedStudy) -> Table {
        let rows = input.units.map { cached -> [Table.Cell] in
            let result = cached.result
            let outcome = result.divergence.map { "diverged at epoch \($0.epoch), iteration \(NumberText.count($0.iteration))" }
                ?? (cached.unit.kind == .backbone ? "pretrained" : "trained")
            return [.text(String(result.key.prefix(12))), .text(cached.unit.labels.joined(separator: "; ")), .text(result.summary),
                    .integer(Int(clamping: result.seed)), .number(result.wallSeconds, decimals: 2),
                    result.meanCores.map { .number($0, decimals: 1) } ?? .text("–"),
                    .text(readableDate(result.finishedAt)), .text(outcome)]
        }
        var notes = ["A run shared by several questions was trained once."]
        if input.units.contains(where: { $0.result.meanCores != nil }) {
            notes.append("Cores: the cores a run had on average over its wall time. Runs share the machine's cores: each "
                         + "has one, XGBoost, the backbone and the runs on its features every core when nothing else "
                         + "could use them, and a network run is lent a core that would otherwise be idle, so wall times "
                         + "compare work only at equal cores." + (input.units.contains { $0.result.meanCores == nil }
                            ? " A dash: a run cached before the cores were recorded." : ""))
        }
        return Table(name: "runs", caption: "Every run behind this report",
                     columns: [Table.Column("Cache key", numeric: false), Table.Column("Used by", numeric: false),
                               Table.Column("Configuration", numeric: false), Table.Column("Seed"), Table.Column("Wall time (s)"),
                               Table.Column("Cores"), Table.Column("Finished (UTC)", numeric: false),
                               Table.Column("Outcome", numeric: false)],
                     rows: rows, notes: notes)
    }

    /// `2026-11-29T03:12:45Z` → `2026-11-29 03:12:45 UTC`.
    static func readableDate(_ iso: String) -> String {
        guard iso.hasSuffix("Z"), iso.count == 20 else { return iso }
        return iso.dropLast().replacingOccurrences(of: "T", with: " ") + " UTC"
    }
}
