import Charts
import Study

/// 6.1.2-q1: validation loss per learning rate; which rate is best, which diverge,
/// which barely learn.
enum LearningRateSection {
    /// A run "barely learns" when its lowest validation loss after training is less
    /// than this fraction below its loss before training.
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
             .text(group.bestEpoch.map(NumberText.epoch) ?? "–"),
             .estimate(group.best?.validationLoss, decimals: 3),
             .estimate(group.best?.validationAccuracy, decimals: 3),
             .estimate(group.final?.validationLoss, decimals: 3),
             .estimate(group.final?.validationAccuracy, decimals: 3),
             .text(largestRise(group).map { NumberText.percent($0.fraction) + " (epoch \($0.epoch))" } ?? "–"),
             .text(group.diverged ? DivergenceText.short(group) : "trained")]
        }
        return Table(name: context.name("metrics"), caption: "Validation metrics per learning rate at the best epoch and after the last",
                     columns: [Table.Column("Learning rate"), Table.Column("Best epoch", numeric: false),
                               Table.Column("Validation loss"), Table.Column("Validation accuracy"),
                               Table.Column("Final validation loss"), Table.Column("Final validation accuracy"),
                               Table.Column("Largest rise of validation loss", numeric: false),
                               Table.Column("Outcome", numeric: false)],
                     rows: rows,
                     notes: ["Best epoch: the epoch of highest validation accuracy, per seed; the next two columns are read there. "
                             + "Final: after the last epoch every seed completed. Largest rise: the largest increase of the mean "
                             + "validation loss from one epoch to the next, relative to the epoch before."])
    }

    /// The largest relative increase of the mean validation loss from one epoch to the
    /// next, and the epoch it rises into; nil when it never rises.
    static func largestRise(_ group: RunGroup<MLPRun>) -> (fraction: Double, epoch: Int)? {
        let curve = FigureHelpers.trained(group.curves.epochs, group.curves.validationLoss)
        let losses = curve.values.map(\.mean)
        let rises = losses.indices.dropFirst().compactMap { index -> (fraction: Double, epoch: Int)? in
            guard losses[index - 1] > 0, losses[index] > losses[index - 1] else { return nil }
            return ((losses[index] - losses[index - 1]) / losses[index - 1], curve.epochs[index])
        }
        return rises.max { $0.fraction < $1.fraction }
    }

    static func findings(_ context: SectionContext<MLPRun>, _ analysis: LearningRateAnalysis) -> [String] {
        var findings: [String] = []
        let best = context.group(analysis.best)
        if let best, let loss = best.best?.validationLoss {
            var sentence = "Of the \(context.groups.count) learning rates, \(best.label) reaches the lowest validation loss at its "
                + "best epoch: " + NumberText.estimate(loss, 3) + " at epoch " + (best.bestEpoch.map(NumberText.epoch) ?? "n/a")
            if let accuracy = best.best?.validationAccuracy {
                sentence += ", with a validation accuracy of " + NumberText.estimate(accuracy, 3)
            }
            findings.append(sentence + ".")
            let others = analysis.ranking.compactMap(context.group).filter { !$0.diverged && $0.label != best.label }
            if let second = others.first, let secondLoss = second.best?.validationLoss {
                findings.append(Comparison.runnerUp("The next best, \(second.label), reaches ", secondLoss, loss, secondLoss,
                                                    expected: .lower, tieWith: "the best"))
            }
            let ranked = analysis.ranking.compactMap(context.group).filter { !$0.diverged }
            if ranked.count > 2 {
                let order = ranked.map { group in
                    group.label + " (" + (group.best?.validationLoss.map { NumberText.estimate($0, 3) } ?? "n/a") + ")"
                }
                findings.append("From lowest to highest validation loss at the best epoch: " + order.joined(separator: ", ") + ".")
            }
        } else {
            findings.append("Every learning rate diverged; none can be called best.")
        }
        for group in context.groups where group.diverged {
            findings.append(DivergenceText.sentence(group))
        }
        let bestRate = best?.config.optimizer.learningRate
        for group in context.groups where !group.diverged {
            // Relative to the best rate, a rate that does not learn is either too large or too small.
            let rate = group.config.optimizer.learningRate
            let why = bestRate.map { rate > $0 ? ": its steps are too large" : ": its steps are too small" } ?? ""
            if let sentence = progressSentence(group, why: why) { findings.append(sentence) }
        }
        let rising = context.groups.filter { !$0.diverged }.compactMap { group in largestRise(group).map { (group, $0) } }
        if let unsteady = rising.max(by: { $0.1.fraction < $1.1.fraction }), unsteady.1.fraction >= 0.1 {
            let others = context.groups.filter { !$0.diverged && $0.label != unsteady.0.label }
            let calmest = others.map { ($0, largestRise($0)?.fraction ?? 0) }.max { $0.1 < $1.1 }
            let name = unsteady.0.seeds.count > 1 ? "The " + FigureHelpers.curveName(unsteady.0, "validation loss") : "Validation loss"
            var sentence = name + " is least steady with \(unsteady.0.label): from epoch \(unsteady.1.epoch - 1) to "
                + "\(unsteady.1.epoch) it jumps by " + NumberText.percent(unsteady.1.fraction)
            if let calmest { sentence += ", while no other rate's loss rises by more than " + NumberText.percent(calmest.1) + " in one epoch" }
            findings.append(sentence + ".")
        }
        return findings
    }

    /// How far one seed's validation loss falls below its value before training: the
    /// value before, the lowest after training and its epoch.
    struct Progress {
        let seed: UInt64
        let start: Double
        let lowest: Double
        let epoch: Int
        var drop: Double { (start - lowest) / start }
    }

    /// Each seed's progress, read on its own curve (a mean curve can stay above its
    /// start while most seeds fall below theirs).
    static func progress(_ group: RunGroup<MLPRun>) -> [Progress] {
        guard let before = group.curves.validationLoss.first else { return [] }
        let curves = FigureHelpers.seedCurves(group.curves.epochs, group.curves.validationLoss)
        return zip(before.values, curves).enumerated().compactMap { seed, pair in
            let (start, curve) = pair
            guard start > 0, let lowest = curve.min(by: { $0.value < $1.value }) else { return nil }
            return Progress(seed: seed < group.seeds.count ? group.seeds[seed] : UInt64(seed), start: start,
                            lowest: lowest.value, epoch: lowest.epoch)
        }
    }

    /// Whether a rate learns at all, read on the lowest validation loss each seed reaches:
    /// nil when every seed's falls by at least `noProgressThreshold`.
    static func progressSentence(_ group: RunGroup<MLPRun>, why: String) -> String? {
        let seeds = progress(group)
        let stalled = seeds.filter { $0.drop < noProgressThreshold }
        guard !stalled.isEmpty else { return nil }
        if seeds.count == 1, let only = seeds.first {
            if only.drop <= 0 {
                return "With \(group.label), the validation loss never falls below its " + NumberText.fixed(only.start, 3)
                    + " before training (its lowest after training is " + NumberText.fixed(only.lowest, 3)
                    + ", at epoch \(only.epoch))" + why + "."
            }
            return "With \(group.label), the network barely learns: its lowest validation loss, " + NumberText.fixed(only.lowest, 3)
                + " at epoch \(only.epoch), is only " + NumberText.percent(only.drop) + " below its "
                + NumberText.fixed(only.start, 3) + " before training" + why + "."
        }
        func describe(_ p: Progress) -> String {
            "seed \(p.seed): " + (p.drop <= 0
                ? "never below its " + NumberText.fixed(p.start, 3) + ", lowest " + NumberText.fixed(p.lowest, 3)
                    + " at epoch \(p.epoch)"
                : NumberText.percent(p.drop) + " below its " + NumberText.fixed(p.start, 3) + ", at epoch \(p.epoch)")
        }
        let details = " (" + seeds.map(describe).joined(separator: "; ") + ")"
        if seeds.allSatisfy({ $0.drop <= 0 }) {
            return "With \(group.label), the validation loss never falls below its value before training, in any of the "
                + "\(seeds.count) seeds" + details + why + "."
        }
        if stalled.count == seeds.count {
            return "With \(group.label), the network barely learns: in every seed its lowest validation loss is less than "
                + NumberText.percent(noProgressThreshold) + " below its value before training" + details + why + "."
        }
        return "With \(group.label), the network barely learns in \(stalled.count) of \(seeds.count) seeds: its lowest validation "
            + "loss is less than " + NumberText.percent(noProgressThreshold) + " below its value before training there" + details + "."
    }
}
