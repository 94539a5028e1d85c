import Charts
import Study

/// 6.2-q3 and q4: accuracy against depth (width 16) and against width (depth 6).
enum SweepSection {
    static func content(_ context: SectionContext<MLPRun>, _ analysis: ModelGridAnalysis) -> SectionContent {
        let depth = analysis.selection == .depth
        // Ascending by the swept value.
        let order = context.groups.indices.sorted { value(context.groups[$0], depth) < value(context.groups[$1], depth) }
        return SectionContent(figures: [figure(context, order, depth: depth)], tables: [table(context, order, depth: depth)],
                              findings: findings(context, order, depth: depth))
    }

    static func value(_ group: RunGroup<MLPRun>, _ depth: Bool) -> Int { depth ? group.config.depth : group.config.width }

    static func noun(_ value: Int, _ depth: Bool) -> String {
        depth ? "\(value) hidden layer\(value == 1 ? "" : "s")" : "\(value) units"
    }

    static func figure(_ context: SectionContext<MLPRun>, _ order: [Int], depth: Bool) -> Figure {
        let groups = order.map { context.groups[$0] }
        let values = groups.map { value($0, depth) }
        // Depth is drawn on a numeric axis (1, 2, 6, 10 are unevenly spaced); widths double, so categories.
        let x = depth ? values.map(Double.init) : values.indices.map(Double.init)
        let splits: [(String, (MLPAggregate.SplitEstimates) -> Estimate?)] = [
            ("Train", \.trainAccuracy), ("Validation", \.validationAccuracy), ("Test", \.testAccuracy),
        ]
        let series = splits.map { name, metric -> LineSeries in
            let estimates = groups.map { $0.best.flatMap(metric) }
            var line = LineSeries(name: name, x: x, y: estimates.map { $0?.mean ?? .nan })
            if context.hasSeeds {
                line.band = Band(lower: estimates.map { $0?.low ?? .nan }, upper: estimates.map { $0?.high ?? .nan },
                                 label: context.bandLabel)
            }
            return line
        }
        let fixed = depth ? "width \(groups.first?.config.width ?? 0)" : "\(groups.first?.config.depth ?? 0) hidden layers"
        let xAxis = depth ? Axis("Hidden layers") : Axis("Units per hidden layer", scale: .categorical(values.map(String.init)))
        let chart = LineChart(id: context.chartID("accuracy"), title: "Accuracy against \(depth ? "depth" : "width") (\(fixed))",
                              x: xAxis, y: FigureHelpers.accuracyAxis("Accuracy at the best epoch"), series: series, legendTitle: "Split",
                              width: 560, height: 360, showsTitle: false)
        return FigureHelpers.figure(context.name("accuracy"),
                                    caption: "Train, validation and test accuracy at each model's best epoch against "
                                        + (depth ? "the number of hidden layers" : "the units per hidden layer") + " (\(fixed)).",
                                    svg: chart.render())
    }

    static func table(_ context: SectionContext<MLPRun>, _ order: [Int], depth: Bool) -> Table {
        let rows = order.map { index -> [Table.Cell] in
            let group = context.groups[index]
            let gap = group.best.flatMap { best in
                best.trainAccuracy.flatMap { train in best.validationAccuracy.map { train.mean - $0.mean } }
            }
            return [.integer(value(group, depth)), .integer(context.runs[index].first?.parameterCount),
                    .estimate(group.best?.trainAccuracy, decimals: 3), .estimate(group.best?.validationAccuracy, decimals: 3),
                    .estimate(group.best?.testAccuracy, decimals: 3), .number(gap, decimals: 3),
                    .text(group.bestEpoch.map(NumberText.epoch) ?? "–")]
        }
        return Table(name: context.name("accuracy"), caption: "Accuracy against \(depth ? "depth" : "width")",
                     columns: [Table.Column(depth ? "Hidden layers" : "Units per layer"), Table.Column("Parameters"),
                               Table.Column("Train accuracy"), Table.Column("Validation accuracy"), Table.Column("Test accuracy"),
                               Table.Column("Train − validation"), Table.Column("Best epoch")],
                     rows: rows, notes: ["At each model's best epoch (highest validation accuracy)."])
    }

    /// Validation accuracy moves one way where it moves measurably, but not at every
    /// step: from the first setting to the one with the highest (lowest) mean, then how
    /// the last setting compares with that one, since a mean can turn back by an amount
    /// no step measures ("rises to 0.959 with 6 layers; 10 layers' 0.954 cannot be told from it").
    static func partialTrend(_ points: [(Int, Estimate)], rising: Bool, what: String, depth: Bool) -> String {
        let means = points.map(\.1.mean)
        let extreme = rising ? means.indices.max { means[$0] < means[$1] }! : means.indices.min { means[$0] < means[$1] }!
        let (first, top, last) = (points[0], points[extreme], points[points.count - 1])
        let verb = rising ? "rises" : "falls"
        var sentence = "Validation accuracy \(verb) with \(what), from " + NumberText.estimate(first.1, 3) + " with " + noun(first.0, depth)
            + " to " + NumberText.estimate(top.1, 3) + " with " + noun(top.0, depth)
        if extreme == points.count - 1 {
            return sentence + ", though not by a measurable amount at every step."
        }
        sentence += ", its \(rising ? "highest" : "lowest") mean"
        switch Comparison(last.1, top.1) {
        case .indistinguishable:
            sentence += "; " + noun(last.0, depth) + " (" + NumberText.estimate(last.1, 3) + ") cannot be told from it ("
                + Comparison.tieReason(last.1, top.1) + ")"
        case .higher, .lower:
            sentence += "; " + noun(last.0, depth) + " (" + NumberText.estimate(last.1, 3) + ") is measurably "
                + (rising ? "below" : "above") + " it" + Comparison.intervalClause(last.1, top.1)
        }
        return sentence + "."
    }

