import ArgumentParser
import Engine

@main
struct NNReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnreport",
        abstract: "Runs a neural-network study and publishes it as a static HTML/SVG report.",
        version: "nnreport \(EngineVersion.current)",
        subcommands: [Bench.self, GalleryCommand.self]
    )
}
