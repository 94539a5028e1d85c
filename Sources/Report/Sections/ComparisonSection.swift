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
        if let catchUp = catchUpEpoch(baseline: baseline, treatment: treatment) {
            findings.append("With batch norm the net reaches the final validation accuracy of the net without it ("
                            + NumberText.fixed(baseline.final?.validationAccuracy?.mean ?? 0, 3) + ") already after epoch "
                            + "\(catchUp) of \(baseline.curves.epochs.last ?? 0).")
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
            let seedText = context.hasSeeds ? " (seed \(run.config.seed))" : ""
            figures.append(FigureHelpers.figure(context.name(suffix),
                                                caption: "Decision regions of the model on \(caption)\(seedText), with the test points; "
                                                    + "ringed points are misclassified.",
                                                svg: map.render()))
            if let wrong = FigureHelpers.misclassified(run, manifest: context.manifest) {
                findings.append("On the map with \(caption)\(seedText), \(NumberText.count(wrong.count)) of "
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

    /// Final train, validation and test metrics of every setting.
    static func metricsTable(_ context: SectionContext<MLPRun>) -> Table {
        let rows = context.groups.map { group -> [Table.Cell] in
            let final = group.final
            return [.text(group.label),
                    .estimate(final?.trainLoss, decimals: 3), .estimate(final?.trainAccuracy, decimals: 3),
                    .estimate(final?.validationLoss, decimals: 3), .estimate(final?.validationAccuracy, decimals: 3),
                    .estimate(final?.testLoss, decimals: 3), .estimate(final?.testAccuracy, decimals: 3)]
        }
        return Table(name: context.name("final-metrics"), caption: "Final metrics of each setting",
                     columns: [Table.Column("Setting", numeric: false), Table.Column("Train loss"), Table.Column("Train accuracy"),
                               Table.Column("Validation loss"), Table.Column("Validation accuracy"),
                               Table.Column("Test loss"), Table.Column("Test accuracy")],
                     rows: rows, notes: ["After the last epoch every seed completed."])
    }

    /// Findings on validation accuracy, validation loss and test accuracy.
    static func comparisons(_ context: SectionContext<MLPRun>, subject: String, baseline: RunGroup<MLPRun>, treatment: RunGroup<MLPRun>,
                            analysis: ComparisonAnalysis, phrases: (treatment: String, baseline: String)) -> [String] {
        var findings: [String] = []
        let metrics: [(String, Estimate?, Estimate?, Estimate?)] = [
            ("final validation accuracy", baseline.final?.validationAccuracy, treatment.final?.validationAccuracy,
             analysis.validationAccuracyGain),
            ("final validation loss", baseline.final?.validationLoss, treatment.final?.validationLoss,
             analysis.validationLossReduction.map(negated)),
            ("final test accuracy", baseline.final?.testAccuracy, treatment.final?.testAccuracy, analysis.testAccuracyGain),
        ]
        for (metric, before, after, change) in metrics {
            guard let before, let after else { continue }
            findings.append(sentence(subject: subject, metric: metric, from: before, to: after, change: change,
                                     phrases: phrases))
        }
        return findings
    }

    /// `Batch norm raises the final validation accuracy from 0.889 to 0.962 (+0.073).`
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
            if Comparison.hasIntervals(before, after) {
                return "The \(metric) is " + NumberText.estimate(after, 3) + " \(phrases.treatment) and "
                    + NumberText.estimate(before, 3) + " \(phrases.baseline): indistinguishable at 95% confidence."
            }
            return "\(subject) leaves the \(metric) unchanged at " + NumberText.estimate(after, 3) + "."
        }
    }

    /// The first epoch at which the treatment's validation accuracy reaches the
    /// baseline's final one, when the treatment ends higher and gets there earlier.
    static func catchUpEpoch(baseline: RunGroup<MLPRun>, treatment: RunGroup<MLPRun>) -> Int? {
        guard let target = baseline.final?.validationAccuracy?.mean,
              let reached = treatment.final?.validationAccuracy?.mean, reached > target,
              let last = baseline.curves.epochs.last else { return nil }
        let index = treatment.curves.validationAccuracy.firstIndex { $0.mean >= target }
        guard let index, treatment.curves.epochs[index] < last else { return nil }
        return treatment.curves.epochs[index]
    }

    private static func negated(_ estimate: Estimate) -> Estimate {
        Estimate(estimate.values.map { -$0 }) ?? estimate
    }
}
