import Foundation
import Testing
@testable import Report
@testable import Study

/// Findings follow the numbers: change a fixture's numbers and the sentences change.
@Suite struct FindingsTests {
    private func findings(_ study: FixtureStudy, _ id: String) throws -> [String] {
        ReportFixtures.findings(try ReportFixtures.site(study), id)
    }

    private func contains(_ findings: [String], _ text: String) -> Bool {
        findings.contains { $0.contains(text) }
    }

    /// A 95% band of three widely spread seeds can reach below zero, which no loss can:
    /// the band is cut at 0, its label says so, and no loss axis starts below 0.
    @Test func bandsOfLossesStopAtZero() throws {
        var study = FixtureStudy()
        study.seeds = 3
        study.seedSpread = 0.2
        let html = try #require(try ReportFixtures.site(study).file("index.html")).text
        #expect(html.contains("95% interval over 3 seeds, cut at 0"))
        #expect(!html.contains("loss (cross-entropy), linear, -"))
        // One legend entry for the bands of a chart, cut or not.
        let charts = html.components(separatedBy: "<svg").filter { $0.contains("cut at 0") }
        #expect(!charts.isEmpty && charts.allSatisfy { !$0.contains("Shaded: 95% interval over 3 seeds<") })
    }

    /// The dots on 6.1.2 Q4's loss curves mark where each curve, as drawn, reaches the
    /// dashed common level: their labels (the drawn value there) are at or below it.
    @Test func batchSizeDotsSitAtOrBelowTheCommonLevel() throws {
        let html = try #require(try ReportFixtures.site(FixtureStudy()).file("index.html")).text
        let at = try #require(html.range(of: "common level "))
        let svg = html[html[..<at.lowerBound].range(of: "<svg", options: .backwards)!.lowerBound..<html[at.upperBound...].range(of: "</svg>")!.upperBound]
        let digits = svg[svg.range(of: "common level ")!.upperBound...].prefix { $0.isNumber || $0 == "." }
        let level = try #require(Double(String(digits.hasSuffix(".") ? digits.dropLast() : digits)))
        let labels = svg.matches(of: /<text[^>]*>([0-9]+\.[0-9]{2,})<\/text>/).compactMap { Double(String($0.output.1)) }
        #expect(!labels.isEmpty)
        #expect(labels.allSatisfy { $0 <= level + 0.0005 }, "dots \(labels) above the level \(level)")
    }

    @Test func bestLearningRateFollowsTheLosses() throws {
        // Fixture curves end e⁻⁸ short of their target: 0.31 + 3.19·e⁻⁸ = 0.311.
        var study = FixtureStudy()
        let before = try findings(study, "6.1.2-q1")
        #expect(contains(before, "lr 0.001 reaches the lowest validation loss at its best epoch: 0.311 at epoch 50"))
        #expect(contains(before, "The next best, lr 0.01, reaches 0.421."))
        study.learningRateLoss[0.01] = 0.25
        let after = try findings(study, "6.1.2-q1")
        #expect(contains(after, "lr 0.01 reaches the lowest validation loss at its best epoch: 0.251"))
        #expect(contains(after, "The next best, lr 0.001, reaches 0.311."))
        #expect(before != after)
    }

    @Test func divergenceAndStalledRatesAreNamed() throws {
        var study = FixtureStudy()
        let lr = try findings(study, "6.1.2-q1")
        #expect(contains(lr, "With lr 1, training diverged: the training loss became infinite or NaN during epoch 3 (iteration 25)"))
        #expect(contains(lr, "With lr 0.00001, the network barely learns"))
        #expect(contains(lr, "its steps are too small"))
        study.divergingRates = []
        study.learningRateLoss[1] = 3.45
        let noDivergence = try findings(study, "6.1.2-q1")
        #expect(!contains(noDivergence, "diverged"))
        #expect(contains(noDivergence, "With lr 1, the network barely learns"))
        #expect(contains(noDivergence, "lr 1 (3.450)"))
    }

