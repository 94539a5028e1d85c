import Foundation
import Testing
@testable import Report

/// Broken templates: clear errors naming the file (and line), and the previous
/// report left exactly as it was.
@Suite struct TemplateTests {
    private func write(_ text: String, to relative: String, in folder: URL) throws {
        let url = folder.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    private func loadError(_ folder: URL) -> ReportError? {
        do {
            _ = try TemplateSet.load(from: folder, displayPath: "Templates")
            return nil
        } catch {
            return error as? ReportError
        }
    }

    @Test func projectTemplatesLoad() throws {
        let templates = try ReportFixtures.loadTemplates()
        #expect(!templates.stylesheet.isEmpty)
    }

    @Test func syntaxErrorNamesFileAndLine() throws {
        let folder = try ReportFixtures.templatesCopy("syntax")
        try write("<p>fine</p>\n<p>also fine</p>\n{{#computed}}\n<p>never closed</p>\n", to: "sections/6.2-q5.mustache", in: folder)
        let error = try #require(loadError(folder))
        guard case .templateSyntax(let file, let line, _, let message, _) = error else {
            Issue.record("expected a syntax error, got \(error)")
            return
        }
        #expect(file == "Templates/sections/6.2-q5.mustache")
        #expect(line == 5)
        #expect(message.contains("never closed"))
        #expect(error.description.hasPrefix("Templates/sections/6.2-q5.mustache:5:"))
    }

    @Test func mismatchedCloseNamesTheLineOfTheClosingTag() throws {
        let folder = try ReportFixtures.templatesCopy("mismatch")
        try write("<p>one</p>\n{{#computed}}\n<p>two</p>\n{{/missing}}\n", to: "sections/6.1.2-q1.mustache", in: folder)
        let error = try #require(loadError(folder))
        #expect(error.description.hasPrefix("Templates/sections/6.1.2-q1.mustache:4:"), "\(error)")
    }

    @Test func unknownSectionIsNamed() throws {
        let folder = try ReportFixtures.templatesCopy("unknown")
        try write("<p>?</p>\n", to: "sections/6.3-q1.mustache", in: folder)
        let error = try #require(loadError(folder))
        #expect(error == .unknownSection(file: "Templates/sections/6.3-q1.mustache", known: ReportCatalog.sectionIDs))
        #expect(error.description.contains("unknown section"))
    }

    @Test func missingSectionIsNamed() throws {
        let folder = try ReportFixtures.templatesCopy("missing-section")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("sections/7.2.mustache"))
        let error = try #require(loadError(folder))
        #expect(error == .missingSection(id: "7.2", expected: "Templates/sections/7.2.mustache"))
    }

    @Test func missingPartialNamesFileAndLine() throws {
        let folder = try ReportFixtures.templatesCopy("partial")
        try write("<p>q</p>\n\n{{> partials/nowhere}}\n", to: "sections/6.2-q7.mustache", in: folder)
        let error = try #require(loadError(folder))
        #expect(error == .missingPartial(file: "Templates/sections/6.2-q7.mustache", line: 3, name: "partials/nowhere"))
    }

    @Test func rawInsertionIsOnlyForChartSVG() throws {
        let folder = try ReportFixtures.templatesCopy("raw")
        try write("<p>q</p>\n{{{title}}}\n", to: "sections/6.2-q1.mustache", in: folder)
        #expect(loadError(folder) == .unescapedText(file: "Templates/sections/6.2-q1.mustache", line: 2, name: "title"))
        try write("<p>q</p>\n{{& title}}\n", to: "sections/6.2-q1.mustache", in: folder)
        #expect(loadError(folder) == .unescapedText(file: "Templates/sections/6.2-q1.mustache", line: 2, name: "title"))
    }

