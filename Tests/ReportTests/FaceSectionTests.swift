import Foundation
import MarkupValidation
import Testing
import TestSupport
@testable import Report
@testable import Study

/// Part 7 in the report, from a hand-built face study: every section is computed,
/// findings follow the numbers, data-derived text is escaped, the site checks pass,
/// and a study without face results says how to compute them.
@Suite struct FaceSectionTests {
    static let ids = ["7.1-xgboost", "7.1-scratch", "7.1-probe", "7.1-logreg", "7.1-finetune", "7.1-summary", "7.2"]

    private func study(_ faces: FaceFixture = FaceFixture()) -> FixtureStudy {
        var study = FixtureStudy()
        study.faces = faces
        return study
    }

    private func findings(_ faces: FaceFixture, _ id: String) throws -> [String] {
        ReportFixtures.findings(try ReportFixtures.site(study(faces)), id)
    }

    private func contains(_ findings: [String], _ text: String) -> Bool {
        findings.contains { $0.contains(text) }
    }

    @Test func everyPart7SectionIsComputedWithFindingsFiguresAndTables() throws {
        let site = try ReportFixtures.site(study())
        let html = site.file("index.html")!.text
        for id in Self.ids {
            let section = try #require(ReportFixtures.section(html, id), "no section \(id)")
            #expect(section.contains("class=\"question computed\""), "\(id) is not computed")
            #expect(!ReportFixtures.findings(site, id).isEmpty, "\(id) has no findings")
            #expect(section.contains("<figure"), "\(id) has no figure")
            #expect(section.contains("tables/\(id)-settings.csv"), "\(id) has no settings table")
            for file in site.files where file.path.hasPrefix("figures/\(id)-") || file.path.hasPrefix("tables/\(id)-") {
                #expect(section.contains(file.path), "\(file.path) is not linked from \(id)")
            }
        }
        #expect(site.file("figures/7.1-scratch-iteration-loss.svg") != nil)
        #expect(site.file("figures/7.1-xgboost-iteration-loss.svg") == nil, "XGBoost has no iterations")
        #expect(site.file("figures/7.2-best-vs-worst.svg")?.text.contains("data:image/png;base64,") == true)
        #expect(html.contains("18 of 18 questions are answered"), "the lead counts Part 7")
    }

