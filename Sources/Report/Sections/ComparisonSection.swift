import Charts
import Study

/// Two settings compared: 6.1.2-q3 (with and without batch norm) and 6.2-q7
/// (sine features against raw coordinates).
enum ComparisonSection {
    static func batchNorm(_ context: SectionContext<MLPRun>, _ analysis: ComparisonAnalysis) -> SectionContent {
        guard let baseline = context.group(analysis.baseline), let treatment = context.group(analysis.treatment) else {
            return SectionContent()
        }
        let figures = [
            curves(context, metric: "validation-loss", title: "Validation loss per epoch", axis: Axis("Validation loss", unit: "cross-entropy"),
                   values: \.validationLoss),
            curves(context, metric: "validation-accuracy", title: "Validation accuracy per epoch", axis: FigureHelpers.accuracyAxis("Validation accuracy"),
                   values: \.validationAccuracy),
        ]
        var findings = comparisons(context, subject: "Adding batch norm", baseline: baseline, treatment: treatment, analysis: analysis,
                                   phrases: ("with batch norm", "without it"))
        // Two levels: most of the way up (where the curves of the figure separate most)
        // and the plateau just below the lower best; a net can get near the top sooner
        // and still reach the plateau at the same time.
        for kind in [Speed.Kind.mostOfTheWay, .plateau] {
            if let speed = epochsToReach(kind, baseline: baseline, treatment: treatment), let sentence = speedSentence(speed) {
                findings.append(sentence)
            }
        }
        return SectionContent(figures: figures, tables: [metricsTable(context)], findings: findings)
    }

    static func sineFeatures(_ context: SectionContext<MLPRun>, _ analysis: ComparisonAnalysis) -> SectionContent {
        guard let baselineIndex = context.index(analysis.baseline), let treatmentIndex = context.index(analysis.treatment)
        else { return SectionContent() }
        let baseline = context.groups[baselineIndex], treatment = context.groups[treatmentIndex]
        var figures: [Figure] = []
        var findings = comparisons(context, subject: "Switching to sine features", baseline: baseline, treatment: treatment, analysis: analysis,
                                   phrases: ("with sine features", "with raw coordinates"))
        for (index, suffix, caption) in [(baselineIndex, "map-coordinates", "raw coordinates"),
                                         (treatmentIndex, "map-sine", "sine features")] {
            guard let run = context.runs[index].first,
                  let map = FigureHelpers.decisionMap(run, context: context, suffix: suffix,
                                                      title: "Decision regions with \(caption) on the test set") else { continue }
            let model = FigureHelpers.mapModel(run, context: context)
            figures.append(FigureHelpers.figure(context.name(suffix),
                                                caption: "Decision regions of the model on \(caption) (\(model)), with the test points; "
                                                    + "ringed points are misclassified.",
                                                svg: map.render()))
            if let wrong = FigureHelpers.misclassified(run, manifest: context.manifest) {
                findings.append("On the map with \(caption) (\(model)), \(NumberText.count(wrong.count)) of "
                                + "\(NumberText.count(wrong.total)) test points (" + NumberText.percent(Double(wrong.count) / Double(wrong.total))
                                + ") fall in the wrong region.")
            }
        }
        return SectionContent(figures: figures, tables: [metricsTable(context)], findings: findings)
    }

    /// Both settings' curves of one metric in one chart.
    static func curves(_ context: SectionContext<MLPRun>, metric: String, title: String, axis: Axis,
                       values: KeyPath<MLPAggregate.Curves, [Estimate]>) -> Figure {
        let series = context.groups.map { group -> LineSeries in
            let curve = FigureHelpers.trained(group.curves.epochs, group.curves[keyPath: values])
            return FigureHelpers.line(FigureHelpers.legendName(group), epochs: curve.epochs, values: curve.values,
                                      context: context, stop: FigureHelpers.stopLabel(group))
        }
        let chart = LineChart(id: context.chartID(metric), title: title, x: FigureHelpers.epochAxis(series), y: axis, series: series,
                              legend: .bottom, width: 480, height: 340, showsTitle: false)
        return FigureHelpers.figure(context.name(metric), caption: title + ".", svg: chart.render(), wide: false)
    }

