import Charts
import Study

/// 7.1-summary: every method at its best learning rate, side by side: the ranking,
/// the gap between best and worst, whether pretraining helped, and whether the deep
/// models beat XGBoost.
enum FaceSummarySection {
    typealias MethodBest = FaceSummaryAnalysis.MethodBest

    static func content(_ context: SectionContext<FaceRun>, _ analysis: FaceSummaryAnalysis) -> SectionContent {
        var findings = findings(context, analysis)
        let confusion = confusionTable(context, analysis)
        findings += confusionFindings(context, analysis)
        return SectionContent(figures: [figure(context, analysis)], tables: [table(context, analysis)] + (confusion.map { [$0] } ?? []),
                              findings: findings)
    }

    /// Real/fake counts of each test image's true class and prediction, for one seed's run.
    struct Confusion: Equatable {
        var realAsReal = 0, realAsFake = 0, fakeAsReal = 0, fakeAsFake = 0

        init?(_ run: RunResult<FaceRun>, labels: [Int32]) {
            let predictions = run.outcome.testPredictions
            guard !labels.isEmpty, predictions.count == labels.count else { return nil }
            for (truth, predicted) in zip(labels, predictions) {
                switch (truth, predicted) {
                case (0, 0): realAsReal += 1
                case (0, _): realAsFake += 1
                case (_, 0): fakeAsReal += 1
                default: fakeAsFake += 1
                }
            }
        }

        /// Share of real images called real, and of fakes called fake.
        var realRecall: Double { Double(realAsReal) / Double(max(realAsReal + realAsFake, 1)) }
        var fakeRecall: Double { Double(fakeAsFake) / Double(max(fakeAsReal + fakeAsFake, 1)) }
    }

    /// The first seed's run of each method's best learning rate, with its confusion counts.
    static func confusions(_ context: SectionContext<FaceRun>, _ analysis: FaceSummaryAnalysis)
        -> [(best: MethodBest, seed: UInt64, confusion: Confusion)] {
        studyOrder(analysis).compactMap { best in
            guard let index = context.index(best.label), let run = context.runs[index].first,
                  let confusion = Confusion(run, labels: context.manifest.testLabels) else { return nil }
            return (best, run.config.seed, confusion)
        }
    }

    static func confusionTable(_ context: SectionContext<FaceRun>, _ analysis: FaceSummaryAnalysis) -> Table? {
        let rows = confusions(context, analysis).map { best, seed, c -> [Table.Cell] in
            [.text(best.method.displayName + ", " + runName(best.label) + (context.hasSeeds ? ", seed \(seed)" : "")),
             .integer(c.realAsReal), .integer(c.realAsFake), .integer(c.fakeAsReal), .integer(c.fakeAsFake),
             .number(c.realRecall, decimals: 3), .number(c.fakeRecall, decimals: 3)]
        }
        guard !rows.isEmpty else { return nil }
        return Table(name: context.name("confusion"), caption: "Real and fake test images, as each method's best run classifies them",
                     columns: [Table.Column("Run", numeric: false), Table.Column("Real called real"), Table.Column("Real called fake"),
                               Table.Column("Fake called real"), Table.Column("Fake called fake"),
                               Table.Column("Reals recognised"), Table.Column("Fakes caught")],
                     rows: rows,
                     notes: ["A test image is called fake when the predicted probability of fake is above one half."
                             + (context.hasSeeds ? " The first seed's run of each method's best learning rate." : "")])
    }

