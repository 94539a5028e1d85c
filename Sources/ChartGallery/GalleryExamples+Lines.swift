import Charts
import Foundation

/// Built-in example line charts for the gallery: made-up numbers shaped like
/// the study's, deterministic from fixed seeds.
extension GalleryExamples {
    /// Validation loss per epoch for four learning rates, log y; the largest
    /// rate diverges at epoch 4 (its values turn NaN).
    static func learningRates() -> LineChart {
        var random = ExampleRandom(seed: 612)
        let epochs = (1...50).map(Double.init)
        func curve(floor: Double, start: Double, speed: Double, noise: Double) -> [Double] {
            epochs.map { e in floor + (start - floor) * exp(-e / speed) * (1 + noise * random.normal()) }
        }
        var diverging = [3.6, 48, 2.9e3]
        diverging += Array(repeating: Double.nan, count: epochs.count - diverging.count)
        let series = [
            LineSeries(name: "1", x: epochs, y: diverging),
            LineSeries(name: "0.01", x: epochs, y: curve(floor: 0.42, start: 2.1, speed: 2.5, noise: 0.25)),
            LineSeries(name: "0.001", x: epochs, y: curve(floor: 0.31, start: 2.9, speed: 7, noise: 0.05)),
            LineSeries(name: "0.00001", x: epochs, y: epochs.map { 3.45 - 0.004 * $0 }),
        ]
        return LineChart(id: "gallery-lr", title: "Validation loss per learning rate",
                         x: Axis("Epoch"), y: Axis("Validation loss", unit: "cross-entropy", scale: .logarithmic),
                         series: series, legendTitle: "Learning rate")
    }

    /// Validation accuracy of two settings over five seeds: mean line and a
    /// shaded 95% interval.
    static func seedBands() -> LineChart {
        var random = ExampleRandom(seed: 613)
        let epochs = (1...50).map(Double.init)
        func summary(final: Double, speed: Double, spread: Double) -> LineSeries.Summary {
            let seeds = (0..<5).map { _ -> [Double] in
                let offset = spread * random.normal()
                return epochs.map { e in
                    min(0.999, final + offset - (final - 0.05) * exp(-e / speed) + 0.006 * random.normal())
                }
            }
            return LineSeries.Summary(seeds: seeds)
        }
        let plain = summary(final: 0.62, speed: 9, spread: 0.04)
        let normalised = summary(final: 0.86, speed: 3, spread: 0.01)
        let band = "mean and 95% interval over 5 seeds"
        return LineChart(
            id: "gallery-bands", title: "Validation accuracy with and without batch norm",
            x: Axis("Epoch"), y: Axis("Validation accuracy", format: .percent),
            series: [
                LineSeries(name: "Without batch norm", x: epochs, y: plain.mean,
                           band: Band(lower: plain.lower, upper: plain.upper, label: band)),
                LineSeries(name: "With batch norm", x: epochs, y: normalised.mean,
                           band: Band(lower: normalised.lower, upper: normalised.upper, label: band)),
            ])
    }

    /// Gradient magnitude per hidden layer of a 100-layer net, log y, with
    /// the first layer's gradient exactly zero from epoch 5 on.
    static func gradients() -> LineChart {
        var random = ExampleRandom(seed: 625)
        let epochs = (1...10).map(Double.init)
        let layers = [0, 30, 60, 90, 95, 99]
        let series = layers.map { layer -> LineSeries in
            let depth = Double(99 - layer)
            let values = epochs.map { e -> Double in
                if layer == 0 && e >= 5 { return 0 }
                return pow(10, -0.22 * depth - 0.15 * e * depth / 99 + 0.2 * random.normal()) * 0.8
            }
            return LineSeries(name: "Layer \(layer)", x: epochs, y: values)
        }
        return LineChart(id: "gallery-gradients", title: "Gradient magnitude per layer (depth 100, width 4)",
                         x: Axis("Epoch"), y: Axis("Mean squared L2 norm of weight gradient", scale: .logarithmic),
                         series: series, legendTitle: "Hidden layer",
                         notes: ["Bias gradients are excluded."])
    }

