import Study

/// A table of the report: shown in the page and written as a CSV file.
///
/// Cells keep their numbers, not only their text, so the page shows rounded,
/// readable values (`0.953 ± 0.004`) while the CSV keeps full precision and
/// splits an estimate over seeds into mean, low and high columns.
public struct Table: Sendable, Equatable {
    /// One column: its heading and how its cells line up.
    public struct Column: Sendable, Equatable {
        public var title: String
        /// Numbers are right-aligned.
        public var numeric: Bool

        public init(_ title: String, numeric: Bool = true) {
            self.title = title
            self.numeric = numeric
        }
    }

    /// One cell: a value and the way it is shown.
    public enum Cell: Sendable, Equatable {
        case text(String)
        case integer(Int?)
        /// A number with fixed decimals.
        case number(Double?, decimals: Int)
        /// A mean over seeds with its 95% interval.
        case estimate(Estimate?, decimals: Int)
        /// A magnitude that may span many orders (gradient norms): `1.2×10⁻¹²`.
        case scientific(Double?)
        /// A positive magnitude over seeds, spanning orders: shown as ``NumberText/magnitude(_:)``.
        case scientificEstimate(Estimate?)

        /// The text shown in the page.
        public var display: String {
            switch self {
            case .text(let text): return text
            case .integer(let value): return value.map(NumberText.count) ?? "n/a"
            case .number(let value, let decimals): return value.map { NumberText.fixed($0, decimals) } ?? "n/a"
            case .estimate(let value, let decimals): return value.map { NumberText.estimate($0, decimals) } ?? "n/a"
            case .scientific(let value): return value.map { NumberText.scientific($0) } ?? "n/a"
            case .scientificEstimate(let value):
                return value.map(NumberText.magnitude) ?? "n/a"
            }
        }

        /// The CSV fields of this cell: one, or three (mean, low, high) for an
        /// estimate when `intervals` is set.
        func csvFields(intervals: Bool) -> [String] {
            switch self {
            case .text(let text): return [text]
            case .integer(let value): return [value.map { String($0) } ?? ""]
            case .number(let value, _), .scientific(let value): return [NumberText.csv(value)]
            case .estimate(let value, _):
                guard intervals else { return [NumberText.csv(value?.mean)] }
                return [NumberText.csv(value?.mean), NumberText.csv(value?.low), NumberText.csv(value?.high)]
            case .scientificEstimate(let value):
                // The page's centre and the range over seeds (a t-interval would reach below 0).
                let centre = value.map(NumberText.magnitudeCentre)
                guard intervals else { return [NumberText.csv(centre)] }
                return [NumberText.csv(centre), NumberText.csv(value?.values.min()), NumberText.csv(value?.values.max())]
            }
        }

        var isEstimate: Bool {
            switch self {
            case .estimate, .scientificEstimate: return true
            default: return false
            }
        }
    }

    /// File name without extension (`6.1.2-q1-metrics`); the CSV is `tables/<name>.csv`.
    public var name: String
    public var caption: String
    public var columns: [Column]
    public var rows: [[Cell]]
    /// Lines printed under the table.
    public var notes: [String]

    public init(name: String, caption: String, columns: [Column], rows: [[Cell]], notes: [String] = []) {
        self.name = name
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// Whether some estimate in the table comes from several seeds.
    var hasIntervals: Bool {
        rows.contains { row in
            row.contains { cell in
                switch cell {
                case .estimate(let value?, _), .scientificEstimate(let value?): return value.count > 1
                default: return false
                }
            }
        }
    }

    /// The table as RFC 4180 CSV: a header row, then one line per row. Estimate
    /// columns of a table with several seeds become three columns
    /// (`X`, `X 95% low`, `X 95% high`; for magnitudes, the page's centre and
    /// `X lowest seed`, `X highest seed`).
    public func csv() -> String {
        let intervals = hasIntervals
        let split = columns.indices.map { index in
            intervals && rows.contains { $0.indices.contains(index) && $0[index].isEstimate }
        }
        var header: [String] = []
        for (index, column) in columns.enumerated() {
            header.append(column.title)
            guard split[index] else { continue }
            let magnitudes = rows.contains { row in
                guard row.indices.contains(index), case .scientificEstimate = row[index] else { return false }
                return true
            }
            header += magnitudes ? [column.title + " lowest seed", column.title + " highest seed"]
                : [column.title + " 95% low", column.title + " 95% high"]
        }
        var lines = [CSV.line(header)]
        for row in rows {
            var fields: [String] = []
            for index in columns.indices {
                let cell = row.indices.contains(index) ? row[index] : .text("")
                var cellFields = cell.csvFields(intervals: split[index])
                if split[index] && cellFields.count == 1 { cellFields += ["", ""] }
                fields += cellFields
            }
            lines.append(CSV.line(fields))
        }
        return lines.joined()
    }
}

/// CSV quoting after RFC 4180.
enum CSV {
    /// One record ending in CRLF. A field is quoted when it holds a comma, a quote,
    /// a line break or leading/trailing spaces; quotes inside are doubled.
    static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",") + "\r\n"
    }

    static func quote(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || field.hasPrefix(" ") || field.hasSuffix(" ")
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
