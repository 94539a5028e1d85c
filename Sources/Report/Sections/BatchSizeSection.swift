import Charts
import Study
import Support

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

    /// Each setting's training loss against the training examples it has seen, with the
    /// common level the table's "examples to reach" is read at.
    static func lossFigure(_ context: SectionContext<MLPRun>, _ analysis: BatchSizeAnalysis) -> Figure {
        var series: [LineSeries] = []
        let level = analysis.level?.values.first
        for (index, group) in context.groups.enumerated() {
            guard let run = context.runs[index].first else { continue }
            let losses = run.history.iterationLosses.map(Double.init)
            let rows = context.manifest.splitSizes.first
            let examples = losses.indices.map {
                Double(BatchSizeAnalysis.examples(afterIterations: $0 + 1, batchSize: run.config.batchSize, trainingRows: rows))
            }
            // The dot sits where the curve as drawn (smoothed with the chart's weight) first
            // reaches the dashed level, so its label is at or below the level it marks.
            let weight = smoothingWeight(iterations: losses.count)
            let reached = level.flatMap { level in Smoothing.exponential(losses, weight: weight).firstIndex { $0 <= level } }
            var line = LineSeries(name: group.label, x: examples, y: losses,
                                  marks: reached.map { [PointMark(x: examples[$0])] } ?? [],
                                  stopLabel: FigureHelpers.stopLabel(group))
            line.smoothing = weight
            series.append(line)
        }
        if let level, let first = series.flatMap(\.x).min(), let last = series.flatMap(\.x).max() {
            series.append(LineSeries(name: "common level " + NumberText.fixed(level, 3), x: [first, last], y: [level, level],
                                     colorSlot: series.count, dash: .dashed))
        }
        let seedNote = context.hasSeeds ? " Seed \(context.manifest.seeds[0]) of each setting is shown." : ""
        return FigureHelpers.iterationLossFigure(
            context, series: series, x: Axis("Training examples seen", scale: .logarithmic), lossUnit: "cross-entropy",
            legendTitle: "Batch size, epochs",
            caption: "Training loss of every iteration against the training examples seen so far (logarithmic axes), smoothed, "
                + "with the raw values drawn faintly. The dashed line is the common level: the highest of the settings' final "
                + "levels (mean loss over their last 10% of iterations); a dot marks where each curve, as drawn, first reaches it "
                + "(the table reads the same crossing on a moving average over 1% of the iterations)."
                + seedNote)
    }

    /// Heavier smoothing for longer series, so each curve averages over about 0.5% of its run.
    static func smoothingWeight(iterations: Int) -> Double {
        1 - 1 / max(10, Double(iterations) / 200)
    }

    static func table(_ context: SectionContext<MLPRun>, _ analysis: BatchSizeAnalysis) -> Table {
        let rows = zip(context.groups, analysis.settings).map { group, setting -> [Table.Cell] in
            [.integer(setting.batchSize), .integer(group.config.epochs), .integer(setting.iterations),
             .estimate(group.best?.trainAccuracy, decimals: 3), .estimate(group.best?.validationAccuracy, decimals: 3),
             .estimate(group.best?.testAccuracy, decimals: 3), .estimate(setting.examplesToLevel, decimals: 0),
             .estimate(setting.secondsToLevel, decimals: 2), .estimate(setting.finalLossNoise, decimals: 3),
             .estimate(setting.wallSeconds, decimals: 2)]
        }
        let level = analysis.level.map { " (" + NumberText.estimate($0, 3) + ")" } ?? ""
        return Table(name: context.name("batch-sizes"), caption: "Accuracy, speed and stability per batch size",
                     columns: [Table.Column("Batch size"), Table.Column("Epochs"), Table.Column("Iterations"),
                               Table.Column("Train accuracy"), Table.Column("Validation accuracy"), Table.Column("Test accuracy"),
                               Table.Column("Examples to the common level"), Table.Column("Seconds to the common level"),
                               Table.Column("Loss noise at the end"), Table.Column("Wall time (s)")],
                     rows: rows,
                     notes: ["Accuracies at each run's best epoch (highest validation accuracy). Common level\(level): the highest "
                             + "of the settings' final training-loss levels (mean batch loss over the last 10% of iterations), which "
                             + "every setting reaches; examples and seconds count until its smoothed loss first gets there (seconds: "
                             + "the run's wall time in proportion to its iterations). Loss noise: standard deviation over mean of the "
                             + "batch loss over the last 10% of iterations."])
    }

    static func findings(_ context: SectionContext<MLPRun>, _ analysis: BatchSizeAnalysis) -> [String] {
        var findings: [String] = []
        let ranked = context.groups.filter { $0.best?.testAccuracy != nil }
            .sorted { $0.best!.testAccuracy!.mean > $1.best!.testAccuracy!.mean }
        if let top = ranked.first, let topAccuracy = top.best?.testAccuracy {
            var sentence = "At each run's best epoch, the highest test accuracy, " + NumberText.estimate(topAccuracy, 3)
                + ", comes from \(top.label)"
            if ranked.count > 1, let second = ranked[1].best?.testAccuracy {
                switch Comparison(topAccuracy, second) {
                case .higher: sentence += "; next is \(ranked[1].label) at " + NumberText.estimate(second, 3)
                    + Comparison.intervalClause(topAccuracy, second)
                case .indistinguishable, .lower: sentence += "; \(ranked[1].label) (" + NumberText.estimate(second, 3) + ") is "
                    + Comparison.tieClause(second, topAccuracy, with: "it")
                }
            }
            if let last = ranked.last, ranked.count > 2, let lowest = last.best?.testAccuracy {
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
        let reached = analysis.settings.compactMap { setting in
            setting.examplesToLevel.map { (setting, $0, setting.secondsToLevel) }
        }.sorted { $0.1.mean < $1.1.mean }
        if let level = analysis.level, reached.count > 1 {
            let parts = reached.map { setting, examples, seconds in
                "batch \(setting.batchSize) after " + NumberText.estimate(examples, 0) + " examples"
                    + (seconds.map { " (" + NumberText.seconds($0.mean) + ")" } ?? "")
            }
            var sentence = "The smoothed training loss comes down to " + NumberText.estimate(level, 3)
                + ", a level every setting reaches, with " + parts.joined(separator: ", ")
                + ": counted in examples seen, \(reached[0].0.label) learns fastest"
            let bySeconds = reached.filter { $0.2 != nil }.min { $0.2!.mean < $1.2!.mean }
            if let quickest = bySeconds, quickest.0.label != reached[0].0.label {
                sentence += "; counted in seconds on this machine, \(quickest.0.label) gets there first"
            }
            findings.append(sentence + ".")
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