    /// Part 7's introduction says what the built-in faces are, and only for them.
    @Test func builtInFacesAreIntroducedAsADesignedMiniature() throws {
        func intro(_ strength: Double?, weights: String? = nil) throws -> String {
            var faces = FaceFixture()
            faces.builtInStrength = strength
            if let weights { faces.weightsFile = weights }
            let html = try #require(ReportFixtures.site(study(faces)).file("index.html")).text
            return String(try #require(html.components(separatedBy: "<p class=\"part-intro\">").last?.prefix { $0 != "<" }))
        }
        let folder = try intro(nil), calibrated = try intro(1), none = try intro(0), weights = try intro(1, weights: "r18.pth")
        #expect(!folder.contains("designed miniature"), "\(folder)")
        #expect(calibrated.contains("designed miniature") && calibrated.contains("calibrated by measurement"), "\(calibrated)")
        #expect(calibrated.contains("never on the real/fake labels"), "\(calibrated)")
        #expect(none.contains("cannot be told apart") && !none.contains("calibrated"), "\(none)")
        #expect(!weights.contains("Our own backbone"), "with --weights the backbone is not ours: \(weights)")
    }

    @Test func learningRateFindingsFollowTheNumbers() throws {
        var faces = FaceFixture()
        let before = try findings(faces, "7.1-finetune")
        // One seed: 0.900 against 0.860 on 100 test images is within 2·√((0.9·0.1 + 0.86·0.14)/100) = 0.092.
        #expect(contains(before, "Of the 5 learning rates, lr 0.001 reaches the highest test accuracy, 0.900; next is lr 0.0001 at 0.860: "
                                 + "the difference is within the sampling error of 100 test images (±0.092)."))
        #expect(contains(before, "picks the same rate"))
        #expect(contains(before, "lr 0.1 (0.500) is no better than guessing: within the chance level of 0.5 ± 0.100 on 100 test images."))
        faces.accuracy[.finetune]![0.0001] = 0.93
        faces.accuracy[.finetune]![0.1] = 0.75
        let after = try findings(faces, "7.1-finetune")
        #expect(contains(after, "lr 0.0001 reaches the highest test accuracy, 0.930; next is lr 0.001 at 0.900: the difference is within"))
        #expect(!contains(after, "no better than guessing"))
        #expect(before != after)
        // On 1,000 test images the same 0.04 is beyond the band (0.029): stated as a difference.
        faces = FaceFixture()
        faces.testCount = 1_000
        #expect(contains(try findings(faces, "7.1-finetune"), "lr 0.001 reaches the highest test accuracy, 0.900; next is lr 0.0001 at 0.860."))
    }

    /// The generalisation gap of the best rate counts only beyond what sampling explains:
    /// the test images', and the training images' too when the train accuracy was
    /// measured on some of them (the table says on how many).
    @Test func theGapAllowsForASampledTrainAccuracy() throws {
        var faces = FaceFixture()
        faces.testCount = 1_000
        // Fine-tuning's best rate: train 0.980 against test 0.900, a gap of 0.080.
        let whole = try findings(faces, "7.1-finetune")
        #expect(contains(whole, "a gap of 0.080, larger than the ±0.032 that sampling the 1,000 test images explains"), "\(whole)")
        faces.trainSample = 100
        // 2·√(0.98·0.02/100 + 0.9·0.1/1000) = 0.034, more than the test images' margin alone (0.032).
        #expect(contains(try findings(faces, "7.1-finetune"),
                         "larger than the ±0.034 that sampling the 100 training and 1,000 test images explains"))
        // Ten training images: 2·√(0.98·0.02/10 + 0.9·0.1/1000) = 0.091, more than the gap.
        faces.trainSample = 10
        #expect(!contains(try findings(faces, "7.1-finetune"), "a gap of"))
        let site = try ReportFixtures.site(study(faces))
        let table = try #require(site.file("index.html")).text
        #expect(table.contains("Train accuracy is measured on 10 of the 4,000 training images, spread evenly over the split"))
    }

    /// 7.1-finetune answers its question: what adapting every weight gains over the probe.
    @Test func fineTuningIsComparedWithTheProbe() throws {
        var faces = FaceFixture()
        // 0.900 against 0.810 on 100 images: within 2·√((0.9·0.1 + 0.81·0.19)/100) = 0.099.
        #expect(contains(try findings(faces, "7.1-finetune"), "Against training the last layer only (the best linear probe, lr 0.01, "
                         + "0.810), fine-tuning's best, lr 0.001 at 0.900, is not measurably different: the difference is within "
                         + "the sampling error of 100 test images (±0.099)."))
        faces.testCount = 1_000
        #expect(contains(try findings(faces, "7.1-finetune"), "is higher by 0.090, beyond the sampling error of 1,000 test images (±0.031): "
                         + "adapting the whole network gains over the frozen features."))
        faces.missing = ["7.1-probe"]
        #expect(!contains(try findings(faces, "7.1-finetune"), "Against training the last layer only"))
    }

    /// Every rate above the chance level is said to be, and a tie on validation accuracy
    /// says what broke it.
    @Test func aboveChanceAndValidationTiesAreSaid() throws {
        var faces = FaceFixture()
        faces.accuracy[.xgboost] = [0.1: 0.75, 0.01: 0.70, 0.00001: 0.65]
        #expect(contains(try findings(faces, "7.1-xgboost"), "Every learning rate does better than guessing: each test accuracy is above "
                         + "the chance level of 0.5 ± 0.100 on 100 test images."))
        // lr 0.001 ties with lr 0.01 on validation accuracy and loss (0.77 + 0.05 = 0.81 + 0.01).
        faces.validationOffset["probe 0.001"] = 0.05
        let tied = try findings(faces, "7.1-probe")
        #expect(contains(tied, "picks the same rate (validation 0.820; lr 0.001 has the same validation accuracy and loss, "
                         + "and the first listed is taken)."), "\(tied)")
    }

    /// A batch loss under ln 2 is not called learning when the test images say guessing.
    @Test func aLowBatchLossAtChanceIsSaidNotToCarryOver() throws {
        var faces = FaceFixture()
        // The fixture's batch losses end near 0.7 − 0.6·(accuracy − 0.5) − 0.011: above ln 2 at 0.45, below at 0.53.
        faces.accuracy[.scratch] = [0.1: 0.50, 0.01: 0.45, 0.001: 0.53, 0.0001: 0.54, 0.00001: 0.45]
        let atChance = try findings(faces, "7.1-scratch")
        #expect(contains(atChance, "Only lr 0.1, lr 0.001 and lr 0.0001 end with a training loss below 0.693, the loss of answering 0.5 for "
                         + "every image; on the test images none of them beats guessing."), "\(atChance)")
        faces.accuracy[.scratch]![0.001] = 0.75
        let learned = try findings(faces, "7.1-scratch")
        #expect(contains(learned, "the loss of answering 0.5 for every image.") && !contains(learned, "beats guessing."), "\(learned)")
    }

    @Test func validationChoiceDivergenceAndChanceAreNamed() throws {
        var faces = FaceFixture()
        let probe = try findings(faces, "7.1-probe")
        #expect(contains(probe, "Choosing by validation accuracy instead would pick lr 0.001 (validation 0.830), whose test accuracy is 0.770, "
                                + "not measurably different from the best by test."))
        var more = faces
        more.testCount = 1_000
        #expect(contains(try findings(more, "7.1-probe"), "whose test accuracy is 0.770, lower than the best by test."))
        let scratch = try findings(faces, "7.1-scratch")
        #expect(contains(scratch, "With lr 0.1, training diverged: the training loss became infinite or NaN during epoch 1 (iteration 7), and training stopped there."))
        #expect(contains(scratch, "lr 0.01 (0.550) and lr 0.00001 (0.510) are no better than guessing"))
        #expect(contains(scratch, "the training loss fell with"))
        faces.accuracy[.xgboost] = [0.1: 0.52, 0.01: 0.47, 0.00001: 0.5]
        let xgboost = try findings(faces, "7.1-xgboost")
        #expect(contains(xgboost, "No learning rate does better than guessing"))
        #expect(!contains(xgboost, "training loss"), "XGBoost has no training loss per iteration")
        faces.accuracy[.xgboost] = [0.1: 0.6, 0.01: 0.6, 0.00001: 0.6]
        let tied = try findings(faces, "7.1-xgboost")
        #expect(contains(tied, "All 3 learning rates that trained reach the same test accuracy, 0.600."))
        #expect(!contains(tied, "reaches the highest"))
    }

    @Test func logisticRegressionComparesWithTheProbe() throws {
        var faces = FaceFixture()
        let before = try findings(faces, "7.1-logreg")
        #expect(contains(before, "Logistic regression reaches 0.870 on the training images and 0.790 on the test images: a generalisation gap of +0.080"))
        #expect(contains(before, "logistic regression's test accuracy (0.790) is not measurably different from the best linear probe's "
                                 + "(lr 0.01, 0.810): the difference is within the sampling error of 100 test images (±0.113)."))
        faces.testCount = 1_000
        faces.accuracy[.logisticRegression] = [0: 0.70]
        #expect(contains(try findings(faces, "7.1-logreg"), "(0.700) is lower than the best linear probe's (lr 0.01, 0.810)."))
        faces.accuracy[.logisticRegression] = [0: 0.90]
        #expect(contains(try findings(faces, "7.1-logreg"), "(0.900) is higher than the best linear probe's (lr 0.01, 0.810)."))
        faces.missing = ["7.1-probe"]
        #expect(contains(try findings(faces, "7.1-logreg"), "The linear probe (7.1 linear probing) is not computed"))
    }

    @Test func sharedFeatureExtractionIsItsOwnRow() throws {
        // The time column of a results table, summed over the learning-rate rows.
        func runSeconds(_ site: Site, _ table: String) throws -> Double {
            let csv = try #require(site.file(table)).text
            return csv.split(whereSeparator: \.isNewline).dropFirst().filter { !$0.contains("Feature extraction") }
                .compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }.reduce(0, +)
        }
        var faces = FaceFixture()
        let plain = try ReportFixtures.site(FixtureStudy(faces: faces))
        #expect(!(try #require(plain.file("tables/7.1-probe-results.csv")).text.contains("Feature extraction")))
        faces.featureSeconds = 1.5
        let site = try ReportFixtures.site(FixtureStudy(faces: faces))
        for table in ["tables/7.1-probe-results.csv", "tables/7.1-logreg-results.csv"] {
            let csv = try #require(site.file(table), "\(table)").text
            #expect(csv.contains("Feature extraction, shared"), "\(table)")
            #expect(csv.split(whereSeparator: \.isNewline).last?.hasSuffix(",1.5") == true, "\(table)")
        }
        // The probe run that extracted the features is charged its own time only.
        let difference = try runSeconds(plain, "tables/7.1-probe-results.csv") - runSeconds(site, "tables/7.1-probe-results.csv")
        #expect(abs(difference - 1.5) < 0.011)
    }

    @Test func confusionOfEachMethodsBestRunFollowsItsPredictions() throws {
        let faces = FaceFixture()
        let site = try ReportFixtures.site(FixtureStudy(faces: faces))
        let csv = try #require(site.file("tables/7.1-summary-confusion.csv")).text
        let rows = csv.split(whereSeparator: \.isNewline).dropFirst()
        #expect(rows.count == 5, "\(csv)")
        for row in rows {
            // The four counts of every run add up to the test set.
            let cells = row.split(separator: ",").map(String.init)
            let counts = cells.suffix(6).prefix(4).compactMap { Int($0) }
            #expect(counts.count == 4 && counts.reduce(0, +) == faces.testCount, "\(row)")
        }
        // XGBoost's best run calls every real image real and 40% of the fakes fake.
        #expect(contains(try findings(faces, "7.1-summary"), "XGBoost leans most towards answering real: it recognises 100% of the "
                         + "real test images and catches 40% of the fakes."))
        var perfect = faces
        for rate in perfect.accuracy[.xgboost]!.keys { perfect.accuracy[.xgboost]![rate] = 1 }
        #expect(!contains(try findings(perfect, "7.1-summary"), "XGBoost leans"))
    }

    @Test func summaryFindingsFollowTheNumbers() throws {
        var faces = FaceFixture()
        faces.testCount = 400
        let before = try findings(faces, "7.1-summary")
        #expect(contains(before, "Ranked by test accuracy at their best learning rate: Fine-tuning (0.900), Linear probing (0.810), "
                                 + "Logistic regression (0.790), XGBoost (0.700), ResNet18 from scratch (0.680)."))
        #expect(contains(before, "Fine-tuning has the highest test accuracy and ResNet18 from scratch the lowest, 0.220 apart."))
        #expect(contains(before, "so pretraining helped every method that starts from it"))
        #expect(contains(before, "so only Fine-tuning and Linear probing beat the trees on pixels"))
        #expect(contains(before, "changes the choice for Linear probing (lr 0.001 instead of lr 0.01)"))
        #expect(contains(before, "(one run each: a difference within two standard errors of the difference of two accuracies "
                                 + "on 400 test images, ±0.062 at most, is not counted)"))
        faces.accuracy[.scratch]![0.001] = 0.95
        let after = try findings(faces, "7.1-summary")
        #expect(contains(after, "ResNet18 from scratch has the highest test accuracy and XGBoost the lowest"))
        #expect(contains(after, "so on these numbers pretraining could not be shown to help"))
        #expect(contains(after, "so every network beats the trees on pixels"))
    }

    /// With one seed, a method is higher than another only beyond what sampling the
    /// test images explains: the same accuracies on a quarter of the images are ties.
    @Test func oneSeedComparisonsAllowForTheTestImagesSampling() throws {
        var faces = FaceFixture()
        faces.testCount = 100
        let few = try findings(faces, "7.1-summary")
        // Against from scratch (0.680): logistic regression's 0.790 is within 2·√((0.79·0.21 + 0.68·0.32)/100) = 0.124.
        #expect(contains(few, "Logistic regression is not measurably different (0.790)"))
        #expect(contains(few, "so pretraining helped Fine-tuning and Linear probing only"))
        // Against XGBoost (0.700): linear probing's 0.810 is within 0.121, fine-tuning's 0.900 beyond 0.110.
        #expect(contains(few, "Linear probing is not measurably different (0.810)"))
        #expect(contains(few, "so only Fine-tuning beat the trees on pixels"))
        #expect(contains(few, "on 100 test images, ±0.124 at most, is not counted"))
        let (a, b) = (try #require(Estimate([0.79])).sampledOn(images: 100), try #require(Estimate([0.68])).sampledOn(images: 100))
        #expect(abs(try #require(Comparison.noiseBand(a, b)) - 0.12378) < 1e-4)
    }

    @Test func intervalsDecideComparisonsWithSeeds() throws {
        var faces = FaceFixture()
        faces.seeds = 3
        faces.seedSpread = 0.002
        let narrow = try findings(faces, "7.1-summary")
        #expect(contains(narrow, "Fine-tuning has the highest test accuracy and ResNet18 from scratch the lowest, 0.220 apart; the 95% intervals do not overlap."))
        // A spread of 0.1 gives a half-width of 4.303 × 0.1 / √3 = 0.248: wider than most gaps.
        faces.seedSpread = 0.1
        let wide = try findings(faces, "7.1-summary")
        #expect(contains(wide, "the 95% intervals overlap, so the two are indistinguishable"))
        #expect(contains(wide, "Linear probing is indistinguishable"))
        let site = try ReportFixtures.site(study(faces))
        let section = try #require(ReportFixtures.section(site.file("index.html")!.text, "7.2"))
        #expect(section.contains("first seed (seed 0)"))
    }

    /// Two methods tied at the top can differ in spread: the sentence on the best and
    /// worst compares each pair, and says which intervals overlap.
    @Test func tiedBestMethodsAreComparedWithTheWorstOneByOne() throws {
        var faces = FaceFixture()
        faces.seeds = 3
        faces.testCount = 64  // accuracies in 64ths: means of three seeds are exact
        faces.seedSpread = 1.0 / 64
        faces.accuracy = [
            .xgboost: [0.1: 0.75, 0.01: 0.625, 0.00001: 0.625],
            .scratch: [0.1: 0.5, 0.01: 0.5, 0.001: 0.5, 0.0001: 0.5, 0.00001: 0.5],
            .probe: [0.1: 0.625, 0.01: 0.625, 0.001: 0.625, 0.0001: 0.625, 0.00001: 0.625],
            .logisticRegression: [0: 0.625],
            .finetune: [0.1: 0.625, 0.01: 0.625, 0.001: 0.75, 0.0001: 0.625, 0.00001: 0.625],
        ]
        faces.diverging = []
        faces.methodSpread = [.xgboost: 0, .finetune: 0.125]
        let mixed = try findings(faces, "7.1-summary")
        #expect(contains(mixed, "XGBoost and Fine-tuning share the highest test accuracy and ResNet18 from scratch the lowest, 0.250 apart; "
                                + "the 95% intervals do not overlap for XGBoost and ResNet18 from scratch, "
                                + "and overlap for Fine-tuning and ResNet18 from scratch."), "\(mixed)")
        // Both tied methods narrow: the intervals do not overlap, said once.
        faces.methodSpread = [.xgboost: 0, .finetune: 1.0 / 64]
        #expect(contains(try findings(faces, "7.1-summary"), "XGBoost and Fine-tuning share the highest test accuracy and "
                                                             + "ResNet18 from scratch the lowest, 0.250 apart; the 95% intervals do not overlap."))
    }

    @Test func samplesSayHowManyImagesSeparateTwoRuns() throws {
        var faces = FaceFixture()
        let separated = try findings(faces, "7.2")
        #expect(contains(separated, "The best method's best run (Fine-tuning, lr 0.001) against the worst method's "
                                    + "(ResNet18 from scratch, lr 0.001): "))
        #expect(contains(separated, "of the 100 test images are right with the first and wrong with the second"))
        // With one shared order, the better run gets every image right that the worse one does.
        faces.sharedOrder = true
        faces.accuracy[.probe] = [0.1: 0.68, 0.01: 0.68, 0.001: 0.68, 0.0001: 0.68, 0.00001: 0.68]
        let site = try ReportFixtures.site(study(faces))
        let tied = ReportFixtures.findings(site, "7.2")
        #expect(contains(tied, "Linear probing's two best runs, lr 0.1 against lr 0.01: no test image is right with the first and wrong with the "
                                + "second; the two runs put every test image in the same class."))
        #expect(site.file("figures/7.2-probe-two-best.svg") == nil)
    }

    @Test func hostileFileNamesAndBackboneDescriptionAreEscaped() throws {
        var faces = FaceFixture()
        faces.weightsFile = "<script>alert(3)</script> \"shapes\" & textures.safetensors"
        let site = try ReportFixtures.site(study(faces))
        let html = site.file("index.html")!.text
        for raw in ["<script", "<img src=x", "<b>faces"] {
            #expect(!html.contains(raw), "\(raw) appears unescaped")
        }
        #expect(html.contains("ResNet18 weights from &lt;script&gt;alert(3)&lt;/script&gt; &quot;shapes&quot; &amp; textures.safetensors"))
        #expect(html.contains("&lt;img src=x onerror=alert("))
        #expect(html.contains("folder &lt;b&gt;faces&lt;/b&gt; &amp; co"))
        for file in site.files where file.path.hasSuffix(".svg") {
            #expect(!file.text.contains("<img") && !file.text.contains("<script"), "\(file.path) carries raw markup")
            #expect(MarkupValidator.xmlErrors(file.text, name: file.path).isEmpty, "\(file.path) is not well-formed")
        }
        let grid = try #require(site.file("figures/7.2-best-vs-worst.svg")).text
        #expect(grid.contains("&lt;img src=x onerror=alert("))
        #expect(MarkupValidator.htmlErrors(html, name: "index.html").isEmpty)
        // CSV is not markup: names stay as they are.
        #expect(try #require(site.file("tables/7.2-samples.csv")).text.contains("<img src=x onerror=alert("))
    }

    @Test func publishedSitePassesTheChecksAndLinksResolve() throws {
        var faces = FaceFixture()
        faces.seeds = 2
        var fixture = study(faces)
        fixture.seeds = 2
        let output = ReportFixtures.temporaryDirectory("faces")
        // publish runs SiteChecks: HTML parses, SVG is XML, every local link resolves.
        let summary = try ReportPipeline.publish(fixture.input(), templates: ReportFixtures.loadTemplates(),
                                                 build: ReportFixtures.build, output: output)
        #expect(summary.computed == 18)
        let files = try #require(FileManager.default.subpaths(atPath: output.path)).filter { !$0.hasPrefix(".") }
        let html = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: "(?:href|src)=\"([^\"#][^\"]*)\"")
        let references = pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            String(html[Range($0.range(at: 1), in: html)!])
        }
        for id in Self.ids {
            #expect(references.contains { $0.hasSuffix("/tables/\(id)-settings.csv") }, "\(id)")
        }
        for reference in references where !reference.hasPrefix("data:") {
            #expect(!reference.contains("://"), "\(reference) leaves the site")
            #expect(files.contains(reference), "\(reference) is missing")
        }
        let results = try JSONSerialization.jsonObject(
            with: Data(contentsOf: publishedReportFolder(output).appendingPathComponent("results.json"))) as! [String: Any]
        let part7 = try #require(results["faces"] as? [String: Any])
        #expect((part7["experiments"] as? [Any])?.count == 7)
        #expect(part7["missing"] as? [String] == [])
    }

    @Test func provenanceNamesThePart7DataBackboneAndRuns() throws {
        let fixture = study()
        let site = try ReportFixtures.site(fixture)
        let html = site.file("index.html")!.text
        let footer = try #require(html.range(of: "<footer").map { String(html[$0.lowerBound...]) })
        #expect(footer.contains(String(repeating: "cd", count: 32)))
        #expect(footer.contains("400 train / 50 validation / 100 test images (200 / 25 / 50 fake), 8×8"))
        #expect(footer.contains("Pretrained backbone"))
        #expect(footer.contains("backbone of 7.1-probe, 7.1-logreg, 7.1-finetune"))
        let runs = try #require(site.file("tables/runs.csv")).text
        // Part 6 runs, Part 7's 19 runs and the backbone's pretraining.
        #expect(runs.split(separator: "\r\n").count == 1 + fixture.results().count + 19 + 1)
        #expect(runs.contains("7.1-xgboost eta 0.1; 7.1-summary XGBoost, eta 0.1; 7.2 XGBoost, eta 0.1"))
        // Each run's mean cores: XGBoost's two, a dash for the backbone, whose entry has none.
        let lines = runs.split(separator: "\r\n")
        func cores(_ line: Substring) -> Substring { line.split(separator: ",", omittingEmptySubsequences: false).dropLast(2).last ?? "" }
        let xgboost = try #require(lines.first { $0.contains("7.1-xgboost eta 0.1;") })
        #expect(cores(xgboost) == "2", "\(xgboost)")
        let backbone = try #require(lines.first { $0.hasSuffix(",pretrained") })
        #expect(cores(backbone) == "–", "\(backbone)")
        #expect(html.contains("Wall times are on the cores the scheduler gave each run"))
    }

    @Test func withoutFaceResultsEveryPart7SectionSaysHowToComputeIt() throws {
        let site = try ReportFixtures.site(FixtureStudy())
        let html = site.file("index.html")!.text
        for id in Self.ids {
            let section = try #require(ReportFixtures.section(html, id))
            #expect(section.contains("Not computed — run <code>nnreport run --only \(id)</code>"), "\(id)")
            #expect(!section.contains("<figure"))
        }
        var faces = FaceFixture()
        faces.missing = ["7.1-xgboost"]
        let partial = try ReportFixtures.site(study(faces)).file("index.html")!.text
        for id in ["7.1-xgboost", "7.1-summary", "7.2"] {
            // The command repeats the plan, with the face folder of the fixture.
            #expect(ReportFixtures.section(partial, id)!.contains("Not computed — run <code>nnreport run --only \(id) --faces "), "\(id)")
        }
        for id in ["7.1-scratch", "7.1-probe", "7.1-logreg", "7.1-finetune"] {
            #expect(ReportFixtures.section(partial, id)!.contains("class=\"question computed\""), "\(id)")
        }
    }

    @Test func missingCommandRepeatsThePart7Plan() {
        var record = FaceFixture().manifest()
        record.settings = StudySettings(quick: false, seeds: [3, 4], xgboostRounds: 100, backbone: record.backbone)
        record.settings.quick = true
        record.shape.imageSize = 96
        record.shape.dataSource = "/data/my faces"
        #expect(RunCommandText.command(only: "7.2", part: .seven, manifest: StudyManifest(faces: record))
                == "nnreport run --only 7.2 --quick --seed 3 --seeds 2 --faces '/data/my faces' --image-size 96 --xgboost-rounds 100")
        #expect(RunCommandText.command(only: "7.2", part: .seven, manifest: StudyManifest()) == "nnreport run --only 7.2")
    }

    @Test func thumbnailsBecomePNGs() throws {
        let manifest = FaceFixture().manifest()
        let png = try #require(manifest.thumbnailPNG(0))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(manifest.thumbnailPNG(manifest.testCount) == nil)
    }
}