    /// Methods whose best run gives one answer for every test image, then the method
    /// that leans most to one answer among the others: the largest gap between the share
    /// of reals it recognises and the share of fakes it catches.
    static func confusionFindings(_ context: SectionContext<FaceRun>, _ analysis: FaceSummaryAnalysis) -> [String] {
        let all = confusions(context, analysis)
        var findings: [String] = []
        for side in ["real", "fake"] {
            let constant = all.filter { side == "fake" ? $0.confusion.realAsReal + $0.confusion.fakeAsReal == 0
                                                       : $0.confusion.realAsFake + $0.confusion.fakeAsFake == 0 }
            guard !constant.isEmpty else { continue }
            let names = constant.map { $0.best.method.displayName }
            findings.append(NumberText.list(names) + (names.count == 1 ? " answers" : " answer")
                            + " \(side) for every test image at \(names.count == 1 ? "its" : "their") best learning rate.")
        }
        let answering = all.filter { $0.confusion.realRecall > 0 && $0.confusion.fakeRecall > 0 }
        if let leaning = answering.max(by: { abs($0.confusion.realRecall - $0.confusion.fakeRecall)
                                              < abs($1.confusion.realRecall - $1.confusion.fakeRecall) }),
           abs(leaning.confusion.realRecall - leaning.confusion.fakeRecall) >= 0.1 {
            let c = leaning.confusion
            // The confusion counts are those of one seed's run (the table's); say which when there are several.
            let run = context.hasSeeds ? "its best run of the first seed (seed \(context.manifest.seeds[0]))" : "it"
            let among = answering.count == all.count ? "Of the methods" : "Of the methods that give both answers"
            findings.append(among + ", \(leaning.best.method.displayName) leans most towards answering "
                            + (c.realRecall > c.fakeRecall ? "real" : "fake") + ": \(run) recognises " + NumberText.percent(c.realRecall)
                            + " of the real test images and catches " + NumberText.percent(c.fakeRecall) + " of the fakes.")
        }
        return findings
    }

    /// The methods in the study's order (XGBoost first, fine-tuning last), for the chart.
    static func studyOrder(_ analysis: FaceSummaryAnalysis) -> [MethodBest] {
        FaceMethod.allCases.compactMap { method in analysis.methods.first { $0.method == method } }
    }

    /// The run a validation-based choice picks for `best` (the best run itself when they agree).
    static func validationRun(_ best: MethodBest, _ context: SectionContext<FaceRun>) -> RunGroup<FaceRun>? {
        context.group(best.validationChoice ?? best.label)
    }

