import Charts
import Study

/// 6.2-q1 and q2: the best and the worst model of the (depth, width) grid, with
/// its decision map and loss curves. (q3 and q4 are in ``SweepSection``.)
enum ModelGridSection {
    static func content(_ context: SectionContext<MLPRun>, _ analysis: ModelGridAnalysis) -> SectionContent {
        switch analysis.selection {
        case .depth, .width: return SweepSection.content(context, analysis)
        case .best, .worst: break
        }
        guard let index = context.index(analysis.selected) else { return SectionContent(tables: [ranking(context, analysis)]) }
        let group = context.groups[index]
        var figures: [Figure] = []
        var findings = analysis.selection == .best ? bestFindings(context, analysis, group) : worstFindings(context, analysis, group)
        let which = analysis.selection == .best ? "best" : "worst"
        if let run = context.runs[index].first,
           let map = FigureHelpers.decisionMap(run, context: context, suffix: "map",
                                               title: "Decision regions of the \(which) model (\(group.label)) on the test set") {
            let model = FigureHelpers.mapModel(run, context: context)
            figures.append(FigureHelpers.figure(context.name("map"),
                                                caption: "Decision regions of the \(which) model (\(group.label), \(model)) with the test points "
                                                    + "coloured by their true class; ringed points are misclassified.",
                                                svg: map.render()))
            if let wrong = FigureHelpers.misclassified(run, manifest: context.manifest) {
                findings.append("On the map (\(model)), \(NumberText.count(wrong.count)) of \(NumberText.count(wrong.total)) test points ("
                                + NumberText.percent(Double(wrong.count) / Double(wrong.total)) + ") lie in a region of another class.")
            }
        }
        figures.append(lossFigure(context, group))
        findings += lossFindings(group)
        var tables: [Table] = []
        if analysis.selection == .best {
            tables.append(ranking(context, analysis))
            if let run = context.runs[index].first, let classes = ClassAccuracy(run, manifest: context.manifest) {
                tables.append(classes.table(name: context.name("classes"), model: FigureHelpers.mapModel(run, context: context)))
                if let finding = classes.finding() { findings.append(finding) }
            }
        } else {
            findings.append("The ranking of every grid model is in 6.2-q1's table.")
        }
        return SectionContent(figures: figures, tables: tables, findings: findings)
    }

    static func lossFigure(_ context: SectionContext<MLPRun>, _ group: RunGroup<MLPRun>) -> Figure {
        let curves = group.curves
        let splits: [(String, [Estimate])] = [("Train", curves.trainLoss), ("Validation", curves.validationLoss),
                                              ("Test", curves.testLoss)]
        let series = splits.map { name, values -> LineSeries in
            let curve = FigureHelpers.trained(curves.epochs, values)
            return FigureHelpers.line(name, epochs: curve.epochs, values: curve.values, context: context,
                                      stop: FigureHelpers.stopLabel(group))
        }
        let chart = LineChart(id: context.chartID("loss"), title: "Loss per epoch of \(group.label)",
                              x: FigureHelpers.epochAxis(series), y: Axis("Loss", unit: "cross-entropy"), series: series,
                              legendTitle: "Split", showsTitle: false)
        return FigureHelpers.figure(context.name("loss"), caption: "Train, validation and test loss of \(group.label) after each epoch.",
                                    svg: chart.render())
    }

    /// Every grid model, from the highest validation accuracy (at its best epoch) to the lowest.
    static func ranking(_ context: SectionContext<MLPRun>, _ analysis: ModelGridAnalysis) -> Table {
        let rows = analysis.ranking.enumerated().compactMap { rank, label -> [Table.Cell]? in
            guard let index = context.index(label) else { return nil }
            let group = context.groups[index]
            return [.integer(rank + 1), .integer(group.config.depth), .integer(group.config.width),
                    .integer(context.runs[index].first?.parameterCount), .text(group.bestEpoch.map(NumberText.epoch) ?? "–"),
                    .estimate(group.best?.trainAccuracy, decimals: 3), .estimate(group.best?.validationAccuracy, decimals: 3),
                    .estimate(group.best?.testAccuracy, decimals: 3), .estimate(group.final?.validationAccuracy, decimals: 3)]
        }
        return Table(name: context.name("ranking"), caption: "Grid models ranked by validation accuracy",
                     columns: [Table.Column("Rank"), Table.Column("Hidden layers"),
                               Table.Column("Units per layer"), Table.Column("Parameters"), Table.Column("Best epoch"),
                               Table.Column("Train accuracy"), Table.Column("Validation accuracy"), Table.Column("Test accuracy"),
                               Table.Column("Final validation accuracy")],
                     rows: rows,
                     notes: ["Train, validation and test accuracy at each model's best epoch (highest validation accuracy); "
                             + "the last column is after the last epoch."])
    }

