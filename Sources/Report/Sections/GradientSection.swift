import Foundation
import Charts
import Study

/// 6.2-q5 (gradient magnitudes of a 100-layer net) and 6.2-q6 (the same net with
/// batch norm and/or residual connections).
enum GradientSection {
    static let note = "Magnitude: mean over an epoch's iterations of the squared L2 norm of the layer's weight gradient; "
        + "bias gradients are excluded. Exact zeros are drawn on the 0 row. " + NumberText.magnitudeCentreNote

    static func content(_ context: SectionContext<MLPRun>, _ analysis: GradientAnalysis) -> SectionContent {
        let domain = sharedDomain(analysis.profiles)
        if analysis.profiles.count == 1, let profile = analysis.profiles.first {
            return SectionContent(figures: [figure(context, profile, domain: nil, wide: true), layerFigure(context, analysis)],
                                  tables: [epochTable(context, profile)], findings: profileFindings(context, profile),
                                  compares: false)
        }
        let figures = analysis.profiles.map { figure(context, $0, domain: domain, wide: false) } + [layerFigure(context, analysis)]
        return SectionContent(figures: figures, tables: [cureTable(context, analysis)], findings: cureFindings(context, analysis))
    }

    static func figure(_ context: SectionContext<MLPRun>, _ profile: GradientAnalysis.Profile, domain: ClosedRange<Double>?,
                       wide: Bool) -> Figure {
        let epochs = profile.magnitudes.indices.map { $0 + 1 }
        let series = profile.layers.enumerated().map { column, layer -> LineSeries in
            let values = profile.magnitudes.map { $0[column] }
            var line = LineSeries(name: "Layer \(layer)", x: epochs.map(Double.init), y: values.map(NumberText.magnitudeCentre))
            // Magnitudes span orders of magnitude between seeds: a t-interval would reach below zero on a log axis.
            if context.hasSeeds {
                line.band = Band(lower: values.map { $0.values.min() ?? $0.mean }, upper: values.map { $0.values.max() ?? $0.mean },
                                 label: "range over \(context.seedCount) seeds")
            }
            return line
        }
        let suffix = wide ? "gradients" : "gradients-" + Anchor.make(profile.label)
        let chart = LineChart(id: context.chartID(suffix), title: "Gradient magnitude per hidden layer: \(profile.label)",
                              x: FigureHelpers.epochAxis(series),
                              y: Axis("Squared gradient norm", scale: .logarithmic, domain: domain),
                              series: series, legendTitle: "Hidden layer", legend: wide ? .automatic : .bottom,
                              width: wide ? 720 : 480, height: wide ? 420 : 340, showsTitle: false)
        let caption = wide
            ? "Gradient magnitude of hidden layers \(profile.layers.map(String.init).joined(separator: ", ")) after each epoch "
                + "(logarithmic scale). " + note
            : "\(profile.label.prefix(1).uppercased() + profile.label.dropFirst()): gradient magnitude per epoch "
                + "(same logarithmic scale in all four charts)."
        return FigureHelpers.figure(context.name(suffix), caption: caption, svg: chart.render(), wide: wide)
    }

    /// The last epoch's gradient magnitude of every hidden layer, one line per variant:
    /// where along the depth the gradient dies out (or blows up), beside the six layers
    /// of the per-epoch charts.
    static func layerFigure(_ context: SectionContext<MLPRun>, _ analysis: GradientAnalysis) -> Figure {
        let series = analysis.profiles.map { profile in
            LineSeries(name: profile.label, x: profile.lastEpochLayers.indices.map(Double.init),
                       y: profile.lastEpochLayers.map(NumberText.magnitudeCentre), marker: .none)
        }
        let epoch = analysis.profiles.first?.magnitudes.count ?? 0
        let chart = LineChart(id: context.chartID("layers"), title: "Gradient magnitude of every hidden layer after epoch \(epoch)",
                              x: Axis("Hidden layer"), y: Axis("Squared gradient norm", scale: .logarithmic), series: series,
                              legendTitle: analysis.profiles.count > 1 ? "Variant" : nil, legend: .bottom,
                              width: 720, height: 360, showsTitle: false)
        let seeds = context.hasSeeds ? " Each line is the mean over \(context.seedCount) seeds." : ""
        return FigureHelpers.figure(context.name("layers"),
                                    caption: "Gradient magnitude of each of the \(analysis.profiles.first?.lastEpochLayers.count ?? 0) "
                                        + "hidden layers after the last epoch (epoch \(epoch)), input side on the left (logarithmic "
                                        + "scale). " + note + seeds, svg: chart.render())
    }

