import Foundation
import MarkupValidation
import Testing
import TestSupport
@testable import Report
@testable import Study

/// The rendered report from fixture results: golden fragments, well-formed markup,
/// links that resolve, escaping, missing results and determinism.
@Suite struct RenderingTests {
    @Test(.tags(.golden)) func goldenSections() throws {
        let site = try ReportFixtures.site(FixtureStudy())
        let html = site.file("index.html")!.text
        var golden = ""
        for id in ["6.1.2-q1", "6.1.2-q4", "6.2-q5", "7.1-xgboost"] {
            golden += "<!-- section \(id) -->\n" + (try #require(ReportFixtures.section(html, id), "no section \(id)")) + "\n"
        }
        let footer = try #require(html.range(of: "<footer").map { String(html[$0.lowerBound...]) })
        golden += "<!-- provenance -->\n" + footer + "\n"
        // With three seeds: intervals in the tables and bands in the figures.
        var seeds = FixtureStudy()
        seeds.seeds = 3
        let threeSeeds = try ReportFixtures.site(seeds).file("index.html")!.text
        golden += "<!-- section 6.1.2-q3, three seeds -->\n" + (try #require(ReportFixtures.section(threeSeeds, "6.1.2-q3"))) + "\n"
        // Part 7, from the hand-built face study.
        var faces = FixtureStudy()
        faces.faces = FaceFixture()
        let part7 = try ReportFixtures.site(faces).file("index.html")!.text
        for id in ["7.1-probe", "7.2"] {
            golden += "<!-- section \(id) -->\n" + (try #require(ReportFixtures.section(part7, id))) + "\n"
        }
        assertHTMLSnapshot(golden, named: "sections")
    }

    @Test func everyQuestionHasASectionAndPart7IsMissingWithoutFaceResults() throws {
        let site = try ReportFixtures.site(FixtureStudy())
        let html = site.file("index.html")!.text
        // 6.2-tune belongs to a study run with --tune only; the fixture ran without.
        #expect(ReportFixtures.section(html, "6.2-tune") == nil)
        for id in ReportCatalog.sectionIDs where id != "6.2-tune" {
            let section = try #require(ReportFixtures.section(html, id), "no section \(id)")
            if id.hasPrefix("6") {
                #expect(section.contains("class=\"question computed\""), "\(id) is not computed")
                #expect(!ReportFixtures.findings(site, id).isEmpty, "\(id) has no findings")
                #expect(section.contains("<figure"), "\(id) has no figure")
                #expect(section.contains("tables/\(id)-"), "\(id) has no table")
            } else {
                #expect(section.contains("Not computed — run <code>nnreport run --only \(id)</code>"), "\(id) should say how to compute it")
            }
        }
    }

    @Test func publishedSiteParsesAndEveryLocalReferenceResolves() throws {
        var study = FixtureStudy()
        study.seeds = 2
        let output = ReportFixtures.temporaryDirectory("valid")
        _ = try ReportPipeline.publish(study.input(), templates: ReportFixtures.loadTemplates(), build: ReportFixtures.build,
                                       output: output)
        let files = try #require(FileManager.default.subpaths(atPath: output.path)).filter { !$0.hasPrefix(".") }
        let folder = try publishedReportFolder(output).lastPathComponent
        #expect(files.contains("index.html") && files.contains(folder + "/style.css") && files.contains(folder + "/results.json"))
        var svgCount = 0, csvCount = 0
        for path in files {
            let url = output.appendingPathComponent(path)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            if path.hasSuffix(".svg") {
                svgCount += 1
                #expect(MarkupValidator.xmlErrors(text, name: path).isEmpty, "\(path) is not well-formed XML")
            }
            if path.hasSuffix(".csv") { csvCount += 1 }
            guard path.hasSuffix(".html") else { continue }
            #expect(MarkupValidator.htmlErrors(text, name: path).isEmpty, "\(path): \(MarkupValidator.htmlErrors(text, name: path))")
            // An independent look at the links: every href/src outside the page is a file of the site.
            let pattern = try NSRegularExpression(pattern: "(?:href|src)=\"([^\"#][^\"]*)\"")
            let references = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
                String(text[Range($0.range(at: 1), in: text)!])
            }
            #expect(references.count > 40)
            for reference in references where !reference.hasPrefix("data:") {
                #expect(!reference.contains("://"), "\(reference) leaves the site")
                #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(reference).path), "\(reference) is missing")
            }
            let anchors = try NSRegularExpression(pattern: "href=\"#([^\"]+)\"")
            for match in anchors.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let id = String(text[Range(match.range(at: 1), in: text)!])
                #expect(text.contains("id=\"\(id)\""), "#\(id) points nowhere")
            }
        }
        #expect(svgCount == 21)
        #expect(csvCount == 23)
    }

    @Test func dataDerivedTextIsEscaped() throws {
        var study = FixtureStudy()
        study.experiments = StudyCatalog.all.map { $0.id == "6.1.2-q3" ? HostileBatchNormQuestion() : $0 }
        study.dataSource = "folder <script>alert(2)</script> & co"
        let site = try ReportFixtures.site(study)
        let html = site.file("index.html")!.text
        for raw in ["<script", "<img src=x"] {
            #expect(!html.contains(raw), "\(raw) appears unescaped")
        }
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; without"))
        #expect(html.contains("&lt;script&gt;alert(2)&lt;/script&gt; &amp; co"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("with &quot;batch&quot; &amp; &#39;norm&#39;"))
        for file in site.files where file.path.hasSuffix(".svg") {
            #expect(!file.text.contains("<script") && !file.text.contains("<img"), "\(file.path) carries raw markup")
        }
        #expect(MarkupValidator.htmlErrors(html, name: "index.html").isEmpty)
        // CSV is not markup: labels stay as they are, quoted where needed.
        let csv = try #require(site.file("tables/6.1.2-q3-metrics.csv")).text
        #expect(csv.contains("\"with \"\"batch\"\" & 'norm'\""))
    }

    @Test func missingResultsSayHowToComputeThem() throws {
        var study = FixtureStudy()
        // The batch-size runs are the only ones no other question shares.
        study.missing = ["6.1.2-q4"]
        let site = try ReportFixtures.site(study)
        let html = site.file("index.html")!.text
        let section = try #require(ReportFixtures.section(html, "6.1.2-q4"))
        // The fixture ran Part 6 with one seed, not the default three: the command says so.
        #expect(section.contains("Not computed — run <code>nnreport run --only 6.1.2-q4 --seeds 1</code>"))
        #expect(!section.contains("<figure"))
        #expect(html.contains("<a href=\"#q-6-1-2-q4\">Batch size</a> <span class=\"status missing\">not computed</span>"))
        #expect(ReportFixtures.section(html, "6.1.2-q3")!.contains("class=\"question computed\""))
        let results = try JSONSerialization.jsonObject(with: site.file("results.json")!.data) as! [String: Any]
        #expect(results["missing"] as? [String] == ["6.1.2-q4"])
    }

    @Test func missingCommandRepeatsThePlan() {
        var record = FixtureStudy().manifest()
        record.settings = StudySettings(quick: true, seeds: [5, 6, 7])
        record.shape.dataSource = "/data/my towns"
        #expect(RunCommandText.command(only: "6.2-q1", part: .six, manifest: StudyManifest(map: record))
                == "nnreport run --only 6.2-q1 --quick --seed 5 --seeds 3 --data '/data/my towns'")
        #expect(RunCommandText.command(only: "6.2-q1", part: .six, manifest: StudyManifest()) == "nnreport run --only 6.2-q1")
    }