    /// Every setting's metrics at its best epoch, beside its final validation and test accuracy.
    static func metricsTable(_ context: SectionContext<MLPRun>) -> Table {
        let rows = context.groups.map { group -> [Table.Cell] in
            let best = group.best, final = group.final
            return [.text(group.label), .text(group.bestEpoch.map(NumberText.epoch) ?? "–"),
                    .estimate(best?.trainLoss, decimals: 3), .estimate(best?.validationLoss, decimals: 3),
                    .estimate(best?.validationAccuracy, decimals: 3), .estimate(best?.testAccuracy, decimals: 3),
                    .estimate(final?.validationAccuracy, decimals: 3), .estimate(final?.testAccuracy, decimals: 3)]
        }
        return Table(name: context.name("metrics"), caption: "Metrics of each setting at its best epoch, and after the last epoch",
                     columns: [Table.Column("Setting", numeric: false), Table.Column("Best epoch", numeric: false),
                               Table.Column("Train loss"), Table.Column("Validation loss"), Table.Column("Validation accuracy"),
                               Table.Column("Test accuracy"), Table.Column("Final validation accuracy"),
                               Table.Column("Final test accuracy")],
                     rows: rows,
                     notes: ["Best epoch: the epoch of highest validation accuracy, per seed; the first six columns are read there. "
                             + "Final: after the last epoch every seed completed, shown for reference."])
    }

    /// Findings on validation accuracy, validation loss and test accuracy, each at the runs' best epoch.
    static func comparisons(_ context: SectionContext<MLPRun>, subject: String, baseline: RunGroup<MLPRun>, treatment: RunGroup<MLPRun>,
                            analysis: ComparisonAnalysis, phrases: (treatment: String, baseline: String)) -> [String] {
        var findings: [String] = []
        let metrics: [(String, Estimate?, Estimate?, Estimate?)] = [
            ("best validation accuracy", baseline.best?.validationAccuracy, treatment.best?.validationAccuracy,
             analysis.validationAccuracyGain),
            ("validation loss at the best epoch", baseline.best?.validationLoss, treatment.best?.validationLoss,
             analysis.validationLossReduction.map(negated)),
            ("test accuracy at the best epoch", baseline.best?.testAccuracy, treatment.best?.testAccuracy, analysis.testAccuracyGain),
        ]
        for (metric, before, after, change) in metrics {
            guard let before, let after else { continue }
            findings.append(sentence(subject: subject, metric: metric, from: before, to: after, change: change,
                                     phrases: phrases))
        }
        return findings
    }

    /// `Adding batch norm raises the best validation accuracy from 0.889 to 0.962 (+0.073).`
    static func sentence(subject: String, metric: String, from before: Estimate, to after: Estimate, change: Estimate?,
                         phrases: (treatment: String, baseline: String)) -> String {
        let difference = change.map { " (" + NumberText.signedEstimate($0, 3) + ")" } ?? ""
        switch Comparison(after, before) {
        case .higher:
            return "\(subject) raises the \(metric) from " + NumberText.estimate(before, 3) + " to "
                + NumberText.estimate(after, 3) + difference + Comparison.intervalClause(after, before) + "."
        case .lower:
            return "\(subject) lowers the \(metric) from " + NumberText.estimate(before, 3) + " to "
                + NumberText.estimate(after, 3) + difference + Comparison.intervalClause(after, before) + "."
        case .indistinguishable:
            return "The \(metric) is " + NumberText.estimate(after, 3) + " \(phrases.treatment) and "
                + NumberText.estimate(before, 3) + " \(phrases.baseline): " + Comparison.tieReason(after, before) + "."
        }
    }

    /// The level both nets are compared at, and the first epoch at which each seed's
    /// validation accuracy reaches it (nil for a seed that never does), in seed order.
    struct Speed {
        enum Kind {
            /// 90% of the way from the untrained nets' validation accuracy to the lower best.
            case mostOfTheWay
            /// One point below the lower of the two best mean validation accuracies.
            case plateau
        }

