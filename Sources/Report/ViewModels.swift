/// The values the Mustache templates see. Every property is text, a flag or a
/// list of these, already formatted: templates decide layout only, and every
/// piece of text is inserted with `{{ }}` (HTML-escaped). The one exception is a
/// figure's `svg`, produced by Charts (which escapes its own text) and inserted
/// with `{{{svg}}}`.
///
/// `Templates/README.md` lists these names for template authors.
struct PageView {
    let title: String
    /// One or two sentences under the title: what was studied, on which data, how many seeds.
    let lead: String
    let stylesheet: String
    let parts: [PartView]
    let provenance: ProvenanceView
    /// `results.json` when it was written, else nil.
    let resultsFile: String?
}

struct PartView {
    let anchor: String
    /// `Part 6`.
    let label: String
    let title: String
    /// What the part is about, computed from the data it used.
    let intro: String
    let sections: [SectionView]
}

struct SectionView {
    let id: String
    let anchor: String
    /// `6.1.2 Q1`, for headings and the table of contents.
    let label: String
    let title: String
    /// The partial that renders the section: `sections/<id>`.
    let template: String
    /// Exactly one of these two is set.
    let computed: Bool
    let missing: Bool
    /// `computed` or `not computed`, with a CSS class for each.
    let status: String
    let statusClass: String
    /// For a missing section: the command that computes it.
    let command: String?
    let settings: TableView?
    let figures: [FigureView]
    let tables: [TableView]
    let findings: [String]
    /// How to read comparisons: one seed, or intervals over several.
    let caveat: String?
    /// Whether the lists above are non-empty, for wrappers around them (stored:
    /// Mustache reads stored properties only).
    let hasFigures: Bool
    let hasTables: Bool
    let hasFindings: Bool
}

struct FigureView {
    let anchor: String
    let caption: String
    /// Relative path of the standalone SVG: `figures/<name>.svg`.
    let file: String
    /// The chart as inline SVG markup (from Charts; inserted unescaped).
    let svg: String
    /// Takes the full width instead of sitting beside another figure.
    let wide: Bool
}

struct TableView {
    let anchor: String
    let caption: String
    /// Relative path of the CSV file: `tables/<name>.csv`.
    let file: String
    let columns: [ColumnView]
    let rows: [RowView]
    let notes: [String]
}

struct ColumnView {
    let title: String
    let numeric: Bool
}

struct RowView {
    let cells: [CellView]
}

struct CellView {
    let text: String
    let numeric: Bool
}

struct ProvenanceView {
    let items: [ProvenanceItem]
    /// Every run behind the report with its wall time.
    let runs: TableView?
    let runCount: String
    let totalWallTime: String
}

struct ProvenanceItem {
    let label: String
    let value: String
    /// Shown in monospace (hashes, commits, versions).
    let code: Bool
}

extension TableView {
    init(_ table: Table, anchorPrefix: String = "t-", folder: String = "") {
        anchor = anchorPrefix + Anchor.make(table.name)
        caption = table.caption
        file = folder + "tables/\(table.name).csv"
        columns = table.columns.map { ColumnView(title: $0.title, numeric: $0.numeric) }
        rows = table.rows.map { row in
            RowView(cells: table.columns.indices.map { index in
                let cell = row.indices.contains(index) ? row[index] : .text("")
                return CellView(text: cell.display, numeric: table.columns[index].numeric)
            })
        }
        notes = table.notes
    }
}

/// HTML ids and file names derived from question ids.
enum Anchor {
    /// `6.1.2-q1` → `6-1-2-q1`, `residual + batch norm` → `residual-batch-norm`:
    /// lowercase ASCII letters, digits and single `-` only.
    static func make(_ text: String) -> String {
        let mapped = String(text.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        return mapped.split(separator: "-").joined(separator: "-")
    }
}
