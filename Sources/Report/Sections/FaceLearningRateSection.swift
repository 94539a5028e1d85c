import Charts
import Study

/// 7.1-xgboost, -scratch, -probe, -finetune: one method over its learning rates.
/// Which rate is best on test data, whether validation data would have chosen the
/// same, which runs do no better than guessing or diverge, and (for networks)
/// whether the training loss fell.
enum FaceLearningRateSection {
    static func content(_ context: SectionContext<FaceRun>, _ analysis: FaceLearningRateAnalysis) -> SectionContent {
        var figures = [accuracyFigure(context, analysis)]
        if analysis.method.isNetwork { figures.append(lossFigure(context)) }
        return SectionContent(figures: figures, tables: [table(context, analysis)], findings: findings(context, analysis))
    }

    /// `Learning rate` or, for XGBoost, `Learning rate (eta)`.
    static func rateTitle(_ method: FaceMethod) -> String {
        method == .xgboost ? "Learning rate (eta)" : "Learning rate"
    }

    // MARK: Figures

    static func accuracyFigure(_ context: SectionContext<FaceRun>, _ analysis: FaceLearningRateAnalysis) -> Figure {
        // Diverged runs get no point (their accuracy would describe a broken model); the notes name them.
        let trained = context.groups.filter { !$0.diverged }.sorted { $0.config.learningRate < $1.config.learningRate }
        func line(_ name: String, slot: Int, dash: DashStyle, _ value: (RunGroup<FaceRun>) -> Estimate?) -> LineSeries {
            let points = trained.compactMap { group in value(group).map { (group.config.learningRate, $0) } }
            var series = LineSeries(name: name, x: points.map(\.0), y: points.map(\.1.mean), colorSlot: slot, dash: dash)
            if context.hasSeeds {
                series.band = Band(lower: points.map(\.1.low), upper: points.map(\.1.high), label: context.bandLabel)
            }
            return series
        }
        var series = [line("Test accuracy", slot: 0, dash: .solid) { $0.testAccuracy },
                      line("Validation accuracy", slot: 1, dash: .dashed) { $0.validationAccuracy }]
        let rates = context.groups.map(\.config.learningRate)
        let chance = context.chance
        if let low = rates.min(), let high = rates.max() {
            series.append(LineSeries(name: "Guessing (" + NumberText.fixed(chance.accuracy, chance.accuracy == 0.5 ? 1 : 3) + ")",
                                     x: [low, high], y: [chance.accuracy, chance.accuracy], colorSlot: 6, dash: .dotted,
                                     marker: .none))
        }
        var notes: [String] = []
        let diverged = context.groups.filter(\.diverged).map(\.label)
        if !diverged.isEmpty {
            notes.append("Not drawn: \(NumberText.list(diverged)) (diverged).")
        }
        let chart = LineChart(id: context.chartID("accuracy"), title: "Test and validation accuracy per learning rate",
                              x: Axis(rateTitle(analysis.method), scale: .logarithmic),
                              y: Axis("Accuracy", domain: accuracyDomain(series.flatMap(\.y) + series.compactMap(\.band).flatMap { $0.lower + $0.upper })),
                              series: series,
                              legend: .bottom, width: 480, height: 360, notes: notes, showsTitle: false)
        return FigureHelpers.figure(context.name("accuracy"),
                                    caption: "Accuracy on the test and validation images for each learning rate (logarithmic x axis); "
                                        + "the dotted line is the accuracy of always answering the larger class.",
                                    svg: chart.render(), wide: !analysis.method.isNetwork)
    }

    /// A domain that shows the guessing line clear of the axis: the values widened by
    /// 0.05 and rounded out to tenths, within 0...1.
    static func accuracyDomain(_ values: [Double]) -> ClosedRange<Double>? {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        let lower = max(((low - 0.05) * 10).rounded(.down) / 10, 0)
        let upper = min(((high + 0.05) * 10).rounded(.up) / 10, 1)
        return upper > lower ? lower...upper : nil
    }

