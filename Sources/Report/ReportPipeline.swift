import Study
import Foundation

/// What a render produced, for the command line's summary.
public struct RenderSummary: Sendable, Equatable {
    /// The published `index.html`.
    public var index: URL
    /// The folder of everything it links to (`report-<digest>`, beside it).
    public var folder: String
    /// Questions in the report, and how many of them have results.
    public var sections: Int
    public var computed: Int
    /// Files written under `figures/` and `tables/`.
    public var figures: Int
    public var tables: Int
    /// Wall time of the whole render, reading included.
    public var seconds: Double

    public var description: String {
        "\(index.path) (\(computed) of \(sections) questions computed, \(figures) figures, \(tables) tables in \(folder)/, "
            + NumberText.seconds(seconds) + ")"
    }
}

/// The whole of `nnreport render`: results in, published site out.
public enum ReportPipeline {
    /// Renders `input` with `templates` and publishes it into `output`.
    public static func publish(_ input: LoadedStudy, templates: TemplateSet, build: BuildInfo, output: URL) throws -> RenderSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        let renderer = ReportRenderer(templates: templates, build: build)
        let site = try renderer.render(input, layout: .versioned)
        try SitePublisher.publish(site, to: output)
        let sections = (renderer.parts ?? ReportPart.parts(of: input)).flatMap(\.sections)
        let paths = site.files.map { $0.path.dropFirst(site.folder.map { $0.count + 1 } ?? 0) }
        return RenderSummary(index: output.appendingPathComponent("index.html"), folder: site.folder ?? "", sections: sections.count,
                             computed: input.computedCount,
                             figures: paths.filter { $0.hasPrefix("figures/") }.count,
                             tables: paths.filter { $0.hasPrefix("tables/") }.count,
                             seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
    }

    /// Reads the cache in `cacheDirectory`, renders and publishes into `output`.
    /// - Parameter cacheMustExist: refuse a cache folder that does not exist (a `--cache` the
    ///   user named, perhaps mistyped) instead of replacing the report by one without results.
    public static func render(cacheDirectory: URL, templates: TemplateSet, build: BuildInfo, output: URL,
                              cacheMustExist: Bool = false) throws -> RenderSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: cacheDirectory.path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw ReportError.io(path: cacheDirectory.path, message: "is a file, not a result cache folder; the report is left as it was")
        }
        if cacheMustExist && !exists {
            throw ReportError.io(path: cacheDirectory.path, message: "no such folder: there is no result cache to render from "
                                 + "(check --cache); the report is left as it was")
        }
        let input: LoadedStudy
        do {
            input = try LoadedStudy.load(cache: ResultCache(directory: cacheDirectory))
        } catch {
            throw ReportError.io(path: cacheDirectory.path, message: "\(error)")
        }
        var summary = try publish(input, templates: templates, build: build, output: output)
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return summary
    }
}