    @Test func withoutAnyRunEverySectionIsNotComputed() throws {
        let input = LoadedStudy(manifest: StudyManifest(), results: [:])
        let output = ReportFixtures.temporaryDirectory("empty")
        _ = try ReportPipeline.publish(input, templates: ReportFixtures.loadTemplates(), build: ReportFixtures.build, output: output)
        let html = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        for id in ReportCatalog.sectionIDs where id.hasPrefix("6") && id != "6.2-tune" {
            #expect(html.contains("<code>nnreport run --only \(id)</code>"))
        }
        #expect(!html.contains("--only 6.2-tune"))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("results.json").path))
        #expect(html.contains("No results yet"))
    }

    @Test func renderingTwiceGivesTheSameBytes() throws {
        var study = FixtureStudy()
        study.seeds = 2
        let first = ReportFixtures.temporaryDirectory("twice-a"), second = ReportFixtures.temporaryDirectory("twice-b")
        let templates = try ReportFixtures.loadTemplates()
        _ = try ReportPipeline.publish(study.input(), templates: templates, build: ReportFixtures.build, output: first)
        _ = try ReportPipeline.publish(study.input(), templates: templates, build: ReportFixtures.build, output: second)
        // Again into the first folder, over the previous report.
        _ = try ReportPipeline.publish(study.input(), templates: templates, build: ReportFixtures.build, output: first)
        let paths = try #require(FileManager.default.subpaths(atPath: first.path)).sorted()
        #expect(paths == (try #require(FileManager.default.subpaths(atPath: second.path)).sorted()))
        for path in paths {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: first.appendingPathComponent(path).path, isDirectory: &isDirectory)
            guard !isDirectory.boolValue else { continue }
            #expect(FileManager.default.contents(atPath: first.appendingPathComponent(path).path)
                    == FileManager.default.contents(atPath: second.appendingPathComponent(path).path), "\(path) differs")
        }
    }

    @Test func publishingKeepsTheCacheAndReadmeAndReplacesStaleItems() throws {
        let output = ReportFixtures.temporaryDirectory("keep")
        let cache = output.appendingPathComponent(".cache/runs")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try "entry".write(to: cache.appendingPathComponent("x.json"), atomically: true, encoding: .utf8)
        try "readme".write(to: output.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: output.appendingPathComponent("figures"), withIntermediateDirectories: true)
        try "stale".write(to: output.appendingPathComponent("figures/old.svg"), atomically: true, encoding: .utf8)
        try "stale".write(to: output.appendingPathComponent("results.json"), atomically: true, encoding: .utf8)
        _ = try ReportPipeline.publish(LoadedStudy(manifest: StudyManifest(), results: [:]), templates: ReportFixtures.loadTemplates(),
                                       build: ReportFixtures.build, output: output)
        #expect(try String(contentsOf: cache.appendingPathComponent("x.json"), encoding: .utf8) == "entry")
        #expect(try String(contentsOf: output.appendingPathComponent("README.md"), encoding: .utf8) == "readme")
        // The flat layout of earlier versions is replaced by the report's folder.
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("figures").path))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("results.json").path))
        #expect(FileManager.default.fileExists(atPath: try publishedReportFolder(output).appendingPathComponent("style.css").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.path)
            .filter { $0.hasPrefix(".") && $0 != ".cache" && $0 != ".lock" }
        #expect(leftovers.isEmpty)
    }

    @Test func provenanceNamesCommitMachineSeedsAndRunDate() throws {
        var study = FixtureStudy()
        study.seeds = 2
        let site = try ReportFixtures.site(study)
        let html = site.file("index.html")!.text
        #expect(html.contains("0123456789abcdef0123456789abcdef01234567 (with uncommitted changes)"))
        #expect(html.contains("2 cores, OpenBLAS fixture (Haswell)"))
        #expect(html.contains("<dd>0, 1</dd>"))
        // The latest finishedAt among the runs, never the time of rendering.
        let latest = try #require(study.input().units.map(\.result.finishedAt).max())
        #expect(html.contains(ProvenanceBuilder.readableDate(latest) + " (when the last run finished)"))
        let runs = try #require(site.file("tables/runs.csv")).text
        #expect(runs.split(separator: "\r\n").count == 1 + study.input().units.count)
    }
}