    static func lossFigure(_ context: SectionContext<FaceRun>) -> Figure {
        let series = context.groups.map { FigureHelpers.iterationLine($0, losses: $0.iterationLosses) }
        let seedNote = context.hasSeeds ? " Each line is the mean over \(context.seedCount) seeds." : ""
        return FigureHelpers.iterationLossFigure(
            context, series: series, x: Axis("Iteration"), lossUnit: "binary cross-entropy", legendTitle: "Learning rate",
            caption: "Training loss of every iteration (logarithmic y axis), smoothed, with the raw values drawn faintly." + seedNote)
    }

    // MARK: Table

    static func table(_ context: SectionContext<FaceRun>, _ analysis: FaceLearningRateAnalysis) -> Table {
        var rows = zip(context.groups, context.runs).map { group, runs -> [Table.Cell] in
            [.text(NumberText.rate(group.config.learningRate)),
             .estimate(group.trainAccuracy, decimals: 3), .estimate(group.validationAccuracy, decimals: 3),
             .estimate(group.testAccuracy, decimals: 3), .estimate(group.testLoss, decimals: 3),
             .text(group.diverged ? DivergenceText.short(group) : "trained"),
             .estimate(FaceTiming.ownSeconds(runs), decimals: 2)]
        }
        var notes = ["Accuracies and loss after training (binary cross-entropy on the test images)."]
        if let sampled = context.groups.compactMap(\.trainImagesEvaluated).max() {
            let total = context.manifest.splitSizes.first.map { " of the " + NumberText.count($0) } ?? ""
            notes.append("Train accuracy is measured on " + NumberText.count(sampled) + total
                         + " training images, spread evenly over the split so that both classes keep their share.")
        }
        if analysis.method == .probe, let shared = FaceTiming.sharedRow(context.study, columns: 7) {
            rows.append(shared)
            notes.append(FaceTiming.note)
        }
        notes.append(FaceTiming.coresNote)
        if context.groups.contains(where: \.diverged) {
            notes.append("A diverged run shows the metrics of its last evaluation before it stopped (epoch 0 is the untrained network).")
        }
        return Table(name: context.name("results"), caption: "Results per learning rate",
                     columns: [Table.Column(rateTitle(analysis.method)), Table.Column("Train accuracy"),
                               Table.Column("Validation accuracy"), Table.Column("Test accuracy"), Table.Column("Test loss"),
                               Table.Column("Outcome", numeric: false), Table.Column("Wall time (s)")],
                     rows: rows, notes: notes)
    }

    // MARK: Findings

