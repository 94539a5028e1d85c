import Charts
import Study

/// 7.1-logreg: logistic regression on the frozen backbone's features: how well it
/// fits and generalises, and how it compares with the linear probe, which trains the
/// same kind of model on the same features with Adam.
enum FaceLogisticRegressionSection {
    static func content(_ context: SectionContext<FaceRun>, _ analysis: FaceLogisticRegressionAnalysis) -> SectionContent {
        let probe = bestProbe(context)
        return SectionContent(figures: [figure(context, probe: probe)], tables: [table(context, probe: probe)],
                              findings: findings(context, analysis, probe: probe))
    }

    /// The linear probe's best run by test accuracy, when 7.1-probe is computed.
    static func bestProbe(_ context: SectionContext<FaceRun>) -> RunGroup<FaceRun>? {
        guard let result = context.study.result("7.1-probe", as: FaceRun.self), case .learningRates(let analysis) = result.analysis,
              let label = analysis.bestByTest else { return nil }
        return result.groups.first { $0.label == label }
    }

    /// `Linear probing, lr 0.01`.
    static func probeName(_ probe: RunGroup<FaceRun>) -> String { "Linear probing, \(probe.label)" }

    static func figure(_ context: SectionContext<FaceRun>, probe: RunGroup<FaceRun>?) -> Figure {
        let runs = context.groups.map { ("Logistic regression, \($0.label)", $0) } + (probe.map { [(probeName($0), $0)] } ?? [])
        func bars(_ name: String, slot: Int, _ value: (RunGroup<FaceRun>) -> Estimate?) -> BarSeries {
            let values = runs.map { value($0.1) }
            var series = BarSeries(name: name, values: values.map { $0?.mean ?? .nan }, colorSlot: slot)
            if context.hasSeeds {
                series.lower = values.map { $0?.low ?? .nan }
                series.upper = values.map { $0?.high ?? .nan }
            }
            return series
        }
        let chance = context.chance
        let chart = BarChart(id: context.chartID("accuracy"), title: "Accuracy on each split",
                             categories: runs.map(\.0), y: Axis("Accuracy", domain: 0...1),
                             series: [bars("Train", slot: 0) { $0.trainAccuracy }, bars("Validation", slot: 1) { $0.validationAccuracy },
                                      bars("Test", slot: 2) { $0.testAccuracy }],
                             valueFormat: .decimals(3), legendTitle: "Split", legend: .bottom, width: 480, height: 360,
                             notes: ["Guessing (always the larger class) scores " + chance.text + "."], showsTitle: false)
        let caption = probe == nil
            ? "Train, validation and test accuracy of logistic regression on the frozen features."
            : "Train, validation and test accuracy of logistic regression on the frozen features, beside the best linear probe "
                + "(the same features, a linear layer trained with Adam)."
        return FigureHelpers.figure(context.name("accuracy"), caption: caption + (context.hasSeeds ? " Error bars: " + context.bandLabel + "." : ""),
                                    svg: chart.render(), wide: false)
    }

    static func table(_ context: SectionContext<FaceRun>, probe: RunGroup<FaceRun>?) -> Table {
        let runs = context.groups.map { ("Logistic regression, \($0.label)", $0) } + (probe.map { [(probeName($0), $0)] } ?? [])
        var rows = runs.map { name, group -> [Table.Cell] in
            let results = context.study.units.compactMap { unit in
                group.keys.contains(unit.unit.key) ? unit.result as? RunResult<FaceRun> : nil
            }
            return [.text(name), .estimate(group.trainAccuracy, decimals: 3), .estimate(group.validationAccuracy, decimals: 3),
                    .estimate(group.testAccuracy, decimals: 3), .estimate(group.testLoss, decimals: 3),
                    .estimate(FaceTiming.ownSeconds(results), decimals: 2)]
        }
        if let shared = FaceTiming.sharedRow(context.study, columns: 6) { rows.append(shared) }
        return Table(name: context.name("results"), caption: "Accuracy per split",
                     columns: [Table.Column("Model", numeric: false), Table.Column("Train accuracy"),
                               Table.Column("Validation accuracy"), Table.Column("Test accuracy"), Table.Column("Test loss"),
                               Table.Column("Wall time (s)")],
                     rows: rows,
                     notes: ["Test loss: binary cross-entropy (log loss) of the predicted probabilities."
                             + (probe == nil ? "" : " The linear probe row is its best learning rate by test accuracy (7.1 linear probing).")
                             + (FaceTiming.sharedSeconds(context.study) == nil ? "" : " " + FaceTiming.note)
                             + " " + FaceTiming.coresNote])
    }

    static func findings(_ context: SectionContext<FaceRun>, _ analysis: FaceLogisticRegressionAnalysis,
                         probe: RunGroup<FaceRun>?) -> [String] {
        var findings: [String] = []
        guard let group = context.groups.first else { return findings }
        let chance = context.chance
        if let gap = analysis.generalizationGap {
            var sentence = "Logistic regression reaches " + FaceText.accuracy(group.trainAccuracy) + " on the training images and "
                + FaceText.accuracy(group.testAccuracy) + " on the test images: a generalisation gap of "
                + NumberText.signedEstimate(gap, 3)
            let beyond = gap.count > 1 ? gap.low > chance.margin : gap.mean > chance.margin
            sentence += beyond
                ? ", more than the ±" + NumberText.fixed(chance.margin, 3) + " that sampling the test images explains, so it fits "
                    + "its training images better than it generalises"
                : ", within the ±" + NumberText.fixed(chance.margin, 3) + " that sampling the test images explains"
            findings.append(sentence + ".")
        }
        if let sentence = FaceText.chanceSentence(context.groups, chance: chance, subject: "setting",
                                                  name: { "Logistic regression with \($0.label)" }) {
            findings.append(sentence)
        }
        if let probe, let probeAccuracy = probe.testAccuracy, let accuracy = group.testAccuracy {
            let comparison = Comparison(accuracy, probeAccuracy)
            let intervals = Comparison.hasIntervals(accuracy, probeAccuracy)
            let relation = switch comparison {
            case .higher: "higher than"
            case .lower: "lower than"
            case .indistinguishable:
                intervals ? "indistinguishable from" : Comparison.noiseBand(accuracy, probeAccuracy) != nil ? "not measurably different from" : "equal to"
            }
            var sentence = "On the same frozen features, logistic regression's test accuracy (" + FaceText.accuracy(accuracy)
                + ") is \(relation) the best linear probe's (\(probe.label), " + FaceText.accuracy(probeAccuracy) + ")"
            sentence += comparison == .indistinguishable ? FaceText.difference(accuracy, probeAccuracy).clause
                : Comparison.intervalClause(accuracy, probeAccuracy)
            sentence += ". Both fit one linear layer on the same features; they differ in the optimiser (LIBLINEAR to convergence "
                + "with an L2 penalty, against \(probe.config.epochs) epoch\(probe.config.epochs == 1 ? "" : "s") of Adam)."
            findings.append(sentence)
        } else if probe == nil {
            findings.append("The linear probe (7.1 linear probing) is not computed, so there is nothing to compare with on the same features.")
        }
        return findings
    }
}