    /// Training loss per iteration for four batch sizes (up to 100,000 points
    /// per series), smoothed, on log-log axes.
    static func iterationLosses() -> LineChart {
        var random = ExampleRandom(seed: 614)
        let settings: [(name: String, iterations: Int, noise: Double, weight: Double)] = [
            ("Batch 1, 1 epoch", 100_000, 0.9, 0.995),
            ("Batch 16, 10 epochs", 62_500, 0.45, 0.98),
            ("Batch 128, 50 epochs", 39_050, 0.2, 0.9),
            ("Batch 1024, 50 epochs", 4_900, 0.08, 0.6),
        ]
        let series = settings.map { setting -> LineSeries in
            let xs = (1...setting.iterations).map(Double.init)
            let ys = xs.map { i -> Double in
                let trend = 0.35 + 3.1 / (1 + i / 300)
                let spike = random.uniform() < 0.0004 ? 8 * random.uniform() : 0
                return trend * exp(setting.noise * random.normal()) + spike
            }
            return LineSeries(name: setting.name, x: xs, y: ys, smoothing: setting.weight)
        }
        return LineChart(id: "gallery-iterations", title: "Training loss per iteration",
                         x: Axis("Iteration", scale: .logarithmic),
                         y: Axis("Training loss", unit: "cross-entropy", scale: .logarithmic),
                         series: series, legendTitle: "Batch size")
    }

    /// Validation loss over 100 epochs with the epochs the study asks about marked.
    static func markedEpochs() -> LineChart {
        let epochs = (1...100).map(Double.init)
        let losses = epochs.map { e in 0.27 + 2.4 * exp(-e / 6) + 0.0009 * max(0, e - 30) }
        let marks = [1.0, 5, 10, 20, 50, 100].map { PointMark(x: $0) }
        return LineChart(id: "gallery-epochs", title: "Validation loss at epochs 1, 5, 10, 20, 50 and 100",
                         x: Axis("Epoch"), y: Axis("Validation loss", unit: "cross-entropy"),
                         series: [LineSeries(name: "lr 0.001", x: epochs, y: losses, marks: marks)],
                         legend: .hidden)
    }

    /// Accuracy against the number of hidden layers (numeric x).
    static func accuracyVersusDepth() -> LineChart {
        let depths = [1.0, 2, 6, 10]
        return LineChart(
            id: "gallery-depth", title: "Accuracy against depth (width 16)",
            x: Axis("Hidden layers"), y: Axis("Accuracy", format: .percent),
            series: [
                LineSeries(name: "Train", x: depths, y: [0.612, 0.744, 0.851, 0.833]),
                LineSeries(name: "Validation", x: depths, y: [0.605, 0.731, 0.838, 0.816]),
                LineSeries(name: "Test", x: depths, y: [0.601, 0.735, 0.834, 0.820]),
            ], width: 560, height: 360)
    }

    /// Accuracy against width, as categories.
    static func accuracyVersusWidth() -> LineChart {
        let widths = ["8", "16", "32", "64"]
        let x = widths.indices.map(Double.init)
        return LineChart(
            id: "gallery-width", title: "Accuracy against width (6 hidden layers)",
            x: Axis("Units per hidden layer", scale: .categorical(widths)), y: Axis("Accuracy", format: .percent),
            series: [
                LineSeries(name: "Train", x: x, y: [0.781, 0.851, 0.902, 0.934]),
                LineSeries(name: "Validation", x: x, y: [0.772, 0.838, 0.881, 0.897]),
                LineSeries(name: "Test", x: x, y: [0.769, 0.834, 0.884, 0.893]),
            ], width: 560, height: 360)
    }
}

extension LineSeries {
    /// Mean and a 95% interval (Student's t) per x over several seeds.
    struct Summary {
        var mean: [Double]
        var lower: [Double]
        var upper: [Double]

        init(seeds: [[Double]]) {
            let n = Double(seeds.count)
            // t quantile 0.975 for n − 1 = 4 degrees of freedom.
            let t = 2.776
            let length = seeds.map(\.count).min() ?? 0
            mean = []
            lower = []
            upper = []
            for i in 0..<length {
                let values = seeds.map { $0[i] }
                let mu = values.reduce(0, +) / n
                let variance = values.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / (n - 1)
                let half = t * (variance / n).squareRoot()
                mean.append(mu)
                lower.append(mu - half)
                upper.append(mu + half)
            }
        }
    }
}