    /// The lowest positive and the highest value over every profile, for a shared y axis.
    static func sharedDomain(_ profiles: [GradientAnalysis.Profile]) -> ClosedRange<Double>? {
        let values = profiles.flatMap { $0.magnitudes.flatMap { $0.flatMap(\.values) } }
            .filter { $0 > 0 && $0.isFinite }
        guard let low = values.min(), let high = values.max(), high > low else { return nil }
        return low...high
    }

    static func epochTable(_ context: SectionContext<MLPRun>, _ profile: GradientAnalysis.Profile) -> Table {
        let epochs = profile.magnitudes.indices
        let rows = profile.layers.enumerated().map { column, layer -> [Table.Cell] in
            [.integer(layer)] + epochs.map { .scientificEstimate(profile.magnitudes[$0][column]) }
        }
        return Table(name: context.name("magnitudes"), caption: "Gradient magnitude per hidden layer and epoch",
                     columns: [Table.Column("Hidden layer")] + epochs.map { Table.Column("Epoch \($0 + 1)") },
                     rows: rows, notes: [note])
    }

    static func cureTable(_ context: SectionContext<MLPRun>, _ analysis: GradientAnalysis) -> Table {
        let rows = zip(analysis.profiles, context.groups).map { profile, group -> [Table.Cell] in
            let last = profile.magnitudes.last
            return [.text(profile.label), .scientificEstimate(last?.first), .scientificEstimate(last?.last),
                    .scientificEstimate(profile.firstToLastRatio), .text(zeroList(profile)),
                    .scientificEstimate(profile.initialLoss), .scientificEstimate(profile.finalLoss),
                    .estimate(profile.bestValidationAccuracy, decimals: 3),
                    .text(OutcomeText.short(profile.behaviours, group: group))]
        }
        let layers = analysis.profiles.first?.layers ?? []
        let first = layers.first.map { "Layer \($0)" } ?? "First layer"
        let last = layers.last.map { "Layer \($0)" } ?? "Last layer"
        return Table(name: context.name("cures"), caption: "Gradient magnitudes after the last epoch, losses and outcome of each variant",
                     columns: [Table.Column("Variant", numeric: false), Table.Column(first), Table.Column(last),
                               Table.Column("\(first) ÷ \(last)"), Table.Column("Plotted layers at zero in every epoch", numeric: false),
                               Table.Column("Validation loss at epoch 0"), Table.Column("Final validation loss"),
                               Table.Column("Best validation accuracy"), Table.Column("Outcome", numeric: false)],
                     rows: rows,
                     notes: [note, "Best validation accuracy: at the epoch of highest validation accuracy. " + OutcomeText.note]
                         + (untrainedNormalisation(analysis, context) ? [OutcomeText.batchNormAtEpochZero] : []))
    }

    /// Whether a batch-norm variant's epoch-0 loss is far above a guess: the initial
    /// running statistics at work, which the table then explains.
    static func untrainedNormalisation(_ analysis: GradientAnalysis, _ context: SectionContext<MLPRun>) -> Bool {
        let limit = TrainingBehaviour.explosionFactor * log(Double(max(context.manifest.classNames.count, 2)))
        return zip(analysis.profiles, context.groups).contains { profile, group in
            group.config.batchNorm && (profile.initialLoss?.mean ?? 0) > limit
        }
    }

