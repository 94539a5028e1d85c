import Charts
import Study

/// 6.1.2-q4: accuracy, speed and stability of training per (batch size, epochs).
enum BatchSizeSection {
    static func content(_ context: SectionContext<MLPRun>, _ analysis: BatchSizeAnalysis) -> SectionContent {
        SectionContent(figures: [accuracyFigure(context), lossFigure(context, analysis)],
                       tables: [table(context, analysis)], findings: findings(context, analysis))
    }

    static func accuracyFigure(_ context: SectionContext<MLPRun>) -> Figure {
        let series = context.groups.map { group in
            FigureHelpers.line(FigureHelpers.legendName(group), epochs: group.curves.epochs,
                               values: group.curves.validationAccuracy, context: context,
                               stop: FigureHelpers.stopLabel(group))
        }
        let chart = LineChart(id: context.chartID("validation-accuracy"), title: "Validation accuracy per epoch",
                              x: FigureHelpers.epochAxis(series), y: FigureHelpers.accuracyAxis("Validation accuracy"), series: series,
                              legendTitle: "Batch size, epochs", legend: .bottom, width: 480, height: 360, showsTitle: false)
        return FigureHelpers.figure(context.name("validation-accuracy"),
                                    caption: "Validation accuracy after each epoch (epoch 0 is the untrained net).",
                                    svg: chart.render(), wide: false)
    }

    static func lossFigure(_ context: SectionContext<MLPRun>, _ analysis: BatchSizeAnalysis) -> Figure {
        var series: [LineSeries] = []
        for (index, group) in context.groups.enumerated() {
            guard let run = context.runs[index].first else { continue }
            let convergence = Convergence(losses: run.history.iterationLosses)
            let marks = convergence.iterationsToConverge.map { [PointMark(x: Double($0), label: "settles")] } ?? []
            series.append(FigureHelpers.iterationLine(group, losses: run.history.iterationLosses, marks: marks))
        }
        let seedNote = context.hasSeeds ? " Seed \(context.manifest.seeds[0]) of each setting is shown." : ""
        return FigureHelpers.iterationLossFigure(
            context, series: series, x: Axis("Iteration", scale: .logarithmic), lossUnit: "cross-entropy",
            legendTitle: "Batch size, epochs",
            caption: "Training loss of every iteration (logarithmic axes), smoothed, with the raw values drawn faintly; "
                + "“settles” marks where the smoothed loss stays within 10% of its final level." + seedNote)
    }

    /// Heavier smoothing for longer series, so each curve averages over about 0.5% of its run.
    static func smoothingWeight(iterations: Int) -> Double {
        1 - 1 / max(10, Double(iterations) / 200)
    }

    static func table(_ context: SectionContext<MLPRun>, _ analysis: BatchSizeAnalysis) -> Table {
        let rows = zip(context.groups, analysis.settings).map { group, setting -> [Table.Cell] in
            [.integer(setting.batchSize), .integer(group.config.epochs), .integer(setting.iterations),
             .estimate(group.final?.trainAccuracy, decimals: 3), .estimate(group.final?.validationAccuracy, decimals: 3),
             .estimate(group.final?.testAccuracy, decimals: 3), .estimate(setting.iterationsToConverge, decimals: 0),
             .estimate(setting.finalLossNoise, decimals: 3), .estimate(setting.wallSeconds, decimals: 2)]
        }
        return Table(name: context.name("batch-sizes"), caption: "Accuracy, speed and stability per batch size",
                     columns: [Table.Column("Batch size"), Table.Column("Epochs"), Table.Column("Iterations"),
                               Table.Column("Train accuracy"), Table.Column("Validation accuracy"), Table.Column("Test accuracy"),
                               Table.Column("Iterations to settle"), Table.Column("Loss noise at the end"),
                               Table.Column("Wall time (s)")],
                     rows: rows,
                     notes: ["Accuracies after the last epoch. Iterations to settle: first iteration from which the smoothed training loss "
                             + "stays within 10% of its final level. Loss noise: standard deviation over mean of the batch loss "
                             + "over the last 10% of iterations."])
    }

    static func findings(_ context: SectionContext<MLPRun>, _ analysis: BatchSizeAnalysis) -> [String] {
        var findings: [String] = []
        let ranked = context.groups.filter { $0.final?.testAccuracy != nil }
            .sorted { $0.final!.testAccuracy!.mean > $1.final!.testAccuracy!.mean }
        if let top = ranked.first, let topAccuracy = top.final?.testAccuracy {
            var sentence = "The highest final test accuracy, " + NumberText.estimate(topAccuracy, 3) + ", comes from \(top.label)"
            if ranked.count > 1, let second = ranked[1].final?.testAccuracy {
                switch Comparison(topAccuracy, second) {
                case .higher: sentence += "; next is \(ranked[1].label) at " + NumberText.estimate(second, 3)
                    + Comparison.intervalClause(topAccuracy, second)
                case .indistinguishable, .lower: sentence += ", indistinguishable at 95% confidence from \(ranked[1].label) ("
                    + NumberText.estimate(second, 3) + ")"
                }
            }
            if let last = ranked.last, ranked.count > 2, let lowest = last.final?.testAccuracy {
                sentence += "; \(last.label) is lowest at " + NumberText.estimate(lowest, 3)
            }
            findings.append(sentence + ".")
        }
        let byIterations = analysis.settings.sorted { $0.iterations < $1.iterations }
        if let fewest = byIterations.first, let most = byIterations.last, fewest.iterations != most.iterations {
            findings.append("The settings differ in epochs as well as batch size, so the number of weight updates ranges from "
                            + NumberText.count(fewest.iterations) + " (batch \(fewest.batchSize)) to "
                            + NumberText.count(most.iterations) + " (batch \(most.batchSize)).")
        }
        let settled = analysis.settings.compactMap { setting in setting.iterationsToConverge.map { (setting, $0) } }
        if !settled.isEmpty {
            let parts = settled.map { setting, iterations in
                "batch \(setting.batchSize), " + NumberText.count(Int(iterations.mean.rounded())) + " of "
                    + NumberText.count(setting.iterations)
            }
            var sentence = "Iterations until the smoothed training loss stays within 10% of its final level: "
                + parts.joined(separator: "; ") + "."
            if let fastest = analysis.fastestToConverge {
                sentence += " Counted in iterations, \(fastest) settles first."
            }
            findings.append(sentence)
        }
        let noisy = analysis.settings.compactMap { setting in setting.finalLossNoise.map { (setting, $0) } }
        if let noisiest = noisy.max(by: { $0.1.mean < $1.1.mean }), let steadiest = noisy.min(by: { $0.1.mean < $1.1.mean }),
           noisiest.0.batchSize != steadiest.0.batchSize {
            findings.append("The batch loss is noisiest with batch \(noisiest.0.batchSize): over its last 10% of iterations it varies by "
                            + NumberText.percent(noisiest.1.mean) + " of its mean, against "
                            + NumberText.percent(steadiest.1.mean) + " with batch \(steadiest.0.batchSize).")
        }
        let timed = analysis.settings.compactMap { setting in setting.wallSeconds.map { (setting, $0.mean) } }
        if let slowest = timed.max(by: { $0.1 < $1.1 }), let quickest = timed.min(by: { $0.1 < $1.1 }),
           slowest.0.batchSize != quickest.0.batchSize {
            findings.append("On this machine a run took from " + NumberText.seconds(quickest.1) + " (batch \(quickest.0.batchSize)) to "
                            + NumberText.seconds(slowest.1) + " (batch \(slowest.0.batchSize)).")
        }
        return findings
    }
}
