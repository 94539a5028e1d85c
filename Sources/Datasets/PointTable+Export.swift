import Engine
import Foundation

extension PointTable {
    /// Writes `dataset` as `train.csv`, `validation.csv` and `test.csv` in the course's
    /// layout (an unnamed row-index column, then `long,lat,country` with country names),
    /// each file written to a temporary name and renamed into place.
    ///
    /// Coordinates are printed with the shortest decimal that reads back as the same
    /// float, so loading the files gives exactly the same data.
    public static func export(_ dataset: PointDataset, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, split) in zip(splitFiles, [dataset.train, dataset.validation, dataset.test]) {
            var text = ",long,lat,country\n"
            text.reserveCapacity(split.count * 32)
            split.features.withUnsafeBufferPointer { values in
                for row in 0..<split.count {
                    text += "\(row),\(values[2 * row]),\(values[2 * row + 1]),\(csvField(dataset.classNames[Int(split.labels[row])]))\n"
                }
            }
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url, options: .atomic)
        }
    }

    /// Quotes a field when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