    static func zeroList(_ profile: GradientAnalysis.Profile) -> String {
        profile.zeroLayers.isEmpty ? "none" : profile.zeroLayers.map(String.init).joined(separator: ", ")
    }

    /// `1.2×10⁻¹²`, with the range over seeds when there are several.
    static func ratioText(_ ratio: Estimate) -> String {
        NumberText.magnitude(ratio)
    }

    static func profileFindings(_ context: SectionContext<MLPRun>, _ profile: GradientAnalysis.Profile) -> [String] {
        var findings: [String] = []
        guard let first = profile.layers.first, let last = profile.layers.last, let final = profile.magnitudes.last else {
            return findings
        }
        let epoch = profile.magnitudes.count
        if let ratio = profile.firstToLastRatio, ratio.values.allSatisfy({ $0 == 0 }) {
            findings.append("After epoch \(epoch), the gradient of hidden layer \(first) is exactly zero, while that of layer \(last) is "
                            + NumberText.magnitude(final[final.count - 1]) + ".")
        } else if let ratio = profile.firstToLastRatio {
            findings.append("After epoch \(epoch), the gradient magnitude of hidden layer \(first) is " + ratioText(ratio)
                            + " times that of layer \(last) (" + NumberText.magnitude(final[0]) + " against "
                            + NumberText.magnitude(final[final.count - 1]) + ").")
        } else {
            findings.append("After epoch \(epoch), the gradient of layer \(last) is exactly zero, so the first layer's cannot be "
                            + "expressed as a multiple of it.")
        }
        if profile.zeroLayers.isEmpty {
            findings.append("No plotted layer has an exactly zero gradient in every epoch.")
        } else {
            let list = profile.zeroLayers.map(String.init)
            findings.append("Of the plotted layers, hidden layer\(list.count == 1 ? "" : "s") " + NumberText.list(list) + " get"
                            + (list.count == 1 ? "s" : "") + " a weight gradient of exactly zero in every epoch: "
                            + "no training signal reaches \(list.count == 1 ? "it" : "them").")
        }
        // The plotted layers are a sample: count every layer after the last epoch.
        let zeroAtEnd = profile.lastEpochLayers.indices.filter { profile.lastEpochLayers[$0].values.allSatisfy { $0 == 0 } }
        if zeroAtEnd.count > profile.zeroLayers.count, let low = zeroAtEnd.first, let high = zeroAtEnd.last {
            let which = high - low + 1 == zeroAtEnd.count ? " (layers \(low) to \(high))" : ""
            findings.append("After epoch \(epoch), \(zeroAtEnd.count) of the \(profile.lastEpochLayers.count) hidden layers"
                            + which + " have a weight gradient of exactly zero"
                            + (context.hasSeeds ? " in every seed" : "") + ".")
        }
        if let accuracy = profile.bestValidationAccuracy {
            var sentence = "At its best epoch the net reaches a validation accuracy of " + NumberText.estimate(accuracy, 3)
            if let share = context.majorityShare {
                sentence += "; always answering the most common class would score " + NumberText.fixed(share, 3)
                if accuracy.mean <= share + 0.01 { sentence += ", so the net has learned next to nothing" }
            }
            if profile.behaviours.contains(where: { $0.collapsedClass != nil }) {
                sentence += "; it predicts one class for every test point"
            }
            findings.append(sentence + ".")
        }
        return findings
    }

