import ArgumentParser
import Engine
import Logging
import Support

@main
struct NNReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnreport",
        abstract: "Runs a neural-network study and publishes it as a static HTML/SVG report.",
        version: "nnreport \(EngineVersion.current)",
        subcommands: [RunCommand.self, RenderCommand.self, ListCommand.self, PlanCommand.self, SlurmCommand.self, DataCommand.self, Bench.self, GalleryCommand.self],
        // Plain `nnreport` runs the default study and writes the report (what `make report` does).
        defaultSubcommand: RunCommand.self
    )

    static func main() {
        BLASCoreSelection.restartWithBetterKernelsIfNeeded()
        MallocArenas.limitToCores()
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: FileProblem.plain(error))
        }
    }
}
