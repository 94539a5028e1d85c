import Foundation
import Testing
import TestSupport
import StudyFixtures

#if canImport(Glibc)
import Glibc
#endif

/// The publishing guarantee, tested on the built executable: killed after any step
/// of a publish, the output folder holds the old report or the new one, complete,
/// never a mix; one publisher at a time; a mistyped `--cache` replaces nothing.
@Suite(.tags(.endToEnd)) struct PublishingTests {
    /// The project's templates, wherever the tests run from.
    private var templates: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Templates").standardizedFileURL.path
    }

    /// A published report: the page, and every file of its folder with its bytes.
    struct Report: Equatable {
        var index: Data
        var folder: String
        var files: [String: Data]

        /// The report `output` shows: its `index.html` and the folder that page links to.
        init(in output: URL) throws {
            index = try Data(contentsOf: output.appendingPathComponent("index.html"))
            let page = String(decoding: index, as: UTF8.self)
            folder = String(try #require(page.firstMatch(of: /href="(report-[0-9a-f]{16})\/style\.css"/)?.1, "no stylesheet link"))
            files = [:]
            let root = output.appendingPathComponent(folder)
            for path in FileManager.default.subpaths(atPath: root.path) ?? [] {
                if let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) { files[path] = data }
            }
        }
    }

    /// The templates with one section's text and the stylesheet changed, so a render gives
    /// another page and another folder.
    private func editedTemplates() throws -> String {
        let copy = temporaryDirectory("templates-edited").appendingPathComponent("T")
        try FileManager.default.copyItem(atPath: templates, toPath: copy.path)
        let file = copy.appendingPathComponent("sections/6.1.2-q3.mustache")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "Does the same network", with: "Edited: does the same network")
            .write(to: file, atomically: true, encoding: .utf8)
        let style = copy.appendingPathComponent("style.css")
        try (String(contentsOf: style, encoding: .utf8) + "\n/* edited */\n").write(to: style, atomically: true, encoding: .utf8)
        return copy.path
    }

    private func render(_ output: URL, templates: String, killAfter step: Int? = nil) throws -> CommandRunner.Outcome {
        try CommandRunner.run(["render", "--output", output.path, "--templates", templates],
                              environment: step.map { ["NNREPORT_FAULT_KILL_PUBLISH": "\($0)"] } ?? [:])
    }

    @Test func killedAtEveryStepOfAPublishTheOutputIsTheOldReportOrTheNewOne() throws {
        let variants = [templates, try editedTemplates()]
        // The two complete reports, each rendered alone.
        var reports: [Report] = []
        for variant in variants {
            let output = try QuickStudy.copy("publish-reference")
            #expect(try render(output, templates: variant).status == 0)
            reports.append(try Report(in: output))
        }
        #expect(reports[0].folder != reports[1].folder && reports[0].index != reports[1].index)

        let output = try QuickStudy.copy("publish-killed")
        #expect(try render(output, templates: variants[0]).status == 0)
        // Each publish goes to the report the folder does not show, and is killed after step `step`.
        for step in 1...6 {
            let shown = try #require(reports.firstIndex(of: try Report(in: output)), "before step \(step): a mixed report")
            let killed = try render(output, templates: variants[1 - shown], killAfter: step)
            #expect(killed.signalled && killed.status == SIGKILL, "step \(step): \(killed.status) \(killed.error)")
            let after = try Report(in: output)
            #expect(reports.contains(after), "killed after step \(step): index.html and its folder are not one report")
            // The switch is step 5: before it the old report, from it on the new one.
            #expect(after == reports[step >= 5 ? 1 - shown : shown], "killed after step \(step)")
        }
        // The next publish removes what the killed ones left.
        #expect(try render(output, templates: variants[0]).status == 0)
        #expect(try Report(in: output) == reports[0])
        let names = try FileManager.default.contentsOfDirectory(atPath: output.path)
        #expect(names.filter { $0.hasPrefix(".staging-") || $0.hasPrefix(".trash-") }.isEmpty, "\(names)")
        #expect(names.filter { $0.hasPrefix("report-") } == [reports[0].folder], "\(names)")
    }

    @Test func aSecondPublisherWaitsAndSaysWhoHoldsTheLock() throws {
        let output = try QuickStudy.copy("publish-lock")
        let lockPath = output.appendingPathComponent(".lock").path
        let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o644)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        try #require(flock(descriptor, LOCK_EX) == 0)
        let holder = "pid \(getpid())\n"
        _ = holder.withCString { write(descriptor, $0, strlen($0)) }

        try CommandRunner.checkBinary()
        let process = Process()
        process.executableURL = CommandRunner.binary
        process.arguments = ["render", "--output", output.path, "--templates", templates]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Blocks until the render says it waits (it then waits on the lock, which this test holds).
        var said = ""
        while !said.contains("\n") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += String(decoding: chunk, as: UTF8.self)
        }
        #expect(said.contains("waiting for pid \(getpid()), which is publishing into \(output.path)"), "\(said)")
        #expect(process.isRunning)
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("index.html").path))
        flock(descriptor, LOCK_UN)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("index.html").path))
    }

    @Test(.tags(.errors)) func aCacheFolderThatDoesNotExistLeavesTheReport() throws {
        let output = try QuickStudy.copy("publish-no-cache")
        #expect(try render(output, templates: templates).status == 0)
        let before = try Report(in: output)
        let mistyped = output.appendingPathComponent(".cahce").path
        let outcome = try CommandRunner.run(["render", "--output", output.path, "--cache", mistyped, "--templates", templates])
        #expect(outcome.status != 0)
        #expect(outcome.error.contains("\(mistyped): no such folder: there is no result cache to render from (check --cache)"),
                "\(outcome.error)")
        #expect(try Report(in: output) == before)
    }
}