    static func findings(_ context: SectionContext<MLPRun>, _ order: [Int], depth: Bool) -> [String] {
        let groups = order.map { context.groups[$0] }
        let points = groups.compactMap { group in group.best?.validationAccuracy.map { (value(group, depth), $0) } }
        guard points.count >= 2, let first = points.first, let last = points.last else { return [] }
        var findings: [String] = []
        let what = depth ? "depth" : "width"
        let steps = zip(points, points.dropFirst()).map { Comparison($1.1, $0.1) }
        let means = points.map(\.1.mean)
        findings.append("Validation accuracy at the best epoch, by \(what): "
                        + points.map { NumberText.estimate($0.1, 3) + " (" + noun($0.0, depth) + ")" }.joined(separator: ", ") + ".")
        let range = "from " + NumberText.estimate(first.1, 3) + " with " + noun(first.0, depth) + " to "
            + NumberText.estimate(last.1, 3) + " with " + noun(last.0, depth)
        if steps.allSatisfy({ $0 == .higher }) {
            findings.append("Validation accuracy rises with every step in \(what): \(range).")
        } else if steps.allSatisfy({ $0 == .lower }) {
            findings.append("Validation accuracy falls with every step in \(what): \(range).")
        } else if steps.contains(.higher) && !steps.contains(.lower) {
            findings.append(partialTrend(points, rising: true, what: what, depth: depth))
        } else if steps.contains(.lower) && !steps.contains(.higher) {
            findings.append(partialTrend(points, rising: false, what: what, depth: depth))
        } else if steps.contains(.higher), steps.contains(.lower), let peak = points.indices.max(by: { means[$0] < means[$1] }) {
            if peak > 0, peak < points.count - 1, steps[peak - 1] == .higher, steps[peak] == .lower {
                findings.append("Validation accuracy peaks at " + noun(points[peak].0, depth) + " and is lower on both sides of it.")
            } else {
                findings.append("Validation accuracy rises at some steps in \(what) and falls at others; it is highest with "
                                + noun(points[peak].0, depth) + ".")
            }
        }
        let measurable = context.hasSeeds || points.allSatisfy { $0.1.noise != nil }
        if measurable {
            let flat = zip(points, zip(points.dropFirst(), steps)).filter { $0.1.1 == .indistinguishable }
                .map { "\($0.0.0) to \($0.1.0.0)" }
            let rule = context.hasSeeds ? "the 95% intervals of the \(context.seedCount) seeds" : "the runs' epoch-to-epoch noise"
            if flat.isEmpty {
                findings.append("Every step changes validation accuracy beyond \(rule).")
            } else {
                findings.append("The step\(flat.count == 1 ? "" : "s") from " + flat.joined(separator: ", ") + (depth ? " layers" : " units")
                                + " change\(flat.count == 1 ? "s" : "") validation accuracy by less than \(rule): "
                                + "no difference can be claimed there.")
            }
        }
        let gaps = groups.compactMap { group -> (Int, Double)? in
            guard let train = group.best?.trainAccuracy, let validation = group.best?.validationAccuracy else { return nil }
            return (value(group, depth), train.mean - validation.mean)
        }
        if let smallest = gaps.first, let largest = gaps.last, gaps.count >= 2 {
            let trend = largest.1 > smallest.1 + 0.005 ? "widens" : largest.1 < smallest.1 - 0.005 ? "narrows" : "stays about the same"
            findings.append("The gap between training and validation accuracy \(trend): " + NumberText.signed(smallest.1, 3)
                            + " with " + noun(smallest.0, depth) + ", " + NumberText.signed(largest.1, 3) + " with "
                            + noun(largest.0, depth) + ".")
        }
        let parameters = order.compactMap { context.runs[$0].first?.parameterCount }
        if let fewest = parameters.first, let most = parameters.last, fewest != most {
            findings.append("The number of parameters grows from \(NumberText.count(fewest)) to \(NumberText.count(most)).")
        }
        let differences = groups.compactMap { group -> Double? in
            guard let test = group.best?.testAccuracy, let validation = group.best?.validationAccuracy else { return nil }
            return abs(test.mean - validation.mean)
        }
        if let largest = differences.max() {
            findings.append(largest <= 0.02
                ? "Test accuracy stays within " + NumberText.fixed(largest, 3) + " of validation accuracy for every model: "
                    + "the ranking on validation data carries over to unseen test data."
                : "Test accuracy differs from validation accuracy by up to " + NumberText.fixed(largest, 3) + ".")
        }
        return findings
    }
}
