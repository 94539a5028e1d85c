import Charts
import Foundation
import Study

/// Lines, bands and maps from results, shared by the sections' figures.
enum FigureHelpers {
    /// A line over epochs from per-epoch estimates: the mean, with a band of the 95%
    /// interval when there are several seeds, ending with `stop` when the run stopped early.
    static func line<Spec>(_ name: String, epochs: [Int], values: [Estimate], context: SectionContext<Spec>,
                     stop: String? = nil, colorSlot: Int? = nil, marks: [PointMark] = []) -> LineSeries {
        let x = epochs.map(Double.init)
        var series = LineSeries(name: name, x: x, y: values.map(\.mean), colorSlot: colorSlot, marks: marks,
                                stopLabel: stop)
        if context.hasSeeds {
            // Every curve drawn here (a loss, an accuracy, a gradient magnitude) is at least 0; a
            // t-interval of three seeds that spread widely can reach below it, which no value can.
            let nonNegative = values.allSatisfy { $0.values.allSatisfy { $0 >= 0 } }
            series.band = Band(lower: values.map(\.low), upper: values.map(\.high), label: context.bandLabel,
                               floor: nonNegative ? 0 : nil)
        }
        return series
    }

    /// Epochs 1 onwards of a curve (epoch 0 is the untrained net, which log axes of
    /// losses do not need and accuracy curves start from anyway).
    static func trained(_ epochs: [Int], _ values: [Estimate]) -> (epochs: [Int], values: [Estimate]) {
        let pairs = zip(epochs, values).filter { $0.0 >= 1 }
        return (pairs.map(\.0), pairs.map(\.1))
    }

    /// Each seed's own curve over epochs 1 onwards (`trained`), as `(epoch, value)`
    /// points in seed order: what a claim about a curve's shape reads when the mean
    /// curve could show what no seed does.
    static func seedCurves(_ epochs: [Int], _ values: [Estimate]) -> [[(epoch: Int, value: Double)]] {
        let curve = trained(epochs, values)
        let seeds = curve.values.map(\.count).max() ?? 0
        return (0..<seeds).map { seed in
            zip(curve.epochs, curve.values).compactMap { epoch, estimate in
                seed < estimate.count ? (epoch, estimate.values[seed]) : nil
            }
        }
    }

    /// How a sentence names a curve it reads: `validation loss` for one seed, `mean
    /// validation loss over the 3 seeds` for several, since the figure draws their mean.
    static func curveName<Spec>(_ group: RunGroup<Spec>, _ quantity: String) -> String {
        group.seeds.count > 1 ? "mean \(quantity) over the \(group.seeds.count) seeds" : quantity
    }

    /// The stop label of a group whose every seed diverged (its curve ends there), else nil.
    static func stopLabel<Spec>(_ group: RunGroup<Spec>) -> String? {
        guard group.diverged, group.divergences.count == group.seeds.count else { return nil }
        return DivergenceText.short(group)
    }

    /// The legend name of a group, noting seeds that diverged when others did not.
    static func legendName<Spec>(_ group: RunGroup<Spec>) -> String {
        guard group.diverged, group.divergences.count < group.seeds.count else { return group.label }
        return "\(group.label) (\(group.divergences.count) of \(group.seeds.count) seeds diverged)"
    }

    /// The epoch axis of `series`, spanning exactly their epochs (not rounded out to
    /// the next tick, so a 50-epoch run does not end at 60).
    static func epochAxis(_ series: [LineSeries]) -> Axis {
        let epochs = series.flatMap(\.x).filter(\.isFinite)
        guard let low = epochs.min(), let high = epochs.max(), high > low else { return Axis("Epoch") }
        return Axis("Epoch", domain: low...high)
    }

    /// The smallest span of an accuracy axis: a spread of a few thousandths,
    /// often within one run's epoch-to-epoch noise, is drawn as what it is
    /// instead of filling the plot.
    static let accuracyAxisSpan = 0.05

    /// A linear accuracy axis spanning at least ``accuracyAxisSpan``, within 0...1.
    static func accuracyAxis(_ title: String) -> Axis {
        Axis(title, minimumSpan: accuracyAxisSpan, limits: 0...1)
    }

    /// The training loss of every iteration of `group` as a smoothed line (the raw values
    /// drawn faintly), ending where every seed diverged.
    static func iterationLine<Spec>(_ group: RunGroup<Spec>, losses: [Float], marks: [PointMark] = []) -> LineSeries {
        let values = losses.map(Double.init)
        var line = LineSeries(name: group.label, x: values.indices.map { Double($0 + 1) }, y: values, marks: marks,
                              stopLabel: stopLabel(group))
        line.smoothing = BatchSizeSection.smoothingWeight(iterations: values.count)
        return line
    }

