import Charts
import Study

/// 6.1.2-q1: validation loss per learning rate; which rate is best, which diverge,
/// which barely learn.
enum LearningRateSection {
    /// A run "barely learns" when its final validation loss is less than this
    /// fraction below its loss before training.
    static let noProgressThreshold = 0.1

    static func content(_ context: SectionContext<MLPRun>, _ analysis: LearningRateAnalysis) -> SectionContent {
        SectionContent(figures: [figure(context)], tables: [table(context)], findings: findings(context, analysis))
    }

    static func figure(_ context: SectionContext<MLPRun>) -> Figure {
        let series = context.groups.map { group -> LineSeries in
            let curve = FigureHelpers.trained(group.curves.epochs, group.curves.validationLoss)
            return FigureHelpers.line(FigureHelpers.legendName(group), epochs: curve.epochs, values: curve.values,
                                      context: context, stop: FigureHelpers.stopLabel(group))
        }
        let chart = LineChart(id: context.chartID("validation-loss"), title: "Validation loss per epoch for each learning rate",
                              x: FigureHelpers.epochAxis(series), y: Axis("Validation loss", unit: "cross-entropy", scale: .logarithmic),
                              series: series, legendTitle: "Learning rate", showsTitle: false)
        return FigureHelpers.figure(context.name("validation-loss"),
                                    caption: "Validation loss after each epoch, one line per learning rate (logarithmic scale).",
                                    svg: chart.render())
    }

    static func table(_ context: SectionContext<MLPRun>) -> Table {
        let rows = context.groups.map { group -> [Table.Cell] in
            [.text(NumberText.rate(group.config.optimizer.learningRate)),
             .estimate(group.final?.trainLoss, decimals: 3),
             .estimate(group.final?.validationLoss, decimals: 3),
             .estimate(group.final?.validationAccuracy, decimals: 3),
             .estimate(group.best?.validationAccuracy, decimals: 3),
             .integer(rises(group)),
             .text(group.diverged ? DivergenceText.short(group) : "trained")]
        }
        return Table(name: context.name("final-metrics"), caption: "Final metrics per learning rate",
                     columns: [Table.Column("Learning rate"), Table.Column("Train loss"), Table.Column("Validation loss"),
                               Table.Column("Validation accuracy"), Table.Column("Best validation accuracy"),
                               Table.Column("Epochs where validation loss rose"), Table.Column("Outcome", numeric: false)],
                     rows: rows,
                     notes: ["Final: after the last epoch every seed completed. Best: at the epoch of highest validation accuracy."])
    }

    /// Epochs (after the first) whose mean validation loss is higher than the epoch before.
    static func rises(_ group: RunGroup<MLPRun>) -> Int {
        let losses = FigureHelpers.trained(group.curves.epochs, group.curves.validationLoss).values.map(\.mean)
        return zip(losses, losses.dropFirst()).filter { $1 > $0 }.count
    }

    static func findings(_ context: SectionContext<MLPRun>, _ analysis: LearningRateAnalysis) -> [String] {
        var findings: [String] = []
        let best = context.group(analysis.best)
        if let best, let loss = best.final?.validationLoss {
            var sentence = "Of the \(context.groups.count) learning rates, \(best.label) ends with the lowest validation loss: "
                + NumberText.estimate(loss, 3) + " after epoch \(best.curves.epochs.last ?? 0)"
            if let accuracy = best.final?.validationAccuracy {
                sentence += ", at a validation accuracy of " + NumberText.estimate(accuracy, 3)
            }
            findings.append(sentence + ".")
            let others = analysis.ranking.compactMap(context.group).filter { !$0.diverged && $0.label != best.label }
            if let second = others.first, let secondLoss = second.final?.validationLoss {
                findings.append(Comparison.runnerUp("The next best, \(second.label), ends at ", secondLoss, loss, secondLoss,
                                                    expected: .lower, tie: "the two are indistinguishable at 95% confidence"))
            }
            let ranked = analysis.ranking.compactMap(context.group).filter { !$0.diverged }
            if ranked.count > 2 {
                let order = ranked.map { group in
                    group.label + " (" + (group.final?.validationLoss.map { NumberText.estimate($0, 3) } ?? "n/a") + ")"
                }
                findings.append("From lowest to highest final validation loss: " + order.joined(separator: ", ") + ".")
            }
        } else {
            findings.append("Every learning rate diverged; none can be called best.")
        }
        for group in context.groups where group.diverged {
            findings.append(DivergenceText.sentence(group))
        }
        let bestRate = best?.config.optimizer.learningRate
        for group in context.groups where !group.diverged {
            guard let start = group.curves.validationLoss.first?.mean, let end = group.final?.validationLoss?.mean,
                  start > 0 else { continue }
            let epochs = group.curves.epochs.last ?? 0
            let rate = group.config.optimizer.learningRate
            // Relative to the best rate, a rate that does not learn is either too large or too small.
            let why = bestRate.map { rate > $0 ? ": its steps are too large" : ": its steps are too small" } ?? ""
            if end > start {
                findings.append("With \(group.label), validation loss rises from " + NumberText.fixed(start, 3)
                                + " before training to " + NumberText.fixed(end, 3) + " after \(epochs) epochs" + why + ".")
            } else if (start - end) / start < noProgressThreshold {
                findings.append("With \(group.label), the network barely learns: in \(epochs) epochs its validation loss only falls from "
                                + NumberText.fixed(start, 3) + " to " + NumberText.fixed(end, 3) + " ("
                                + NumberText.percent((start - end) / start) + " lower)" + why + ".")
            }
        }
        let trained = context.groups.filter { !$0.diverged }
        if let unsteady = trained.max(by: { rises($0) < rises($1) }), let steady = trained.min(by: { rises($0) < rises($1) }),
           rises(unsteady) >= rises(steady) + 3 {
            let epochs = max((unsteady.curves.epochs.last ?? 1) - 1, 1)
            findings.append("Validation loss is least steady with \(unsteady.label): it goes up from one epoch to the next "
                            + "\(rises(unsteady)) times in \(epochs) steps, against \(rises(steady)) times with \(steady.label).")
        }
        return findings
    }
}
