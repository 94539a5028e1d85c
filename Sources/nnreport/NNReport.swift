import ArgumentParser
import Engine
import Logging

@main
struct NNReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnreport",
        abstract: "Runs a neural-network study and publishes it as a static HTML/SVG report.",
        version: "nnreport \(EngineVersion.current)",
        subcommands: [RunCommand.self, ListCommand.self, DataCommand.self, Bench.self, GalleryCommand.self]
    )

    static func main() {
        BLASCoreSelection.restartWithBetterKernelsIfNeeded()
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        main(nil)
    }
}