    /// `lr 0.001` from `Fine-tuning, lr 0.001`; `C 1` for logistic regression.
    static func runName(_ label: String) -> String {
        label.split(separator: ",", maxSplits: 1).dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } ?? label
    }

    static func figure(_ context: SectionContext<FaceRun>, _ analysis: FaceSummaryAnalysis) -> Figure {
        let methods = studyOrder(analysis)
        func bars(_ name: String, slot: Int, _ estimate: (MethodBest) -> Estimate?) -> BarSeries {
            let values = methods.map(estimate)
            var series = BarSeries(name: name, values: values.map { $0?.mean ?? .nan }, colorSlot: slot)
            if context.hasSeeds {
                series.lower = values.map { $0?.low ?? .nan }
                series.upper = values.map { $0?.high ?? .nan }
            }
            return series
        }
        let chart = BarChart(
            id: context.chartID("test-accuracy"), title: "Test accuracy of each method at its best learning rate",
            categories: methods.map { $0.method.displayName }, categoryTitle: "Method", y: Axis("Test accuracy", domain: 0...1),
            series: [bars("Best learning rate by test accuracy", slot: 0) { $0.testAccuracy },
                     bars("Learning rate chosen on validation", slot: 1) { validationRun($0, context)?.testAccuracy }],
            valueFormat: .decimals(3), legend: .bottom, width: 720, height: 380,
            notes: ["Guessing (always the larger class) scores " + context.chance.text + "."], showsTitle: false)
        return FigureHelpers.figure(context.name("test-accuracy"),
                                    caption: "Test accuracy of each method with the learning rate that scores best on test, and with "
                                        + "the one validation accuracy would choose (the two bars are equal when the choices agree)."
                                        + (context.hasSeeds ? " Error bars: " + context.bandLabel + "." : ""),
                                    svg: chart.render())
    }

    static func table(_ context: SectionContext<FaceRun>, _ analysis: FaceSummaryAnalysis) -> Table {
        let rows = analysis.methods.map { best -> [Table.Cell] in
            let group = context.group(best.label)
            let chosen = best.validationChoice.flatMap(context.group)
            return [.text(best.method.displayName), .text(runName(best.label)), .estimate(best.testAccuracy, decimals: 3),
                    .estimate(group?.validationAccuracy, decimals: 3),
                    .text(best.validationChoice.map(runName) ?? "the same"), .estimate(chosen?.testAccuracy ?? best.testAccuracy, decimals: 3)]
        }
        return Table(name: context.name("methods"), caption: "Each method at its best learning rate, best first",
                     columns: [Table.Column("Method", numeric: false), Table.Column("Best run by test", numeric: false),
                               Table.Column("Test accuracy"), Table.Column("Validation accuracy"),
                               Table.Column("Run chosen on validation", numeric: false), Table.Column("Its test accuracy")],
                     rows: rows,
                     notes: ["Logistic regression has no learning rate: its one run (C = 1) stands for it."])
    }

    // MARK: Findings

    /// Whether the best and the worst methods' intervals overlap. Methods tied on their
    /// mean can differ in spread, so each best–worst pair is compared, and a mixed
    /// answer names the pairs.
    /// With one seed, the rule is each pair's sampling error on the test images.
    static func extremesClause(top: [MethodBest], bottom: [MethodBest]) -> String {
        let pairs = top.flatMap { best in bottom.map { (best, $0) } }
            .compactMap { best, worst in
                best.testAccuracy.flatMap { a in worst.testAccuracy.map { (best, worst, a, $0, FaceText.difference(a, $0)) } }
            }
        guard let first = pairs.first else { return "" }
        if pairs.count == 1 { return first.4.clause }
        let intervals = Comparison.hasIntervals(first.2, first.3)
        let sampled = Comparison.sampledImages(first.2, first.3) != nil
        let noise = Comparison.noiseText(first.2, first.3)
        if pairs.allSatisfy({ $0.4.distinct == first.4.distinct }) {
            if intervals {
                return first.4.distinct ? "; the 95% intervals do not overlap" : ": the 95% intervals overlap, so they are indistinguishable"
            }
            guard sampled else { return first.4.distinct ? "" : ": the two are equal" }
            return first.4.distinct ? "" : ": each difference is within " + noise + ", so they are not measurably different"
        }
        func list(_ distinct: Bool) -> String {
            NumberText.list(pairs.filter { $0.4.distinct == distinct }
                .map { $0.0.method.displayName + " and " + $0.1.method.displayName })
        }
        if !intervals, sampled {
            return "; the difference is beyond " + noise + " for " + list(true) + ", and within it for " + list(false)
        }
        return "; the 95% intervals do not overlap for " + list(true) + ", and overlap for " + list(false)
    }

    static func findings(_ context: SectionContext<FaceRun>, _ analysis: FaceSummaryAnalysis) -> [String] {
        var findings: [String] = []
        let methods = analysis.methods
        func name(_ best: MethodBest) -> String { best.method.displayName + " (" + FaceText.accuracy(best.testAccuracy) + ")" }
        guard let first = methods.first, let firstAccuracy = first.testAccuracy else {
            return ["No method produced a trained model."]
        }
        if methods.count > 1 {
            findings.append("Ranked by test accuracy at their best learning rate: " + methods.map(name).joined(separator: ", ") + ".")
        }
        if let last = methods.last, last.method != first.method, let lastAccuracy = last.testAccuracy {
            // Methods with equal mean test accuracy are named together.
            let top = methods.filter { $0.testAccuracy?.mean == firstAccuracy.mean }
            let bottom = methods.filter { $0.testAccuracy?.mean == lastAccuracy.mean }
            if top.count == methods.count {
                findings.append("Every method reaches the same test accuracy at its best learning rate, " + FaceText.accuracy(firstAccuracy) + ".")
            } else {
                // "Highest" and "lowest", not "best" and "worst": the next sentence may say the
                // top two cannot be told apart.
                func names(_ group: [MethodBest], _ rank: String, verb: String) -> String {
                    NumberText.list(group.map(\.method.displayName)) + (group.count == 1 ? verb : " share the") + " \(rank)"
                }
                findings.append(names(top, "highest test accuracy", verb: " has the") + " and "
                                + names(bottom, "lowest", verb: " the") + ", "
                                + NumberText.fixed(firstAccuracy.mean - lastAccuracy.mean, 3) + " apart"
                                + extremesClause(top: top, bottom: bottom) + ".")
                if top.count == 1, methods.count > 2, let second = methods.dropFirst().first, let secondAccuracy = second.testAccuracy,
                   !FaceText.difference(firstAccuracy, secondAccuracy).distinct {
                    let reason = Comparison.hasIntervals(firstAccuracy, secondAccuracy) ? "their 95% intervals overlap"
                        : Comparison.withinNoise(firstAccuracy, secondAccuracy).map { "their difference is " + $0 } ?? "they are equal"
                    findings.append("At the top, \(first.method.displayName) and \(second.method.displayName) cannot be told apart: "
                                    + reason + ".")
                }
            }
        }
        if let scratch = methods.first(where: { $0.method == .scratch }) {
            let pretrained = methods.filter { $0.method.usesBackbone }
            if let sentence = against(scratch, pretrained,
                                      all: "pretraining helped every method that starts from it",
                                      none: "on these numbers pretraining could not be shown to help",
                                      some: { "pretraining helped \($0) only" }) {
                let origin = context.manifest.pretraining != nil
                    ? " The backbone here was pretrained by this tool on synthetic images (shapes, and attributes of other portraits), not on ImageNet."
                    : " The backbone's weights come from the file given with --weights."
                findings.append(sentence + origin)
            }
        }
        if let xgboost = methods.first(where: { $0.method == .xgboost }) {
            let deep = methods.filter { $0.method.isNetwork }
            if let sentence = against(xgboost, deep,
                                      all: "every network beats the trees on pixels",
                                      none: "no network beats the trees on pixels",
                                      some: { "only \($0) beat the trees on pixels" }) {
                findings.append(sentence)
            }
        }
        let bestGroups = methods.compactMap { context.group($0.label) }
        if let sentence = FaceText.chanceSentence(bestGroups, chance: context.chance, subject: "method",
                                                  name: { $0.method.displayName }) {
            findings.append(sentence)
        }
        let differing = methods.filter { $0.validationChoice != nil }
        if !differing.isEmpty {
            let parts = differing.map { best in
                best.method.displayName + " (" + (best.validationChoice.map(runName) ?? "") + " instead of " + runName(best.label) + ")"
            }
            findings.append("Choosing each method's learning rate on validation accuracy, as a study that keeps its test images aside "
                            + "would, changes the choice for " + NumberText.list(parts) + ".")
        } else if methods.contains(where: { $0.method != .logisticRegression }) {
            findings.append("Validation accuracy picks the same learning rate as test accuracy for every method.")
        }
        return findings
    }

    /// `Against ResNet18 from scratch (0.610): Fine-tuning is higher (0.830); Linear probing is lower (0.550); so …`:
    /// each of `others` against `reference` by the report's rule, then the verdict. With
    /// several seeds the 95% intervals decide; with one seed each, a difference counts
    /// only beyond ``Comparison/noiseBand(_:_:)``, what drawing the test images moves it
    /// by (a single run has no interval, and its accuracy is still a sample).
    static func against(_ reference: MethodBest, _ others: [MethodBest], all: String, none: String,
                        some: (String) -> String) -> String? {
        guard let referenceAccuracy = reference.testAccuracy, !others.isEmpty else { return nil }
        var higher: [String] = [], parts: [String] = [], bands: [Double] = [], images: Int?
        for other in others {
            guard let accuracy = other.testAccuracy else { continue }
            let intervals = Comparison.hasIntervals(accuracy, referenceAccuracy)
            if !intervals, let band = Comparison.noiseBand(accuracy, referenceAccuracy) {
                bands.append(band)
                images = images ?? Comparison.sampledImages(accuracy, referenceAccuracy)
            }
            let verdict: String
            switch Comparison(accuracy, referenceAccuracy) {
            case .higher:
                verdict = "higher"
                higher.append(other.method.displayName)
            case .lower: verdict = "lower"
            case .indistinguishable: verdict = intervals ? "indistinguishable" : "not measurably different"
            }
            parts.append(other.method.displayName + " is " + verdict + " (" + FaceText.accuracy(accuracy) + ")")
        }
        guard !parts.isEmpty else { return nil }
        let verdict = higher.isEmpty ? none : higher.count == parts.count ? all : some(NumberText.list(higher))
        let rule = bands.max().map { band in
            " (one run each: a difference within two standard errors of the difference of two accuracies on "
                + (images.map { NumberText.count($0) + " " } ?? "the ") + "test images, ±" + NumberText.fixed(band, 3)
                + " at most, is not counted)"
        } ?? ""
        return "Against " + reference.method.displayName + " (" + FaceText.accuracy(referenceAccuracy) + "): "
            + parts.joined(separator: "; ") + "; so " + verdict + rule + "."
    }

}
