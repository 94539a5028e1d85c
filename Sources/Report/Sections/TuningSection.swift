import Charts
import Study

/// 6.2-tune: each grid model at its best learning rate and batch size (chosen on
/// validation accuracy) beside its untuned run, and whether tuning changes which
/// model is best.
enum TuningSection {
    static let untunedSetting = "lr 0.001, batch 256"

    static func content(_ context: SectionContext<MLPRun>, _ analysis: TuningAnalysis) -> SectionContent {
        SectionContent(figures: [figure(context, analysis)], tables: [table(context, analysis)],
                       findings: findings(context, analysis))
    }

    static func figure(_ context: SectionContext<MLPRun>, _ analysis: TuningAnalysis) -> Figure {
        func bars(_ name: String, slot: Int, _ value: (TuningAnalysis.Model) -> Estimate?) -> BarSeries {
            let values = analysis.models.map(value)
            var series = BarSeries(name: name, values: values.map { $0?.mean ?? .nan }, colorSlot: slot)
            if context.hasSeeds {
                series.lower = values.map { $0?.low ?? .nan }
                series.upper = values.map { $0?.high ?? .nan }
            }
            return series
        }
        let chart = BarChart(id: context.chartID("validation-accuracy"), title: "Validation accuracy, untuned and tuned",
                             categories: analysis.models.map(\.model), categoryTitle: "Model",
                             y: Axis("Validation accuracy at the best epoch", domain: 0...1),
                             series: [bars("Untuned (\(untunedSetting))", slot: 0, \.untunedValidation),
                                      bars("Tuned", slot: 1, \.tunedValidation)],
                             valueFormat: .decimals(3), legendTitle: "Setting", legend: .bottom, showsTitle: false)
        return FigureHelpers.figure(context.name("validation-accuracy"),
                                    caption: "Validation accuracy at the best epoch of each grid model, with the grid's setting ("
                                        + untunedSetting + ") and with the setting the search chose; each bar is labelled "
                                        + "with its value.",
                                    svg: chart.render())
    }

    static func table(_ context: SectionContext<MLPRun>, _ analysis: TuningAnalysis) -> Table {
        let rows = analysis.models.map { model -> [Table.Cell] in
            [.text(model.model), .text(NumberText.rate(model.learningRate)), .integer(model.batchSize),
             .estimate(model.untunedValidation, decimals: 3), .estimate(model.tunedValidation, decimals: 3),
             .estimate(model.gain, decimals: 3), .estimate(model.untunedTest, decimals: 3), .estimate(model.tunedTest, decimals: 3)]
        }
        var notes = ["Searched: learning rate " + TuningQuestion.learningRates.map(NumberText.rate).joined(separator: ", ")
                     + " × batch size " + TuningQuestion.batchSizes.map(String.init).joined(separator: ", ")
                     + ", the grid's 50 epochs each; chosen on validation accuracy at the best epoch; test accuracy at that epoch."]
        let diverged = analysis.models.flatMap(\.diverged)
        if !diverged.isEmpty { notes.append("Diverged (never chosen): " + diverged.joined(separator: "; ") + ".") }
        return Table(name: context.name("chosen-settings"), caption: "Chosen setting per model",
                     columns: [Table.Column("Model", numeric: false), Table.Column("Learning rate"), Table.Column("Batch size"),
                               Table.Column("Untuned validation"), Table.Column("Tuned validation"), Table.Column("Gain"),
                               Table.Column("Untuned test"), Table.Column("Tuned test")],
                     rows: rows, notes: notes)
    }

    static func findings(_ context: SectionContext<MLPRun>, _ analysis: TuningAnalysis) -> [String] {
        var findings: [String] = []
        let kept = analysis.models.filter { $0.learningRate == 0.001 && $0.batchSize == 256 }
        let changed = analysis.models.filter { !($0.learningRate == 0.001 && $0.batchSize == 256) }
        if !kept.isEmpty {
            findings.append("The grid's own setting (\(untunedSetting)) is already the best of the nine for "
                            + NumberText.list(kept.map(\.model)) + ".")
        }
        // A gain counts when it is above zero by the report's rule: with several seeds,
        // its 95% interval excludes zero; with one, it is stated as one run's.
        let gains = changed.compactMap { model in model.gain.map { (model, $0) } }
        let real = gains.filter { $0.1.count > 1 ? $0.1.low > 0 : $0.1.mean > 0 }
        if let largest = real.max(by: { $0.1.mean < $1.1.mean }) {
            findings.append("Tuning helps \(largest.0.model) most: lr \(NumberText.rate(largest.0.learningRate)) with batch "
                            + "\(largest.0.batchSize) raises its validation accuracy by " + NumberText.estimate(largest.1, 3)
                            + " (to " + (largest.0.tunedValidation.map { NumberText.estimate($0, 3) } ?? "n/a") + ").")
        }
        let noise = gains.filter { $0.1.count > 1 && $0.1.low <= 0 }.map(\.0.model)
        if !noise.isEmpty {
            findings.append("For " + NumberText.list(noise) + ", the chosen setting's gain is within the seeds' noise "
                            + "(its 95% interval includes zero).")
        }
        if let untunedBest = analysis.untunedRanking.first, let tunedBest = analysis.tunedRanking.first {
            if untunedBest == tunedBest {
                findings.append("The best model is the same with and without tuning: \(tunedBest).")
            } else {
                findings.append("Tuning changes the best model: \(untunedBest) without tuning, \(tunedBest) with it; "
                                + "a comparison of architectures at one fixed setting partly compares how well that setting suits each.")
            }
        }
        return findings
    }
}