    /// Whether a rate learns is read on each seed's curve: a mean curve that never falls
    /// below its start can hide seeds that do.
    @Test func aRateThatDoesNotLearnIsJudgedSeedBySeed() throws {
        var study = FixtureStudy()
        study.seeds = 3
        study.divergingRates = []
        study.learningRateLoss[1] = 3.45
        #expect(contains(try findings(study, "6.1.2-q1"), "With lr 1, the network barely learns: in every seed its lowest "
                         + "validation loss is less than 10% below its value before training (seed 0: 1.4% below its 3.500, "
                         + "at epoch 50; seed 1: 1.4% below its 3.500, at epoch 50; seed 2: 1.5% below its 3.500, at epoch 50): "
                         + "its steps are too large."))
        study.learningRateLoss[1] = 3.6
        #expect(contains(try findings(study, "6.1.2-q1"), "With lr 1, the validation loss never falls below its value before "
                         + "training, in any of the 3 seeds (seed 0: never below its 3.500, lowest 3.515 at epoch 1; seed 1: "
                         + "never below its 3.500, lowest 3.515 at epoch 1; seed 2: never below its 3.500, lowest 3.514 at epoch 1)"))
        // Seeds far apart: one never gets below its start, one barely does, one learns.
        study.learningRateLoss[1] = 3.3
        study.seedSpread = 0.2
        let mixed = try findings(study, "6.1.2-q1")
        #expect(contains(mixed, "With lr 1, the network barely learns in 2 of 3 seeds: its lowest validation loss is less than "
                         + "10% below its value before training there (seed 0: never below its 3.500, lowest 3.500 at epoch 1; "
                         + "seed 1: 5.7% below its 3.500, at epoch 50; seed 2: 11% below its 3.500, at epoch 50)."))
        #expect(!contains(mixed, "never falls below"))
    }

    /// Sentences read on the curve a figure draws name it: with several seeds, their mean.
    @Test func sentencesOnAMeanCurveSaySo() throws {
        var study = FixtureStudy()
        study.epochWiggle = 0.01
        let one = try findings(study, "6.1.2-q2") + findings(study, "6.2-q1") + findings(study, "6.1.2-q1")
        study.seeds = 3
        let three = try findings(study, "6.1.2-q2") + findings(study, "6.2-q1") + findings(study, "6.1.2-q1")
        #expect(contains(one, "The validation loss is lowest at epoch 100 and ends within 1% of that value"))
        #expect(contains(one, "Its validation loss is lowest after the last epoch"))
        #expect(contains(one, "Validation loss is least steady with lr 0.001: from epoch 48 to 49 it jumps by 94%"))
        #expect(contains(three, "The mean validation loss over the 3 seeds is lowest at epoch 100 and ends within 1% of that value"))
        #expect(contains(three, "Its mean validation loss over the 3 seeds is lowest after the last epoch"))
        #expect(contains(three, "The mean validation loss over the 3 seeds is least steady with lr 0.001: from epoch 48 to 49"))
        #expect(!contains(three, "Its validation loss") && !contains(three, "The validation loss is lowest"))
    }

    @Test func batchNormGainFollowsTheAccuracies() throws {
        var study = FixtureStudy()
        #expect(contains(try findings(study, "6.1.2-q3"), "Adding batch norm raises the best validation accuracy from 0.890 to 0.940 (+0.050)."))
        study.batchNormGain = -0.02
        #expect(contains(try findings(study, "6.1.2-q3"), "Adding batch norm lowers the best validation accuracy from 0.890 to 0.870 (−0.020)."))
    }

    @Test func comparisonsWithSeedsFollowTheIntervals() throws {
        var study = FixtureStudy()
        study.seeds = 3
        study.seedSpread = 0.002
        let narrow = try findings(study, "6.1.2-q3")
        // Offsets −0.002, 0, +0.002: half-width 4.303 × 0.002 / √3 = 0.005.
        #expect(contains(narrow, "Adding batch norm raises the best validation accuracy from 0.890 ± 0.005 to 0.940 ± 0.005"))
        #expect(contains(narrow, "the 95% intervals do not overlap"))
        // Seeds that disagree by more than the gain make the two settings indistinguishable:
        // a spread of 0.04 gives a half-width of 4.303 × 0.04 / √3 = 0.099.
        study.seedSpread = 0.04
        let wide = try findings(study, "6.1.2-q3")
        #expect(contains(wide, "The best validation accuracy is 0.940 ± 0.099 with batch norm and 0.890 ± 0.099 without it: "
                         + "indistinguishable at 95% confidence."))
        #expect(!contains(wide, "raises the best validation accuracy"))
    }

    /// Which net reaches the common level sooner is read on each seed's curve, and said
    /// only where the seeds' epochs separate; a seed that never gets there is named.
    @Test func epochsToReachALevelFollowEachSeed() throws {
        var study = FixtureStudy()
        let one = try findings(study, "6.1.2-q3")
        #expect(contains(one, "Both nets reach a validation accuracy of 0.880 (one point below the lower of their two best values): "
                         + "with batch norm after epoch 15, without it after epoch 26."))
        study.seeds = 3
        let narrow = try findings(study, "6.1.2-q3")
        // Most of the way up, as well as at the plateau.
        #expect(contains(narrow, "Every seed of both nets reaches a validation accuracy of ")
                && contains(narrow, "(90% of the way from the untrained nets' accuracy to the lower of their two best values)"),
                "\(narrow)")
        #expect(contains(narrow, "with batch norm after epoch 15, without it after epoch 25.7 (seeds: 24 to 27); "
                         + "batch norm gets there sooner, beyond the 95% intervals of the 3 seeds."))
        // Batch norm's gain shrunk to 0.012: both nets level off close to 0.88, so the
        // seeds' crossing epochs spread out and overlap.
        study.batchNormGain = 0.012
        let close = try findings(study, "6.1.2-q3")
        #expect(contains(close, "with batch norm after epoch 20.7 (seeds: 20 to 21), without it after epoch 25.7 (seeds: 24 to 27); "
                         + "the 95% intervals of the 3 seeds overlap, so neither gets there measurably sooner."))
        // Seeds 0.04 apart: the lowest seed without batch norm tops out below the level.
        study.batchNormGain = 0.05
        study.seedSpread = 0.04
        let wide = try findings(study, "6.1.2-q3")
        #expect(contains(wide, "Not every seed reaches a validation accuracy of 0.880 (one point below the lower of their two best "
                         + "values): 3 of 3 seeds with batch norm (after epochs 21, 15 and 12), 2 of 3 seeds without it "
                         + "(after epochs 26 and 16)."))
        #expect(!contains(wide, "gets there sooner"))
    }

    @Test func oneSeedDifferencesWithinTheRunsNoiseAreNotGains() throws {
        // Accuracies that wiggle by ±0.01 from epoch to epoch: noise 0.02/√2 per run, a band of
        // 2·√2·0.0141 = 0.04 for the difference of two runs. A gain of 0.02 is inside it.
        var study = FixtureStudy()
        study.epochWiggle = 0.01
        study.batchNormGain = 0.02
        let small = try findings(study, "6.1.2-q3")
        #expect(contains(small, "The best validation accuracy is 0.920 with batch norm and 0.900 without it: "
                         + "a difference within the runs' epoch-to-epoch noise (±0.040)."))
        #expect(!contains(small, "raises the best validation accuracy"))
        study.batchNormGain = 0.08
        #expect(contains(try findings(study, "6.1.2-q3"), "Adding batch norm raises the best validation accuracy from 0.900 to 0.980"))
        // Without wiggle there is no noise to hide in: the same small gain is stated.
        study.epochWiggle = 0
        study.batchNormGain = 0.02
        #expect(contains(try findings(study, "6.1.2-q3"), "Adding batch norm raises the best validation accuracy from 0.890 to 0.910"))
    }

    @Test func anExplodedVariantIsNamedWithItsCause() throws {
        var study = FixtureStudy()
        study.residualExplodes = true
        let site = try ReportFixtures.site(study)
        let cures = ReportFixtures.findings(site, "6.2-q6")
        // A loss that large before any training did not blow up during it.
        #expect(contains(cures, "With residual, the loss is huge from the start: 1.5×10⁹ before any training (the table's epoch-0 "
                         + "column), against 1.10 for a uniform guess over 3 classes"), "\(cures)")
        #expect(!contains(cures, "explodes"))
        #expect(contains(cures, "The likely cause, not measured here: the inputs are raw coordinates in degrees (up to 180), and "
                         + "each residual block adds its output to its input"))
        #expect(contains(cures, "at its best epoch the net answers one class for every test point"))
        #expect(!contains(cures, "most effective cure here is residual,"))
        let table = try #require(site.file("tables/6.2-q6-cures.csv")).text
        #expect(table.contains("exploded (peak loss 1.5×10⁹ before training); collapsed to one class"))
        // The same peak in epoch 2, from an ordinary start: an explosion during training.
        study.residualExplosionEpoch = 2
        let during = try findings(study, "6.2-q6")
        #expect(contains(during, "With residual, the loss explodes: it peaks at 1.5×10⁹ in epoch 2, against 1.10 for a "
                         + "uniform guess over 3 classes"), "\(during)")
        study.residualExplosionEpoch = 0
        study.residualExplodes = false
        let calm = try findings(study, "6.2-q6")
        #expect(!contains(calm, "explodes"))
    }

    @Test func mapsSayWhichEpochTheyShow() throws {
        let site = try ReportFixtures.site(FixtureStudy())
        let section = try #require(ReportFixtures.section(site.file("index.html")!.text, "6.2-q1"))
        #expect(section.contains("its best epoch, 50 of 50"))
    }

    /// A loss still falling at the last epoch is not "within 5% of its lowest": it is its lowest.
    @Test func aLossLowestAtTheLastEpochIsSaidToBeStillFalling() throws {
        let best = try findings(FixtureStudy(), "6.2-q1")
        #expect(contains(best, "Its validation loss is lowest after the last epoch, 50 ("), "\(best)")
        #expect(contains(best, "it was still falling when training stopped"))
        #expect(!contains(best, "within 5% of its lowest value"))
    }

    /// 6.1.2 Q2 reads its values at the epochs the question names: its caveat does not
    /// claim they are read at each run's best epoch.
    @Test func checkpointSectionIsNotSaidToReadAtTheBestEpoch() throws {
        var study = FixtureStudy()
        study.seeds = 3
        let site = try ReportFixtures.site(study)
        let epochs = try #require(ReportFixtures.section(site.file("index.html")!.text, "6.1.2-q2"))
        #expect(epochs.contains("Values are means over 3 seeds"))
        #expect(!epochs.contains("read at each run&#39;s best epoch") && !epochs.contains("read at each run's best epoch"))
        let rates = try #require(ReportFixtures.section(site.file("index.html")!.text, "6.1.2-q1"))
        #expect(rates.contains("read at each run&#39;s best epoch") || rates.contains("read at each run's best epoch"))
    }

    /// Best epochs over seeds are whole epochs within the run: the grid and sweep tables
    /// give their mean and the seeds' range, never a t-interval past the last epoch.
    @Test func bestEpochColumnsGiveTheSeedsRange() throws {
        var study = FixtureStudy()
        study.seeds = 3
        let site = try ReportFixtures.site(study)
        for table in ["tables/6.2-q1-ranking.csv", "tables/6.2-q3-accuracy.csv"] {
            let csv = try #require(site.file(table)?.text, "\(table)")
            #expect(csv.contains("Best epoch") && !csv.contains("Best epoch 95% low"), "\(table)")
        }
    }

    @Test func singleSeedComparisonsSaySo() throws {
        let site = try ReportFixtures.site(FixtureStudy())
        let section = try #require(ReportFixtures.section(site.file("index.html")!.text, "6.2-q7"))
        #expect(section.contains("Every comparison here rests on a single training run (one seed)"))
    }

    @Test func bestAndWorstGridModelsFollowTheAccuracies() throws {
        var study = FixtureStudy()
        #expect(contains(try findings(study, "6.2-q1"), "Of the 7 grid models, depth 6, width 32 reaches the highest validation accuracy: 0.920"))
        #expect(contains(try findings(study, "6.2-q2"), "Of the 7 grid models, depth 1, width 16 has the lowest validation accuracy: 0.800"))
        study.gridOffset["6x8"] = 0.05
        study.gridOffset["10x16"] = -0.2
        #expect(contains(try findings(study, "6.2-q1"), "depth 6, width 8 reaches the highest validation accuracy: 0.940"))
        #expect(contains(try findings(study, "6.2-q2"), "depth 10, width 16 has the lowest validation accuracy: 0.690"))
    }

    @Test func depthTrendFollowsTheAccuracies() throws {
        var study = FixtureStudy()
        #expect(contains(try findings(study, "6.2-q3"), "Validation accuracy rises with every step in depth: from 0.800 with 1 hidden layer "
                         + "to 0.900 with 10 hidden layers."))
        study.gridOffset["10x16"] = -0.05
        #expect(contains(try findings(study, "6.2-q3"), "Validation accuracy peaks at 6 hidden layers and is lower on both sides of it."))
        study.gridOffset = ["1x16": 0.05, "2x16": 0.03, "6x16": 0, "10x16": -0.02]
        #expect(contains(try findings(study, "6.2-q3"), "Validation accuracy falls with every step in depth"))
        // A mean that turns back by less than the intervals: the rise is stated up to the
        // highest mean, and the last depth is said to be indistinguishable from it, not
        // "risen to" (half-width 4.303 × 0.005 / √3 = 0.012 against a step of 0.005).
        study.seeds = 3
        study.seedSpread = 0.005
        study.gridOffset = ["1x16": -0.09, "2x16": -0.04, "6x16": 0, "10x16": -0.005]
        let turned = try findings(study, "6.2-q3")
        #expect(contains(turned, "Validation accuracy rises with depth, from 0.800 ± 0.012 with 1 hidden layer to 0.890 ± 0.012 "
                         + "with 6 hidden layers, its highest mean; 10 hidden layers (0.885 ± 0.012) cannot be told from it "
                         + "(indistinguishable at 95% confidence)."), "\(turned)")
        // The same turn beyond the intervals is a fall that the sentence names.
        study.gridOffset["10x16"] = -0.05
        #expect(contains(try findings(study, "6.2-q3"), "Validation accuracy peaks at 6 hidden layers and is lower on both sides of it."))
    }

    @Test func gradientRatioAndCuresFollowTheNorms() throws {
        var study = FixtureStudy()
        let plain = try findings(study, "6.2-q5")
        #expect(contains(plain, "After epoch 10, the gradient of hidden layer 0 is exactly zero"))
        #expect(contains(plain, "Of the plotted layers, hidden layers 0, 30 and 60 get a weight gradient of exactly zero in every epoch"))
        // Every layer counts, not only the plotted ones.
        #expect(contains(plain, "After epoch 10, 70 of the 100 hidden layers (layers 0 to 69) have a weight gradient of exactly zero."))
        #expect(contains(plain, "always answering the most common class would score"))
        let cures = try findings(study, "6.2-q6")
        // Fixture norms 10^(−2 + (100 − layer) / 300): layer 0 over layer 99 is 10^0.33 = 2.1.
        #expect(contains(cures, "With residual + batch norm, the layer 0 to layer 99 gradient ratio becomes 2.1 "
                         + "(plain net, as in 6.2-q5: 0, no gradient reaching layer 0)"))
        // The plain net's accuracy falls below its untrained 1/3: its best epoch is epoch 0.
        #expect(contains(cures, "the best validation accuracy rises from 0.333 to 0.810"))
        #expect(contains(cures, "the most effective cure here is residual + batch norm"))
        // q6 does not repeat q5's sentences about the plain net.
        #expect(!cures.contains { plain.contains($0) })
        study.deepAccuracy["residual"] = 0.9
        #expect(contains(try findings(study, "6.2-q6"), "the most effective cure here is residual, at a best validation accuracy of 0.900."))
    }

    @Test func sineFeatureGainFollowsTheAccuracies() throws {
        var study = FixtureStudy()
        #expect(contains(try findings(study, "6.2-q7"), "Switching to sine features raises the best validation accuracy from 0.890 to 0.960 (+0.070)."))
        study.sineGain = 0.01
        #expect(contains(try findings(study, "6.2-q7"), "from 0.890 to 0.900 (+0.010)."))
    }

    @Test func epochsPlateauAndCheckpointsFollowTheCurve() throws {
        let epochs = try findings(FixtureStudy(), "6.1.2-q2")
        #expect(contains(epochs, "Validation loss goes from"))
        #expect(contains(epochs, "after epoch 100."))
        #expect(contains(epochs, "first comes within 1% of the lowest value it ever reaches at epoch"))
    }

    @Test func batchSizeRankingFollowsTheAccuracies() throws {
        let sizes = try findings(FixtureStudy(), "6.1.2-q4")
        #expect(contains(sizes, "At each run's best epoch, the highest test accuracy, 0.908, comes from batch 128, 50 epochs"))
        #expect(contains(sizes, "batch 1, 1 epoch is lowest"))
        // Fixture iterations per epoch: 40 / max(batch / 64, 1), at least 2.
        #expect(contains(sizes, "ranges from 40 (batch 1) to 1,000 (batch 128)"))
    }
}
