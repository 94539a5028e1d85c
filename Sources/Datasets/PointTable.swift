import Engine
import Foundation
import Support

/// Loads the course's `train.csv`, `validation.csv` and `test.csv` (columns `long`,
/// `lat`, `country` matched by name, in any order; extra columns ignored; a first
/// header field left empty by pandas' row index is allowed).
///
/// `country` may hold integer ids or names. The classes are the distinct values of
/// the training split, numbered 0..<K in ascending order (numeric when every value
/// is an integer, else by name); a value in validation or test that training never
/// has is an error, and so are a training split with one class only and a split
/// with fewer than two rows. Any problem throws a `DataError` naming the file (and
/// the line, where there is one).
public enum PointTable {
    public static let splitFiles = ["train.csv", "validation.csv", "test.csv"]
    static let columns = ["long", "lat", "country"]

    /// Reads and validates the three files of `directory`.
    public static func load(directory: URL) throws -> PointDataset {
        var hasher = SHA256()
        var tables: [RawTable] = []
        for name in splitFiles {
            let url = directory.appendingPathComponent(name)
            let bytes: Data
            do {
                bytes = try Data(contentsOf: url)
            } catch {
                guard FileManager.default.fileExists(atPath: url.path) else {
                    throw DataError(file: url.path, "file not found (expected \(splitFiles.joined(separator: ", ")) in \(directory.path))")
                }
                throw DataError(file: url.path, "cannot be read: \(FileProblem(path: url.path, error: error, doing: "read").reason)")
            }
            hasher.update(Array(name.utf8))
            hasher.update(bytes)
            tables.append(try RawTable.parse(bytes, file: url.path))
        }
        let classes = ClassIndex(values: tables[0].labels)
        guard classes.names.count >= 2 else {
            throw DataError(file: tables[0].file, "every row has country \"\(Excerpt.of(classes.names[0]))\": "
                            + "a classifier needs at least two classes to learn from")
        }
        var splits: [LabeledData] = []
        for table in tables {
            var labels: [Int32] = []
            labels.reserveCapacity(table.labels.count)
            for (value, line) in zip(table.labels, table.lines) {
                guard let id = classes.id(of: value) else {
                    throw DataError(file: table.file, line: line,
                                    "country \"\(Excerpt.of(value))\" does not occur in train.csv, so no model can predict it")
                }
                labels.append(Int32(id))
            }
            // One row gives no spread: accuracies of 0 or 1, and nothing to shuffle or batch.
            guard labels.count >= 2 else {
                throw DataError(file: table.file, line: table.lines[0], "is the only data row: each split needs at least two rows")
            }
            splits.append(try LabeledData(features: Tensor(shape: [labels.count, 2], values: table.features),
                                          labels: labels, classCount: classes.names.count))
        }
        return PointDataset(train: splits[0], validation: splits[1], test: splits[2], classNames: classes.names,
                            source: directory.path, contentHash: hasher.finalizeHex())
    }
}

/// One parsed CSV file: coordinates, raw label strings, and the line of each row.
struct RawTable {
    var file: String
    var features: [Float] = []
    var labels: [String] = []
    var lines: [Int] = []

    static func parse(_ bytes: Data, file: String) throws -> RawTable {
        if let problem = UTF8Problem.find(in: bytes) {
            throw DataError(file: file, line: problem.line, problem.description)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(in: text)
        } catch CSVReader.Failure.unterminatedQuote(let line) {
            throw DataError(file: file, line: line, "a quoted field is never closed")
        } catch CSVReader.Failure.textAfterClosingQuote(let line) {
            throw DataError(file: file, line: line, "text after a closing quote")
        } catch CSVReader.Failure.nulByte(let line) {
            throw DataError(file: file, line: line, "holds a NUL byte (0x00): not a text file, or a damaged one")
        }
        guard let header = records.first else { throw DataError(file: file, "is empty: expected a header row and data rows") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (position, name) in names.enumerated() where !name.isEmpty && names[..<position].contains(name) {
            throw DataError(file: file, line: header.line,
                            "column \"\(Excerpt.of(header.fields[position]))\" appears twice in the header (columns "
                            + "\(names.firstIndex(of: name)! + 1) and \(position + 1))")
        }
        var positions: [Int] = []
        for column in PointTable.columns {
            guard let position = names.firstIndex(of: column) else {
                throw DataError(file: file, line: header.line,
                                "missing column \"\(column)\" (header has: "
                                + Excerpt.of(header.fields.map { "\"\($0)\"" }.joined(separator: ", ")) + ")")
            }
            positions.append(position)
        }
        var table = RawTable(file: file)
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                throw DataError(file: file, line: record.line,
                                "has \(record.fields.count) fields, the header has \(header.fields.count)")
            }
            for (column, position) in zip(PointTable.columns.prefix(2), positions) {
                let text = record.fields[position].trimmingCharacters(in: .whitespaces)
                guard let value = DecimalText.parse(text) else {
                    throw DataError(file: file, line: record.line, "\(column) \"\(Excerpt.of(text))\" is not a number")
                }
                guard value.isFinite, Float(value).isFinite else {
                    throw DataError(file: file, line: record.line, "\(column) \(Excerpt.of(text)) is not a finite number")
                }
                table.features.append(Float(value))
            }
            let label = record.fields[positions[2]].trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty else { throw DataError(file: file, line: record.line, "country is empty") }
            table.labels.append(label)
            table.lines.append(record.line)
        }
        guard !table.labels.isEmpty else { throw DataError(file: file, "has a header but no data rows") }
        return table
    }
}

/// The mapping from raw `country` values to class ids 0..<K.
struct ClassIndex {
    var names: [String]
    private var ids: [String: Int]
    private var numeric: Bool

    init(values: [String]) {
        let distinct = Set(values)
        let integers = Set(distinct.compactMap { Int($0) })
        numeric = distinct.allSatisfy { Int($0) != nil }
        names = numeric ? integers.sorted().map(String.init) : distinct.sorted()
        ids = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }

    /// The class id of a raw value; integer ids match however they are written ("07" is 7).
    func id(of value: String) -> Int? {
        if numeric, let integer = Int(value) { return ids[String(integer)] }
        return ids[value]
    }
}