    static func cureFindings(_ context: SectionContext<MLPRun>, _ analysis: GradientAnalysis) -> [String] {
        guard let plain = analysis.profiles.first else { return [] }
        var findings: [String] = []
        let layers = plain.layers
        let ratioName = "layer \(layers.first ?? 0) to layer \(layers.last ?? 0) gradient ratio"
        let plainRatio = plain.firstToLastRatio.map { ratio in
            ratio.values.allSatisfy { $0 == 0 } ? "0, no gradient reaching layer \(layers.first ?? 0)" : ratioText(ratio)
        } ?? "undefined, the last layer's gradient being zero"
        for (cure, group) in zip(analysis.profiles, context.groups).dropFirst() {
            let ratio = cure.firstToLastRatio.map(ratioText) ?? "undefined, the last layer's gradient being zero"
            var sentence = "With \(cure.label), the \(ratioName) becomes \(ratio) (plain net, as in 6.2-q5: \(plainRatio))"
            if !cure.zeroLayers.isEmpty { sentence += ", and layers " + NumberText.list(cure.zeroLayers.map(String.init)) + " still get no gradient" }
            if let accuracy = cure.bestValidationAccuracy, let before = plain.bestValidationAccuracy {
                sentence += "; the best validation accuracy "
                switch Comparison(accuracy, before) {
                case .higher: sentence += "rises from " + NumberText.estimate(before, 3) + " to " + NumberText.estimate(accuracy, 3)
                    + Comparison.intervalClause(accuracy, before)
                case .lower: sentence += "falls from " + NumberText.estimate(before, 3) + " to " + NumberText.estimate(accuracy, 3)
                    + Comparison.intervalClause(accuracy, before)
                case .indistinguishable: sentence += "is " + NumberText.estimate(accuracy, 3) + " against " + NumberText.estimate(before, 3)
                    + ", " + Comparison.tieReason(accuracy, before)
                }
            }
            findings.append(sentence + ".")
            if let explosion = OutcomeText.explosion(cure, group: group, classCount: context.manifest.classNames.count) {
                findings.append(explosion)
            }
        }
        // A cure can overshoot: gradients that grow by orders of magnitude instead of vanishing.
        // Compared by the centre the tables show (the geometric mean over seeds).
        let centre = NumberText.magnitudeCentre
        let plainLargest = plain.magnitudes.last?.map(centre).max() ?? 0
        for cure in analysis.profiles.dropFirst() {
            guard let last = cure.magnitudes.last, let largest = last.max(by: { centre($0) < centre($1) }),
                  centre(largest) > max(plainLargest, 1e-12) * 1e6 else { continue }
            let layer = cure.layers[last.firstIndex(of: largest) ?? 0]
            findings.append("With \(cure.label), gradients explode instead of vanishing: after the last epoch, layer \(layer)'s "
                            + "squared gradient norm is " + NumberText.magnitude(largest) + ", against at most "
                            + NumberText.scientific(plainLargest) + " in any layer of the plain net.")
        }
        let cures = analysis.profiles.dropFirst().filter { $0.bestValidationAccuracy != nil && $0.behaviours.allSatisfy(\.isNormal) }
            .sorted { $0.bestValidationAccuracy!.mean > $1.bestValidationAccuracy!.mean }
        if cures.count == 1, let only = cures.first, let accuracy = only.bestValidationAccuracy {
            findings.append("Of the \(analysis.profiles.count - 1) cures, only \(only.label) trained normally, at a best validation "
                            + "accuracy of " + NumberText.estimate(accuracy, 3) + ".")
        } else if let top = cures.first, let accuracy = top.bestValidationAccuracy {
            var sentence = "Among the variants that trained normally, the most effective cure here is \(top.label), at a best "
                + "validation accuracy of " + NumberText.estimate(accuracy, 3)
            if cures.count > 1, let next = cures[1].bestValidationAccuracy, Comparison(accuracy, next) == .indistinguishable {
                sentence += ", though \(cures[1].label) (" + NumberText.estimate(next, 3) + ") is "
                    + Comparison.tieClause(next, accuracy, with: "it")
            }
            findings.append(sentence + ".")
        }
        return findings
    }
}
