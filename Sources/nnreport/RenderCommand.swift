import ArgumentParser
import Engine
import Foundation
import Report
import Support

/// The templates folder option, shared by `render` and `run`.
struct TemplateOptions: ParsableArguments {
    @Option(help: "Folder of the report's Mustache templates and style.css (default: ./Templates, else the checkout the tool was built in).")
    var templates: String?

    /// Loads and checks the templates; a problem stops the command before any work is done.
    func load() throws -> TemplateSet {
        try TemplateSet.load(from: folder, displayPath: templates ?? Self.defaultFolder)
    }

    /// The templates folder, absolute.
    var folder: URL { URL(fileURLWithPath: templates ?? Self.defaultFolder, isDirectory: true).standardizedFileURL }

    /// `Templates` in the current folder when there is one; otherwise the `Templates`
    /// of the source checkout whose `.build` holds this executable, so the tool also
    /// works when started from another folder.
    static var defaultFolder: String {
        let local = "Templates"
        if FileManager.default.fileExists(atPath: local + "/report.mustache") { return local }
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("Templates")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("report.mustache").path) {
                return candidate.path
            }
            folder = folder.deletingLastPathComponent()
        }
        return local
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
        try PathCheck.writableFolder(location.outputURL, role: "--output")
        let summary = try ReportPipeline.render(cacheDirectory: location.cacheURL, templates: templates,
                                                build: templateOptions.build, output: location.outputURL,
                                                cacheMustExist: location.cache != nil)
        print("report: \(summary.description)")
    }
}