    static func findings(_ context: SectionContext<FaceRun>, _ analysis: FaceLearningRateAnalysis) -> [String] {
        var findings: [String] = []
        // Runs that trained, best first; runs with equal mean test accuracy are named together.
        let trained = analysis.ranking.compactMap(context.group).filter { !$0.diverged && $0.testAccuracy != nil }
        let best = trained.first
        if let best, let accuracy = best.testAccuracy, let lowest = trained.last?.testAccuracy?.mean {
            let top = trained.filter { $0.testAccuracy?.mean == accuracy.mean }
            let bottom = trained.filter { $0.testAccuracy?.mean == lowest }
            if top.count == trained.count && trained.count > 1 {
                findings.append("All \(trained.count) learning rates that trained reach the same test accuracy, "
                                + FaceText.accuracy(accuracy) + ".")
            } else {
                var sentence = top.count == 1
                    ? "Of the \(context.groups.count) learning rates, \(best.label) reaches the highest test accuracy, "
                        + FaceText.accuracy(accuracy)
                    : NumberText.list(top.map { group in group.label + group.testAccuracy.map { " (" + FaceText.accuracy($0) + ")" }! })
                        + " share the highest mean test accuracy"
                if let second = trained.first(where: { group in !top.contains { $0.label == group.label } }),
                   let secondAccuracy = second.testAccuracy {
                    sentence += "; next is \(second.label) at " + FaceText.accuracy(secondAccuracy)
                        + FaceText.difference(accuracy, secondAccuracy).clause
                }
                findings.append(sentence + ".")
                // With one run below the top, "next" has named it already.
                if trained.count > top.count + 1 {
                    findings.append(bottom.count == 1
                        ? "The lowest test accuracy among runs that trained is \(bottom[0].label)'s, " + FaceText.accuracy(bottom[0].testAccuracy) + "."
                        : NumberText.list(bottom.map(\.label)) + " share the lowest test accuracy among runs that trained, "
                            + FaceText.accuracy(bottom[0].testAccuracy) + ".")
                }
            }
            if let chosen = context.group(analysis.bestByValidation) {
                // Rates whose mean validation accuracy equals the chosen one's: the lower validation loss decided.
                let tied = trained.filter { $0.label != chosen.label && $0.validationAccuracy?.mean == chosen.validationAccuracy?.mean }
                let sameLoss = tied.contains { $0.validationLoss?.mean == chosen.validationLoss?.mean }
                let tie = tied.isEmpty ? ""
                    : "; " + NumberText.list(tied.map(\.label)) + (tied.count == 1 ? " has" : " have")
                        + (sameLoss ? " the same validation accuracy and loss, and the first listed is taken"
                                    : " the same validation accuracy, and the lower validation loss decides")
                if top.contains(where: { $0.label == chosen.label }) {
                    findings.append("Choosing by validation accuracy instead, as a study that keeps its test images aside would, "
                                    + (top.count == 1 || chosen.label == best.label ? "picks the same rate" : "picks \(chosen.label), one of those")
                                    + " (validation " + FaceText.accuracy(chosen.validationAccuracy) + tie + ").")
                } else {
                    var sentence = "Choosing by validation accuracy instead would pick \(chosen.label) (validation "
                        + FaceText.accuracy(chosen.validationAccuracy) + tie + "), whose test accuracy is "
                        + FaceText.accuracy(chosen.testAccuracy)
                    if let chosenTest = chosen.testAccuracy {
                        sentence += FaceText.difference(accuracy, chosenTest).distinct ? ", lower than the best by test"
                            : Comparison.hasIntervals(accuracy, chosenTest) ? ", indistinguishable from the best by test"
                            : ", not measurably different from the best by test"
                    }
                    findings.append(sentence + ".")
                }
            }
        } else {
            findings.append("No learning rate produced a trained model: every run diverged.")
        }
        if let sentence = FaceText.chanceSentence(context.groups, chance: context.chance, subject: "learning rate") {
            findings.append(sentence)
        }
        for group in context.groups where group.diverged {
            findings.append(DivergenceText.sentence(group))
        }
        if analysis.method.isNetwork {
            findings += lossFindings(context)
        }
        if analysis.method == .finetune, let best, let sentence = againstProbe(best, context) {
            findings.append(sentence)
        }
        if let best, let gap = gap(best, context), gap.value > gap.band {
            let sampled = best.trainImagesEvaluated.map { NumberText.count($0) + " training and " } ?? ""
            findings.append("With \(best.label), training accuracy is " + FaceText.accuracy(best.trainAccuracy)
                            + " against " + FaceText.accuracy(best.testAccuracy) + " on test: a gap of "
                            + NumberText.fixed(gap.value, 3) + ", larger than the ±" + NumberText.fixed(gap.band, 3)
                            + " that sampling the " + sampled + NumberText.count(context.chance.testCount)
                            + " test images explains, so the model fits its training images better than it generalises.")
        }
        return findings
    }

