import Foundation
import Testing
import TestSupport
@testable import Charts

/// Small charts of each kind against files in Snapshots/.
@Suite(.tags(.golden)) struct GoldenFileTests {
    @Test func linearLineChart() {
        let chart = LineChart(
            id: "linear", title: "Validation accuracy",
            x: Axis("Epoch"), y: Axis("Accuracy", format: .percent),
            series: [
                LineSeries(name: "Depth 2", x: ExampleData.epochs, y: ExampleData.epochs.map { 0.5 + 0.03 * $0 }),
                LineSeries(name: "Depth 6", x: ExampleData.epochs, y: ExampleData.epochs.map { 0.55 + 0.035 * $0 }),
            ], width: 480, height: 300)
        assertSnapshot(chart.render(), named: "line-linear")
    }

    @Test func logLineChartWithDivergenceZerosAndNegatives() {
        let chart = LineChart(
            id: "log", title: "Loss per learning rate",
            x: Axis("Epoch"), y: Axis("Loss", unit: "nats", scale: .logarithmic),
            series: [
                LineSeries(name: "lr 1", x: [1, 2, 3, 4, 5], y: [2, 40, 900, .nan, .nan]),
                LineSeries(name: "lr 0.001", x: [1, 2, 3, 4, 5], y: [2, 1, 0.5, 0.25, 0.125]),
                LineSeries(name: "layer 0", x: [1, 2, 3, 4, 5], y: [0.01, 0.001, 0, 0, -1]),
            ], legendTitle: "Setting", width: 520, height: 320)
        assertSnapshot(chart.render(), named: "line-log-diverged-zeros")
    }

    @Test func bandsAndMarkedPoints() {
        let x = ExampleData.epochs
        let mean = x.map { 2 / $0 + 0.25 }
        let chart = LineChart(
            id: "bands", title: "Validation loss over 3 seeds",
            x: Axis("Epoch"), y: Axis("Loss"),
            series: [
                LineSeries(name: "Base", x: x, y: mean,
                           band: Band(lower: mean.map { $0 - 0.125 }, upper: mean.map { $0 + 0.125 },
                                      label: "95% interval over 3 seeds"),
                           marks: [PointMark(x: 1), PointMark(x: 5, label: "epoch 5"), PointMark(x: 10)]),
            ], width: 520, height: 300)
        assertSnapshot(chart.render(), named: "line-bands-marks")
    }

    @Test func smoothedAndDownsampled() {
        // A saw-tooth with one spike; 400 points drawn with at most 40 vertices.
        let x = (0..<400).map(Double.init)
        let y = x.map { Double(Int($0) % 10) / 8 + ($0 == 237 ? 6 : 1) }
        let chart = LineChart(
            id: "long", title: "Training loss per iteration",
            x: Axis("Iteration"), y: Axis("Loss"),
            series: [LineSeries(name: "Batch 16", x: x, y: y, smoothing: 0.75)],
            width: 520, height: 300, maxVerticesPerSeries: 40)
        let svg = chart.render()
        #expect(svg.contains("Downsampled for drawing"))
        #expect(svg.contains("weight 0.75"))
        assertSnapshot(svg, named: "line-smoothed-downsampled")
    }

    @Test func categoricalMetricChart() {
        let chart = LineChart(
            id: "width", title: "Accuracy against width",
            x: Axis("Units per layer", scale: .categorical(["8", "16", "32", "64"])), y: Axis("Accuracy", format: .percent),
            series: [
                LineSeries(name: "Train", x: [0, 1, 2, 3], y: [0.75, 0.8125, 0.875, 0.9375]),
                LineSeries(name: "Test", x: [0, 1, 2, 3], y: [0.75, 0.8, 0.85, 0.875]),
            ], width: 440, height: 300)
        assertSnapshot(chart.render(), named: "line-categorical")
    }

    @Test func groupedBarChart() {
        let chart = BarChart(
            id: "bars", title: "Accuracy per method", categories: ["XGBoost", "Linear probe", "Fine-tuning"],
            categoryTitle: "Method", y: Axis("Accuracy", format: .percent),
            series: [
                BarSeries(name: "Train", values: [1, 0.75, 0.96875]),
                BarSeries(name: "Validation", values: [0.625, 0.75, .nan]),
                BarSeries(name: "Test", values: [0.625, 0.71875, 0.9375], lower: [0.5, 0.625, 0.875], upper: [0.75, 0.8125, 1]),
            ], valueFormat: .percent(decimals: 1), width: 520, height: 320)
        assertSnapshot(chart.render(), named: "bars-grouped")
    }

    @Test func smallDecisionMap() {
        let points = [
            LabeledPoint(x: -5, y: 65, trueClass: 0, predictedClass: 0),
            LabeledPoint(x: 45, y: 65, trueClass: 1, predictedClass: 1),
            LabeledPoint(x: 0, y: 35, trueClass: 2, predictedClass: 2),
            LabeledPoint(x: 10, y: 52, trueClass: 0, predictedClass: 2),
            LabeledPoint(x: 200, y: 52, trueClass: 0, predictedClass: 0),
        ]
        let map = DecisionMap(id: "map", title: "Decision regions", grid: ExampleData.smallGrid,
                              classNames: ["North", "East", "South & Co", "Empty"], points: points,
                              pointsName: "test points", mapWidth: 360)
        assertSnapshot(map.render(), named: "decision-map-small")
    }

    @Test func imageGrid() {
        let grid = ImageGrid(
            id: "images", title: "Samples",
            images: [
                GridImage(png: ExampleData.tinyPNG, caption: "real\nbest: real, worst: fake"),
                GridImage(png: ExampleData.tinyPNG, caption: "fake"),
                GridImage(png: Data([1, 2, 3]), caption: "broken file"),
            ], columns: 2, cellWidth: 96)
        assertSnapshot(grid.render(), named: "image-grid")
    }
}