    /// A `{{` followed by a line break, which the Mustache parser does not read as a tag
    /// running to the next `}}`, does not hide the raw insertion after it (found by
    /// `make fuzz`, template-loading).
    @Test(.tags(.errors)) func aRawInsertionAfterAMalformedTagIsFound() throws {
        let folder = try ReportFixtures.templatesCopy("malformed")
        try write("<p>q</p>\n{{\nhr{ <p>{{{title}}}</p>\n", to: "sections/6.2-q1.mustache", in: folder)
        #expect(loadError(folder) == .unescapedText(file: "Templates/sections/6.2-q1.mustache", line: 3, name: "title"))
        #expect(TemplateScanner.tags(in: "{{\nx{{{title}}}") == [.init(kind: .raw("title"), line: 2)])
    }

    @Test func missingFolderOrStylesheetIsClear() throws {
        let nowhere = ReportFixtures.temporaryDirectory("none").appendingPathComponent("Templates")
        guard case .missingTemplates(let path, _)? = loadError(nowhere) else {
            Issue.record("expected missingTemplates")
            return
        }
        #expect(path == "Templates")
        let folder = try ReportFixtures.templatesCopy("css")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("style.css"))
        #expect(loadError(folder)?.description.hasPrefix("Templates/style.css: not found") == true)
    }

    @Test func editedTemplateChangesThePageWithoutRebuilding() throws {
        let folder = try ReportFixtures.templatesCopy("edit")
        let file = folder.appendingPathComponent("sections/6.1.2-q3.mustache")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "Does the same network", with: "Edited: does the same network")
            .write(to: file, atomically: true, encoding: .utf8)
        let site = try ReportRenderer(templates: ReportFixtures.loadTemplates(folder), build: ReportFixtures.build)
            .render(FixtureStudy().input())
        #expect(site.file("index.html")!.text.contains("Edited: does the same network"))
    }

    /// A first good report, then a failing render into the same folder.
    private func assertFailureKeepsPreviousReport(_ name: String, breaking: (URL) throws -> Void,
                                                  expecting check: (ReportError) -> Bool) throws {
        let output = ReportFixtures.temporaryDirectory(name)
        let study = FixtureStudy()
        _ = try ReportPipeline.publish(study.input(), templates: ReportFixtures.loadTemplates(), build: ReportFixtures.build,
                                       output: output)
        let before = try snapshot(output)
        let folder = try ReportFixtures.templatesCopy(name)
        try breaking(folder)
        do {
            let templates = try TemplateSet.load(from: folder, displayPath: "Templates")
            _ = try ReportPipeline.publish(study.input(), templates: templates, build: ReportFixtures.build, output: output)
            Issue.record("the broken render succeeded")
        } catch let error as ReportError {
            #expect(check(error), "\(error)")
        }
        #expect(try snapshot(output) == before, "the previous report changed")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix(".") && $0 != ".lock" }
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
    }

    /// Every file under `folder` with its bytes.
    private func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in FileManager.default.subpaths(atPath: folder.path) ?? [] {
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) { files[path] = data }
        }
        return files
    }

    @Test func syntaxErrorLeavesThePreviousReport() throws {
        try assertFailureKeepsPreviousReport("keep-syntax", breaking: { folder in
            try write("{{#computed}}\n", to: "sections/6.1.2-q2.mustache", in: folder)
        }, expecting: { error in
            if case .templateSyntax = error { return true }
            return false
        })
    }

    @Test func brokenLinkFailsInStagingAndLeavesThePreviousReport() throws {
        try assertFailureKeepsPreviousReport("keep-link", breaking: { folder in
            try write("<p>q</p>\n<p><a href=\"nowhere.html\">more</a></p>\n{{> partials/results}}\n",
                      to: "sections/6.1.2-q2.mustache", in: folder)
        }, expecting: { error in
            error.description.contains("index.html: <a href=\"nowhere.html\"> points to a file the report does not contain")
        })
    }

    @Test func externalResourceFailsInStaging() throws {
        try assertFailureKeepsPreviousReport("keep-external", breaking: { folder in
            let layout = folder.appendingPathComponent("report.mustache")
            let text = try String(contentsOf: layout, encoding: .utf8)
            try text.replacingOccurrences(of: "</head>", with: "<script src=\"https://example.com/x.js\"></script>\n</head>")
                .write(to: layout, atomically: true, encoding: .utf8)
        }, expecting: { error in
            error.description.hasPrefix("index.html:9: <script> element: the report must work without JavaScript")
        })
    }

    /// Template text that puts code into the page, each refused on the rendered output with file:line.
    static let scriptingTemplates: [(String, String)] = [
        ("<p onclick=\"alert(1)\">q</p>", "onclick=…>: an event handler attribute"),
        ("<IMG SRC=\"x.png\" ALT=\"\" ONERROR=\"alert(1)\">", "an event handler attribute"),
        ("<a href=\"jav&#x09;ascript:alert(1)\">q</a>", "a javascript: URL"),
        ("<a href=\"{{label}}javascript:x\">q</a>", "URL"),
        ("<iframe src=\"results.json\"></iframe>", "<iframe> element"),
        ("<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject><p>x</p></foreignObject></svg>", "HTML inside SVG"),
    ]

    @Test(.tags(.errors), arguments: scriptingTemplates)
    func scriptsInTheRenderedPageAreRefusedAndThePreviousReportKept(_ markup: String, _ expected: String) throws {
        try assertFailureKeepsPreviousReport("keep-script-\(Self.scriptingTemplates.firstIndex { $0.0 == markup }!)", breaking: { folder in
            try write("<p>q</p>\n" + markup + "\n{{> partials/results}}\n", to: "sections/6.1.2-q2.mustache", in: folder)
        }, expecting: { error in
            guard case .activeContent(let file, let line, let message) = error else { return false }
            return file == "index.html" && line > 1 && message.contains(expected)
        })
    }

    @Test func theProjectTemplatesPassTheNoScriptCheck() throws {
        let site = try ReportRenderer(templates: ReportFixtures.loadTemplates(), build: ReportFixtures.build).render(FixtureStudy().input())
        let root = ReportFixtures.temporaryDirectory("no-script")
        for file in site.files {
            let url = root.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.data.write(to: url)
        }
        #expect(site.files.contains { $0.path.hasSuffix(".svg") })
        try SiteChecks.check(root: root, files: site.files.map(\.path))
    }

    @Test func externalImageFailsInStaging() throws {
        try assertFailureKeepsPreviousReport("keep-image", breaking: { folder in
            try write("<p>q</p>\n<img src=\"https://example.com/x.png\" alt=\"\">\n", to: "sections/6.1.2-q2.mustache", in: folder)
        }, expecting: { error in
            error.description.contains("<img src=\"https://example.com/x.png\"> would load a resource from another site")
        })
    }

    @Test func malformedHTMLFailsInStaging() throws {
        try assertFailureKeepsPreviousReport("keep-markup", breaking: { folder in
            try write("<p>q</p>\n<p <b>broken</p>\n", to: "sections/6.1.2-q2.mustache", in: folder)
        }, expecting: { error in
            if case .invalidSite(let file, let message) = error { return file == "index.html" && message.contains("HTML parser") }
            return false
        })
    }

    @Test func scannerFindsPartialsAndRawTagsWithLines() {
        let tags = TemplateScanner.tags(in: "a\n{{> one}}\n{{! {{> not}} }}\n{{{svg}}} {{&x}}\n{{>*dynamic}}\n{{<two}}{{/two}}\n"
                                            + "{{% CONTENT_TYPE: TEXT }}\n{{=<% %>=}}\n<%{ title }%>")
        #expect(tags == [
            .init(kind: .partial("one"), line: 2),
            .init(kind: .raw("svg"), line: 4),
            .init(kind: .raw("x"), line: 4),
            .init(kind: .dynamicPartial("dynamic"), line: 5),
            .init(kind: .partial("two"), line: 6),
            .init(kind: .pragma("CONTENT_TYPE: TEXT"), line: 7),
            .init(kind: .setDelimiters, line: 8),
        ])
    }

    @Test(.tags(.errors)) func aTemplateThatIsNotUTF8NamesTheLineAndByte() throws {
        let folder = try ReportFixtures.templatesCopy("latin1")
        // "é" in Latin-1: one byte 0xE9, not UTF-8; on line 3, the 7th byte of the line, at offset 25 of the file.
        let bytes = Array("<p>q</p>\n{{title}}\n<p>Caf".utf8) + [0xE9] + Array("</p>\n".utf8)
        try Data(bytes).write(to: folder.appendingPathComponent("sections/6.2-q1.mustache"))
        let error = try #require(loadError(folder))
        #expect(error.description == "Templates/sections/6.2-q1.mustache:3: byte 7 of the line (offset 25 in the file) is not UTF-8 text",
                "\(error)")
    }

    @Test(.tags(.errors)) func namesAndLinesFromATemplateAreCutInMessages() throws {
        let folder = try ReportFixtures.templatesCopy("long")
        let long = String(repeating: "x", count: 10_000)
        for text in ["<p>q</p>\n{{> \(long)}}\n", "<p>q</p>\n{{{\(long)}}}\n", "<p>q</p>\n{{%\(long)}}\n", "{{#a}}\(long){{/b}}\n",
                     "{{#a}}\(String(repeating: "\u{14}", count: 2_000)){{/b}}\n"] {
            try write(text, to: "sections/6.2-q1.mustache", in: folder)
            let error = try #require(loadError(folder))
            #expect(error.description.hasPrefix("Templates/sections/6.2-q1.mustache:"), "\(error)")
            #expect(error.description.count < 500 && error.description.contains("…"), "\(error.description.prefix(300))")
        }
    }

    @Test(.tags(.errors)) func delimiterChangesPragmasAndDataChosenPartialsAreRefused() throws {
        let folder = try ReportFixtures.templatesCopy("unsafe")
        let file = "Templates/sections/6.2-q1.mustache"
        // With other delimiters, <%& title %> would insert the title raw past the check of {{{ }}}.
        try write("<p>q</p>\n{{=<% %>=}}\n<%& title %>\n", to: "sections/6.2-q1.mustache", in: folder)
        #expect(loadError(folder)?.description.hasPrefix("\(file):2: changing the tag delimiters") == true,
                "\(String(describing: loadError(folder)))")
        try write("<p>q</p>\n\n{{%CONTENT_TYPE: TEXT}}\n{{title}}\n", to: "sections/6.2-q1.mustache", in: folder)
        #expect(loadError(folder)?.description.hasPrefix("\(file):3: {{%CONTENT_TYPE: TEXT}} is not allowed") == true,
                "\(String(describing: loadError(folder)))")
        try write("<p>q</p>\n{{>*title}}\n", to: "sections/6.2-q1.mustache", in: folder)
        #expect(loadError(folder)?.description.hasPrefix("\(file):2: {{>*title}} picks a template by a value of the data") == true,
                "\(String(describing: loadError(folder)))")
    }

    @Test(.tags(.errors)) func partialsIncludingThemselvesAreRefusedNamingTheCycle() throws {
        let folder = try ReportFixtures.templatesCopy("cycle")
        try write("<p>self</p>\n{{#findings}}{{> partials/self}}{{/findings}}\n", to: "partials/self.mustache", in: folder)
        #expect(loadError(folder) == .partialCycle(file: "Templates/partials/self.mustache", line: 2,
                                                   cycle: ["partials/self", "partials/self"]))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("partials/self.mustache"))
        // Through other templates: a section includes a partial that includes the layout, which includes every section.
        try write("{{> partials/a}}\n", to: "partials/b.mustache", in: folder)
        try write("<p>a</p>\n\n{{> report}}\n", to: "partials/a.mustache", in: folder)
        try write("<p>q</p>\n{{> partials/b}}\n", to: "sections/7.2.mustache", in: folder)
        let error = try #require(loadError(folder))
        #expect(error.description == "Templates/partials/a.mustache:3: partials include each other in a cycle, which would never "
                + "end: partials/a → report → sections/7.2 → partials/b → partials/a", "\(error)")
    }
}