    /// What adapting every weight gains over training the last layer only: the best
    /// fine-tuning run against the best linear probe (both by test accuracy), by the
    /// report's rule (intervals, or with one seed the test images' sampling error).
    static func againstProbe(_ best: RunGroup<FaceRun>, _ context: SectionContext<FaceRun>) -> String? {
        guard let probe = FaceLogisticRegressionSection.bestProbe(context), let probeAccuracy = probe.testAccuracy,
              let accuracy = best.testAccuracy else { return nil }
        let lead = "Against training the last layer only (the best linear probe, \(probe.label), " + FaceText.accuracy(probeAccuracy)
            + "), fine-tuning's best, \(best.label) at " + FaceText.accuracy(accuracy) + ", is "
        let difference = FaceText.difference(accuracy, probeAccuracy)
        // With one seed, a stated difference says what it is beyond.
        let beyond = Comparison.hasIntervals(accuracy, probeAccuracy) ? difference.clause
            : Comparison.beyondNoise(accuracy, probeAccuracy).map { ", " + $0 } ?? ""
        switch Comparison(accuracy, probeAccuracy) {
        case .higher: return lead + "higher by " + NumberText.fixed(accuracy.mean - probeAccuracy.mean, 3) + beyond
            + ": adapting the whole network gains over the frozen features."
        case .lower: return lead + "lower by " + NumberText.fixed(probeAccuracy.mean - accuracy.mean, 3) + beyond
            + ": adapting the whole network loses to the frozen features here."
        case .indistinguishable: return lead + "not measurably different" + difference.clause + "."
        }
    }

    /// Train minus test accuracy (means), when both exist, and what sampling the images
    /// explains: the chance level's margin on the test images, or, when the train
    /// accuracy is itself measured on a sample (``FaceAggregate/trainImagesEvaluated``),
    /// two standard errors of the difference of the two accuracies (the test accuracy
    /// carries its own sampling error already), whichever is larger.
    static func gap(_ group: RunGroup<FaceRun>, _ context: SectionContext<FaceRun>) -> (value: Double, band: Double)? {
        guard let train = group.trainAccuracy, let test = group.testAccuracy else { return nil }
        var band = context.chance.margin
        if let images = group.trainImagesEvaluated, let both = Comparison.noiseBand(train.sampledOn(images: images), test) {
            band = max(band, both)
        }
        return (train.mean - test.mean, band)
    }

    /// Whether each rate's training loss fell, stayed flat or rose, and which end below ln 2.
    static func lossFindings(_ context: SectionContext<FaceRun>) -> [String] {
        let trends = context.groups.compactMap { group in IterationLossTrend(group.iterationLosses).map { (group, $0) } }
        guard let iterations = trends.map(\.1.iterations).max() else { return [] }
        var parts: [String] = []
        for (direction, verb) in [(IterationLossTrend.Direction.fell, "fell"), (.flat, "stayed within 5%"), (.rose, "rose")] {
            let members = trends.filter { $0.1.direction == direction }
            guard !members.isEmpty else { continue }
            parts.append("\(verb) with " + NumberText.list(members.map { "\($0.0.label) (" + $0.1.change + ")" }))
        }
        var findings = ["Comparing the mean batch loss of the first and the last 10% of up to "
                        + NumberText.count(iterations) + " iterations, the training loss " + parts.joined(separator: "; ") + "."]
        let coinFlip = IterationLossTrend.coinFlipLoss
        let belowGroups = trends.filter { $0.1.end < coinFlip }.map(\.0)
        let below = belowGroups.map(\.label)
        // A batch loss under ln 2 at the end of training need not carry over to unseen images.
        let noneCarries = !belowGroups.isEmpty && belowGroups.allSatisfy { group in
            group.testAccuracy.map { context.chance.verdict($0) != .above } ?? false
        }
        let carryOver = noneCarries
            ? "; on the test images \(belowGroups.count == 1 ? "it does not beat" : "none of them beats") guessing" : ""
        if below.isEmpty {
            findings.append("No learning rate ends with a training loss below " + NumberText.fixed(coinFlip, 3)
                            + ", the loss of answering 0.5 for every image.")
        } else if below.count < trends.count {
            findings.append("Only \(NumberText.list(below)) \(below.count == 1 ? "ends" : "end") with a training loss below "
                            + NumberText.fixed(coinFlip, 3) + ", the loss of answering 0.5 for every image" + carryOver + ".")
        }
        return findings
    }
}
