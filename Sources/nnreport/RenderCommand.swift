import ArgumentParser
import Engine
import Foundation
import Report

/// The templates folder option, shared by `render` and `run`.
struct TemplateOptions: ParsableArguments {
    @Option(help: "Folder of the report's Mustache templates and style.css.")
    var templates: String = "Templates"

    /// Loads and checks the templates; a problem stops the command before any work is done.
    func load() throws -> TemplateSet {
        try TemplateSet.load(from: URL(fileURLWithPath: templates, isDirectory: true), displayPath: templates)
    }

    /// The tool's version and the git state of the current folder, for the provenance footer.
    var build: BuildInfo { BuildInfo.current(toolVersion: "nnreport \(EngineVersion.current)") }
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write the report (index.html, figures, tables, results.json) from the cached results only: no training."
    )

    @OptionGroup var location: OutputOptions
    @OptionGroup var templateOptions: TemplateOptions

    func run() throws {
        let templates = try templateOptions.load()
        let summary = try ReportPipeline.render(cacheDirectory: location.cacheURL, templates: templates,
                                                build: templateOptions.build, output: location.outputURL)
        print("report: \(summary.description)")
    }
}
