import Charts
import Study

/// 6.1.2-q2: validation loss over a long run, at the epochs the question names,
/// and where more epochs stop helping.
enum EpochsSection {
    static func content(_ context: SectionContext<MLPRun>, _ analysis: EpochsAnalysis) -> SectionContent {
        guard let group = context.groups.first else { return SectionContent() }
        var content = SectionContent(figures: [figure(context, group, analysis)], tables: [table(context, group, analysis)],
                                     findings: findings(context, group, analysis), compares: false)
        // Read at the epochs the question names, not at a best epoch.
        if context.hasSeeds { content.caveat = Comparison.seedCaveat(seeds: context.seedCount, atBestEpoch: false) }
        return content
    }

    static func figure(_ context: SectionContext<MLPRun>, _ group: RunGroup<MLPRun>, _ analysis: EpochsAnalysis) -> Figure {
        let curve = FigureHelpers.trained(group.curves.epochs, group.curves.validationLoss)
        let marks = analysis.checkpoints.map { PointMark(x: Double($0.epoch)) }
        let series = FigureHelpers.line(group.label, epochs: curve.epochs, values: curve.values, context: context,
                                        stop: FigureHelpers.stopLabel(group), marks: marks)
        var notes: [String] = []
        if let plateau = analysis.plateauEpoch {
            notes.append("Validation loss first comes within 1% of its lowest value at epoch " + NumberText.epoch(plateau) + ".")
        }
        let epochs = analysis.checkpoints.map { String($0.epoch) }.joined(separator: ", ")
        let chart = LineChart(id: context.chartID("validation-loss"), title: "Validation loss per epoch",
                              x: FigureHelpers.epochAxis([series]), y: Axis("Validation loss", unit: "cross-entropy"),
                              series: [series], legend: .hidden, notes: notes, showsTitle: false)
        return FigureHelpers.figure(context.name("validation-loss"),
                                    caption: "Validation loss after each epoch; the marked points are epochs \(epochs).",
                                    svg: chart.render())
    }

    static func table(_ context: SectionContext<MLPRun>, _ group: RunGroup<MLPRun>, _ analysis: EpochsAnalysis) -> Table {
        var previous: Double?
        let rows = analysis.checkpoints.map { checkpoint -> [Table.Cell] in
            let loss = checkpoint.validationLoss.mean
            let change: Table.Cell = previous.map { .text(NumberText.signed(100 * (loss - $0) / $0, 1) + "%") } ?? .text("")
            previous = loss
            return [.integer(checkpoint.epoch), .estimate(checkpoint.validationLoss, decimals: 3),
                    .estimate(checkpoint.validationAccuracy, decimals: 3), change]
        }
        return Table(name: context.name("checkpoints"), caption: "Validation loss and accuracy at the named epochs",
                     columns: [Table.Column("Epoch"), Table.Column("Validation loss"), Table.Column("Validation accuracy"),
                               Table.Column("Loss change since the previous row")],
                     rows: rows)
    }

    static func findings(_ context: SectionContext<MLPRun>, _ group: RunGroup<MLPRun>, _ analysis: EpochsAnalysis) -> [String] {
        var findings: [String] = []
        let checkpoints = analysis.checkpoints
        let total = group.curves.epochs.last ?? 0
        if let first = checkpoints.first, let last = checkpoints.last, first.epoch != last.epoch {
            var steps = ["from " + NumberText.estimate(first.validationLoss, 3) + " after epoch \(first.epoch)"]
            if checkpoints.count > 2 {
                let middle = checkpoints[checkpoints.count / 2]
                steps.append("to " + NumberText.estimate(middle.validationLoss, 3) + " after epoch \(middle.epoch)")
                steps.append("and " + NumberText.estimate(last.validationLoss, 3) + " after epoch \(last.epoch)")
            } else {
                steps.append("to " + NumberText.estimate(last.validationLoss, 3) + " after epoch \(last.epoch)")
            }
            findings.append("Validation loss goes " + steps.joined(separator: " ") + ".")
        }
        if let start = group.curves.validationLoss.first?.mean, let end = group.final?.validationLoss?.mean, start > end {
            let early = checkpoints.last { $0.epoch <= max(total / 5, 5) } ?? checkpoints.first
            if let early, early.epoch < total {
                let share = (start - early.validationLoss.mean) / (start - end)
                findings.append("By epoch \(early.epoch) of \(total), " + NumberText.percent(min(max(share, 0), 9.99))
                                + " of the whole decrease from the untrained net's loss (" + NumberText.fixed(start, 3)
                                + ") is done.")
            }
        }
        if let plateau = analysis.plateauEpoch {
            // Each seed's curve against its own lowest value, which the next sentence's mean curve need not share.
            let basis = plateau.count > 1 ? " (each seed's curve against its own lowest)" : ""
            findings.append("Validation loss first comes within 1% of the lowest value it ever reaches\(basis) at epoch "
                            + NumberText.epoch(plateau) + ": no later epoch improves on it by more than 1%.")
        }
        let losses = group.curves.validationLoss
        if let lowestIndex = losses.indices.filter({ group.curves.epochs[$0] >= 1 }).min(by: { losses[$0].mean < losses[$1].mean }),
           let final = group.final?.validationLoss {
            let lowest = losses[lowestIndex]
            let epoch = group.curves.epochs[lowestIndex]
            if final.mean > lowest.mean * 1.01 {
                findings.append("The lowest " + FigureHelpers.curveName(group, "validation loss") + ", "
                                + NumberText.fixed(lowest.mean, 3) + ", comes at epoch \(epoch); "
                                + "by epoch \(total) it has risen to " + NumberText.fixed(final.mean, 3) + " ("
                                + NumberText.percent((final.mean - lowest.mean) / lowest.mean) + " higher)"
                                + LossTrend.trainingClause(group, from: lowestIndex) + ".")
            } else {
                findings.append("The " + FigureHelpers.curveName(group, "validation loss") + " is lowest at epoch \(epoch) "
                                + "and ends within 1% of that value, so the last epochs "
                                + "neither help nor hurt much.")
            }
        }
        return findings
    }
}