    /// The half-width figure of training losses per iteration (logarithmic loss axis).
    static func iterationLossFigure<Spec>(_ context: SectionContext<Spec>, series: [LineSeries], x: Axis, lossUnit: String,
                                          legendTitle: String, caption: String) -> Figure {
        let chart = LineChart(id: context.chartID("iteration-loss"), title: "Training loss per iteration",
                              x: x, y: Axis("Training batch loss", unit: lossUnit, scale: .logarithmic),
                              series: series, legendTitle: legendTitle, legend: .bottom, width: 480, height: 360,
                              showsTitle: false)
        return figure(context.name("iteration-loss"), caption: caption, svg: chart.render(), wide: false)
    }

    /// A chart as a page figure.
    static func figure(_ name: String, caption: String, svg: String, wide: Bool = true) -> Figure {
        Figure(name: name, caption: caption, svg: svg, wide: wide)
    }

    /// The decision map of `run` over the test points of the manifest, or nil when the
    /// run stored no grid (it diverged).
    static func decisionMap(_ run: RunResult<MLPRun>, context: SectionContext<MLPRun>, suffix: String, title: String,
                            mapWidth: Double = 600) -> DecisionMap? {
        guard let grid = run.decisionGrid, grid.resolution > 0 else { return nil }
        let manifest = context.manifest
        let classGrid = ClassGrid(columns: grid.resolution, rows: grid.resolution, classes: grid.classes.map(Int.init),
                                  xRange: grid.longitude, yRange: grid.latitude)
        let coordinates = manifest.testCoordinates
        let labels = [UInt8](manifest.testLabels)
        let predictions = run.testPredictions.map { [UInt8]($0) }
        let points = coordinates.indices.compactMap { index -> LabeledPoint? in
            guard index < labels.count else { return nil }
            let predicted = predictions.flatMap { index < $0.count ? Int($0[index]) : nil }
            return LabeledPoint(x: coordinates[index].0, y: coordinates[index].1, trueClass: Int(labels[index]),
                                predictedClass: predicted)
        }
        let middle = (grid.latitude.lowerBound + grid.latitude.upperBound) / 2
        // A degree of longitude is cos(latitude) as long as a degree of latitude.
        let aspect = 1 / max(cos(middle * Double.pi / 180), 0.2)
        return DecisionMap(id: context.chartID(suffix), title: title, grid: classGrid, classNames: manifest.classNames,
                           points: points, pointsName: "test points", aspectRatio: aspect, mapWidth: mapWidth,
                           showsTitle: false)
    }

    /// Which model a run's map shows: `its best epoch, 30 of 50` (`, seed 1` when the
    /// section has several seeds). Maps and their test predictions are those of the
    /// best epoch (highest validation accuracy), the epoch the tables read.
    static func mapModel(_ run: RunResult<MLPRun>, context: SectionContext<MLPRun>) -> String {
        let epochs = run.history.epochs.last?.epoch ?? run.config.epochs
        return "its best epoch, \(run.bestEpoch) of \(epochs)" + (context.hasSeeds ? ", seed \(run.config.seed)" : "")
    }

    /// The misclassified share of the test points in a run's stored predictions.
    static func misclassified(_ run: RunResult<MLPRun>, manifest: MapRecord) -> (count: Int, total: Int)? {
        guard let predictions = run.testPredictions else { return nil }
        let labels = [UInt8](manifest.testLabels)
        let predicted = [UInt8](predictions)
        guard !labels.isEmpty, labels.count == predicted.count else { return nil }
        return (zip(labels, predicted).filter { $0 != $1 }.count, labels.count)
    }
}

/// How a divergence is written, in every section of both parts.
enum DivergenceText {
    /// `diverged at epoch 3, iteration 812`, or for several seeds
    /// `diverged in 2 of 3 seeds, first at epoch 3, iteration 812`.
    static func short<Spec>(_ group: RunGroup<Spec>) -> String {
        guard let first = group.divergences.min(by: { $0.iteration < $1.iteration }) else { return "trained" }
        let place = "epoch \(first.epoch), iteration \(NumberText.count(first.iteration))"
        if group.seeds.count == 1 { return "diverged at " + place }
        return "diverged in \(group.divergences.count) of \(group.seeds.count) seeds, first at " + place
    }

    /// A sentence: `With lr 1, training diverged: the training loss became infinite or NaN during epoch 3 (iteration 812), …`
    static func sentence<Spec>(_ group: RunGroup<Spec>) -> String {
        guard let first = group.divergences.min(by: { $0.iteration < $1.iteration }) else { return "" }
        let place = "during epoch \(first.epoch) (iteration \(NumberText.count(first.iteration)))"
        if group.seeds.count == 1 {
            return "With \(group.label), training diverged: the \(first.quantity) became infinite or NaN \(place), "
                + "and training stopped there."
        }
        return "With \(group.label), training diverged in \(group.divergences.count) of \(group.seeds.count) seeds; the first time, "
            + "the \(first.quantity) became infinite or NaN \(place)."
    }
}