        let kind: Kind
        let level: Double
        let baseline: [Int?]
        let treatment: [Int?]

        var description: String {
            switch kind {
            case .mostOfTheWay: "90% of the way from the untrained nets' accuracy to the lower of their two best values"
            case .plateau: "one point below the lower of their two best values"
            }
        }
    }

    /// The level `kind` names, and when each seed of each net first reaches it: each
    /// seed's own curve, not the mean curve, whose crossing can fall where no seed's does.
    /// The untrained accuracy is the higher of the two nets' at epoch 0.
    static func epochsToReach(_ kind: Speed.Kind, baseline: RunGroup<MLPRun>, treatment: RunGroup<MLPRun>) -> Speed? {
        guard let a = baseline.best?.validationAccuracy?.mean, let b = treatment.best?.validationAccuracy?.mean else { return nil }
        let level: Double
        switch kind {
        case .plateau:
            level = min(a, b) - 0.01
        case .mostOfTheWay:
            func untrained(_ group: RunGroup<MLPRun>) -> Double? {
                group.curves.epochs.first == 0 ? group.curves.validationAccuracy.first?.mean : nil
            }
            guard let start = [untrained(baseline), untrained(treatment)].compactMap({ $0 }).max(), start < min(a, b) - 0.01 else {
                return nil
            }
            level = start + 0.9 * (min(a, b) - start)
        }
        func first(_ group: RunGroup<MLPRun>) -> [Int?] {
            FigureHelpers.seedCurves(group.curves.epochs, group.curves.validationAccuracy).map { curve in
                curve.first { $0.value >= level }?.epoch
            }
        }
        let (epochsA, epochsB) = (first(baseline), first(treatment))
        guard level > 0, !epochsA.isEmpty, !epochsB.isEmpty else { return nil }
        return Speed(kind: kind, level: level, baseline: epochsA, treatment: epochsB)
    }

    /// Which net reaches the level sooner: with one seed, the two epochs; with several,
    /// the seeds' epochs, and a verdict only where their 95% intervals do not overlap.
    static func speedSentence(_ speed: Speed) -> String? {
        let level = "a validation accuracy of " + NumberText.fixed(speed.level, 3) + " (" + speed.description + ")"
        let reachedA = speed.baseline.compactMap { $0 }, reachedB = speed.treatment.compactMap { $0 }
        guard reachedA.count == speed.baseline.count, reachedB.count == speed.treatment.count else {
            func reach(_ epochs: [Int?], _ reached: [Int], _ phrase: String) -> String {
                "\(reached.count) of \(epochs.count) seeds " + phrase
                    + (reached.isEmpty ? "" : " (after epoch" + (reached.count == 1 ? " " : "s ")
                       + NumberText.list(reached.map(String.init)) + ")")
            }
            return "Not every seed reaches " + level + ": " + reach(speed.treatment, reachedB, "with batch norm") + ", "
                + reach(speed.baseline, reachedA, "without it") + "."
        }
        guard let a = Estimate(reachedA.map(Double.init)), let b = Estimate(reachedB.map(Double.init)) else { return nil }
        let epochs = "with batch norm after epoch " + NumberText.epoch(b) + ", without it after epoch " + NumberText.epoch(a)
        guard a.count > 1, b.count > 1 else { return "Both nets reach " + level + ": " + epochs + "." }
        let verdict = a.overlaps(b)
            ? "the 95% intervals of the \(a.count) seeds overlap, so neither gets there measurably sooner"
            : "batch norm gets there " + (b.mean < a.mean ? "sooner" : "later") + ", beyond the 95% intervals of the \(a.count) seeds"
        return "Every seed of both nets reaches " + level + ": " + epochs + "; " + verdict + "."
    }

    private static func negated(_ estimate: Estimate) -> Estimate {
        Estimate(estimate.values.map { -$0 })?.withNoise(estimate.noise) ?? estimate
    }
}