    static func bestFindings(_ context: SectionContext<MLPRun>, _ analysis: ModelGridAnalysis, _ group: RunGroup<MLPRun>) -> [String] {
        guard let accuracy = group.best?.validationAccuracy else { return [] }
        var findings = ["Of the \(context.groups.count) grid models, \(group.label) reaches the highest validation accuracy: "
                        + NumberText.estimate(accuracy, 3) + " at its best epoch (" + epochText(group) + ")"
                        + (group.best?.testAccuracy.map { ", where its test accuracy is " + NumberText.estimate($0, 3) } ?? "") + "."]
        if analysis.ranking.count > 1, let second = context.group(analysis.ranking[1]),
           let secondAccuracy = second.best?.validationAccuracy {
            findings.append(Comparison.runnerUp("The runner-up, \(second.label), reaches ", secondAccuracy, accuracy, secondAccuracy,
                                                expected: .higher, tieWith: "the best"))
        }
        if let train = group.best?.trainAccuracy {
            let gap = train.mean - accuracy.mean
            // Named: after the runner-up's sentence, "its" would read as the runner-up's.
            findings.append("At its best epoch, \(group.label)'s training accuracy is " + NumberText.estimate(train, 3)
                            + (abs(gap) < 0.0005 ? ", the same as its validation accuracy to three decimals: it does not overfit."
                               : ", " + NumberText.fixed(abs(gap), 3) + (gap > 0 ? " above" : " below") + " its validation accuracy."))
        }
        return findings
    }

    static func worstFindings(_ context: SectionContext<MLPRun>, _ analysis: ModelGridAnalysis, _ group: RunGroup<MLPRun>) -> [String] {
        guard let accuracy = group.best?.validationAccuracy else { return [] }
        var findings = ["Of the \(context.groups.count) grid models, \(group.label) has the lowest validation accuracy: "
                        + NumberText.estimate(accuracy, 3) + " even at its best epoch (" + epochText(group) + ")"
                        + (group.best?.testAccuracy.map { ", with a test accuracy of " + NumberText.estimate($0, 3) } ?? "") + "."]
        if analysis.ranking.count > 1, let other = context.group(analysis.ranking[analysis.ranking.count - 2]),
           let otherAccuracy = other.best?.validationAccuracy {
            findings.append(Comparison.runnerUp("The next weakest, \(other.label), reaches ", otherAccuracy, otherAccuracy, accuracy,
                                                expected: .higher, tieWith: "the worst"))
        }
        if let top = context.group(analysis.ranking.first), top.label != group.label,
           let topAccuracy = top.best?.validationAccuracy {
            if Comparison(topAccuracy, accuracy) == .higher {
                findings.append("It trails the best model, \(top.label), by " + NumberText.fixed(topAccuracy.mean - accuracy.mean, 3)
                                + " in validation accuracy" + Comparison.intervalClause(topAccuracy, accuracy) + ".")
            } else {
                findings.append("Its validation accuracy is " + Comparison.tieClause(accuracy, topAccuracy, with: "the best model's")
                                + ": the grid's models cannot be told apart at this number of seeds.")
            }
        }
        let parameters = context.runs.compactMap { $0.first?.parameterCount }
        if let index = context.index(group.label), let count = context.runs[index].first?.parameterCount,
           let smallest = parameters.min(), let largest = parameters.max(), smallest != largest {
            if count == smallest {
                findings.append("With \(NumberText.count(count)) parameters it is the smallest model of the grid.")
            } else if count == largest {
                findings.append("With \(NumberText.count(count)) parameters it is the largest model of the grid.")
            }
        }
        return findings
    }

    /// Where the validation loss is lowest and where it ends.
    static func lossFindings(_ group: RunGroup<MLPRun>) -> [String] {
        let losses = FigureHelpers.trained(group.curves.epochs, group.curves.validationLoss)
        guard let lowest = losses.values.indices.min(by: { losses.values[$0].mean < losses.values[$1].mean }),
              let final = losses.values.last, let lastEpoch = losses.epochs.last else { return [] }
        let low = losses.values[lowest].mean
        let its = "Its " + FigureHelpers.curveName(group, "validation loss")
        if final.mean > low * 1.05, let index = group.curves.epochs.firstIndex(of: losses.epochs[lowest]) {
            return [its + " is lowest at epoch \(losses.epochs[lowest]) (" + NumberText.fixed(low, 3) + ") and ends "
                    + NumberText.percent((final.mean - low) / low) + " higher at epoch \(lastEpoch)"
                    + LossTrend.trainingClause(group, from: index) + "."]
        }
        if lowest == losses.values.count - 1 {
            return [its + " is lowest after the last epoch, \(lastEpoch) (" + NumberText.fixed(final.mean, 3)
                    + "): it was still falling when training stopped."]
        }
        return [its + " ends at " + NumberText.fixed(final.mean, 3) + " after epoch \(lastEpoch), within 5% of its lowest value."]
    }

    /// `epoch 37 of 50`.
    static func epochText(_ group: RunGroup<MLPRun>) -> String {
        "epoch " + (group.bestEpoch.map(NumberText.epoch) ?? "n/a") + " of \(group.config.epochs)"
    }
}
