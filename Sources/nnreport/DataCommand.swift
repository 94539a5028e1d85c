import ArgumentParser
import Datasets
import Foundation

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Inspect or export the study's data.",
        subcommands: [DataExport.self, DataSummary.self, DataExportFaces.self, DataFaces.self, DataPreview.self]
    )
}

struct DataExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the built-in map as train.csv, validation.csv and test.csv (the course's layout)."
    )

    @Argument(help: "Folder to write the three CSV files into (created if missing).")
    var directory: String

    @Option(parsing: .unconditional, help: "Seed of the built-in map.")
    var seed: UInt64 = 0

    @Flag(help: "The small map of --quick runs instead of the full-size one.")
    var quick = false

    func run() throws {
        let dataset = try SyntheticMap.generate(seed: seed, size: quick ? .quick : .standard)
        let url = URL(fileURLWithPath: directory)
        try PointTable.export(dataset, to: url)
        print("wrote \(dataset.train.count)/\(dataset.validation.count)/\(dataset.test.count) points "
              + "of \(dataset.classCount) classes to \(url.path)")
    }
}

struct DataSummary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Check a data folder (or the built-in map) and print its splits, classes and hash."
    )

    @Option(help: "Folder with train.csv, validation.csv and test.csv (default: the built-in map).")
    var data: String?

    @Option(parsing: .unconditional, help: "Seed of the built-in map.")
    var seed: UInt64 = 0

    func run() throws {
        let dataset = try data.map { try PointTable.load(directory: URL(fileURLWithPath: $0)) }
            ?? SyntheticMap.generate(seed: seed)
        let counts = dataset.trainClassCounts
        let bounds = dataset.bounds
        print("source:     \(dataset.source)")
        print("sha256:     \(dataset.contentHash)")
        print("splits:     \(dataset.train.count) train, \(dataset.validation.count) validation, \(dataset.test.count) test")
        print("classes:    \(dataset.classCount), train counts \(counts.min() ?? 0)..\(counts.max() ?? 0)")
        print(String(format: "longitude:  %.3f .. %.3f", bounds.longitude.lowerBound, bounds.longitude.upperBound))
        print(String(format: "latitude:   %.3f .. %.3f", bounds.latitude.lowerBound, bounds.latitude.upperBound))
    }
}
