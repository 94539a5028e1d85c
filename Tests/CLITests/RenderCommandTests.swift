import Foundation
import Testing
import TestSupport
import StudyFixtures

@Suite(.tags(.endToEnd)) struct RenderCommandTests {
    /// The project's templates, wherever the tests run from.
    private var templates: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Templates").standardizedFileURL.path
    }

    @Test func runThenRenderFromTheCacheOnly() throws {
        let output = temporaryDirectory("render")
        let run = try CommandRunner.run(["run", "--quick", "--only", "6.1.2-q3", "--output", output.path, "--templates", templates])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("report: \(output.path)/index.html"), "\(run.output)")
        let index = output.appendingPathComponent("index.html")
        try FileManager.default.removeItem(at: index)

        let render = try CommandRunner.run(["render", "--output", output.path, "--templates", templates])
        #expect(render.status == 0, "\(render.error)")
        #expect(render.output.contains("1 of 18 questions computed"), "\(render.output)")
        let html = try String(contentsOf: index, encoding: .utf8)
        #expect(html.contains("Adding batch norm"), "the batch-norm findings are missing")
        #expect(html.contains("<code>nnreport run --only 6.1.2-q1 --quick</code>"), "a missing question should say how to compute it")
        for item in ["style.css", "results.json", "figures/6.1.2-q3-validation-loss.svg", "tables/6.1.2-q3-metrics.csv"] {
            #expect(FileManager.default.fileExists(atPath: try publishedReportFolder(output).appendingPathComponent(item).path), "\(item)")
        }
    }

    @Test(.tags(.errors)) func aBrokenTemplateFailsWithFileAndLineAndKeepsTheReport() throws {
        let output = temporaryDirectory("render-broken")
        #expect(try CommandRunner.run(["render", "--output", output.path, "--templates", templates]).status == 0)
        let before = try Data(contentsOf: output.appendingPathComponent("index.html"))

        let copy = temporaryDirectory("templates").appendingPathComponent("T")
        try FileManager.default.copyItem(atPath: templates, toPath: copy.path)
        try "<p>ok</p>\n{{#computed}}\n<p>{{/settings}}</p>\n".write(to: copy.appendingPathComponent("sections/6.2-q4.mustache"),
                                                                      atomically: true, encoding: .utf8)
        let broken = try CommandRunner.run(["render", "--output", output.path, "--templates", copy.path])
        #expect(broken.status != 0)
        #expect(broken.error.contains("\(copy.path)/sections/6.2-q4.mustache:3:"), "\(broken.error)")
        #expect(try Data(contentsOf: output.appendingPathComponent("index.html")) == before)
    }

    @Test(.tags(.errors)) func aMissingTemplatesFolderIsAClearError() throws {
        let output = temporaryDirectory("render-none")
        let outcome = try CommandRunner.run(["render", "--output", output.path, "--templates", output.appendingPathComponent("nope").path])
        #expect(outcome.status != 0)
        #expect(outcome.error.contains("nope: not found"), "\(outcome.error)")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("index.html").path))
    }
}
