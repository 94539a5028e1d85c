import Foundation
import XCTest

final class RenderCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try CommandRunner.checkBinary()
    }

    /// The project's templates, wherever the tests run from.
    private var templates: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Templates").standardizedFileURL.path
    }

    func testRunThenRenderFromTheCacheOnly() throws {
        let output = CommandRunner.temporaryDirectory("render")
        let run = try CommandRunner.run(["run", "--quick", "--only", "6.1.2-q3", "--output", output.path, "--templates", templates])
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertTrue(run.output.contains("report: \(output.path)/index.html"), run.output)
        let index = output.appendingPathComponent("index.html")
        try FileManager.default.removeItem(at: index)

        let render = try CommandRunner.run(["render", "--output", output.path, "--templates", templates])
        XCTAssertEqual(render.status, 0, render.error)
        XCTAssertTrue(render.output.contains("1 of 18 questions computed"), render.output)
        let html = try String(contentsOf: index, encoding: .utf8)
        XCTAssertTrue(html.contains("Adding batch norm"), "the batch-norm findings are missing")
        XCTAssertTrue(html.contains("<code>nnreport run --only 6.1.2-q1 --quick</code>"), "a missing question should say how to compute it")
        for item in ["style.css", "results.json", "figures/6.1.2-q3-validation-loss.svg", "tables/6.1.2-q3-final-metrics.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent(item).path), item)
        }
    }

    func testBrokenTemplateFailsWithFileAndLineAndKeepsTheReport() throws {
        let output = CommandRunner.temporaryDirectory("render-broken")
        XCTAssertEqual(try CommandRunner.run(["render", "--output", output.path, "--templates", templates]).status, 0)
        let before = try Data(contentsOf: output.appendingPathComponent("index.html"))

        let copy = CommandRunner.temporaryDirectory("templates").appendingPathComponent("T")
        try FileManager.default.copyItem(atPath: templates, toPath: copy.path)
        try "<p>ok</p>\n{{#computed}}\n<p>{{/settings}}</p>\n".write(to: copy.appendingPathComponent("sections/6.2-q4.mustache"),
                                                                      atomically: true, encoding: .utf8)
        let broken = try CommandRunner.run(["render", "--output", output.path, "--templates", copy.path])
        XCTAssertNotEqual(broken.status, 0)
        XCTAssertTrue(broken.error.contains("\(copy.path)/sections/6.2-q4.mustache:3:"), broken.error)
        XCTAssertEqual(try Data(contentsOf: output.appendingPathComponent("index.html")), before)
    }

    func testMissingTemplatesFolderIsAClearError() throws {
        let output = CommandRunner.temporaryDirectory("render-none")
        let outcome = try CommandRunner.run(["render", "--output", output.path, "--templates", output.appendingPathComponent("nope").path])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.error.contains("nope: not found"), outcome.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("index.html").path))
    }
}
