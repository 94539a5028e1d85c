import ArgumentParser
import Foundation

/// Where the report and the result cache live: shared by every command that reads or writes them.
struct OutputOptions: ParsableArguments {
    @Option(help: "Folder of the report.")
    var output: String = "Output"

    @Option(help: "Folder of the result cache (default: <output>/.cache).")
    var cache: String?

    var outputURL: URL { URL(fileURLWithPath: output) }
    var cacheURL: URL { cache.map { URL(fileURLWithPath: $0) } ?? outputURL.appendingPathComponent(".cache") }
}

/// Options shared by the commands that work on a study.
struct StudyOptions: ParsableArguments {
    @Option(help: "Folder with train.csv, validation.csv and test.csv (default: the built-in map).")
    var data: String?

    @Option(help: "Seed of the built-in map and of the first training run.")
    var seed: UInt64 = 0

    @Option(help: "Repeat every run with this many seeds (seed, seed+1, ...) for means and 95% intervals.")
    var seeds: Int = 1

    @Flag(help: "Small data and few epochs: the whole study in seconds, for previews and tests.")
    var quick = false

    @OptionGroup var location: OutputOptions

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        guard seeds <= 100 else { throw ValidationError("--seeds is at most 100") }
    }

    var outputURL: URL { location.outputURL }
    var cacheURL: URL { location.cacheURL }
}
