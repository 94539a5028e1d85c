import Foundation
import Testing
@testable import Charts

/// What a reader of a figure relies on: axes that end where the data ends and are
/// labelled there, a small spread drawn small, legends inside the figure, labels
/// off the lines, and standalone files that are valid SVG.
@Suite struct ReadabilityTests {
    @Test func aLinearXAxisEndsWithTheDataAndLabelsItsEnds() {
        let line = LineSeries(name: "loss", x: (1...44).map(Double.init), y: (1...44).map { 1 / Double($0) })
        let chart = LineChart(id: "iters", title: "", x: Axis("Iteration"), y: Axis("Loss"), series: [line])
        let svg = chart.render()
        let labels = tickLabels(svg)
        #expect(labels.contains("44"), "the last iteration is not labelled: \(labels)")
        #expect(labels.contains("1"), "the first iteration is not labelled: \(labels)")
        #expect(!labels.contains("50") && !labels.contains("60"), "the axis runs past the data: \(labels)")
        #expect(svg.contains("Iteration, linear, 1 to 44"))
    }

    @Test(arguments: [
        // (ticks, lower, upper, step) -> expected
        ([10.0, 20, 30, 40], 1.0, 44.0, 10.0, [1.0, 10, 20, 30, 44]),
        ([10.0, 20, 30, 40, 50], 1.0, 50.0, 10.0, [1.0, 10, 20, 30, 40, 50]),
        ([0.0, 10, 20, 30, 40], 0.0, 47.0, 10.0, [0.0, 10, 20, 30, 40, 47]),
        ([0.2, 0.4], 0.1, 0.5, 0.2, [0.2, 0.4]),
    ])
    func fixedDomainEndsGetTicks(ticks: [Double], lower: Double, upper: Double, step: Double, expected: [Double]) {
        #expect(AxisModel.labelledEnds(ticks, lower: lower, upper: upper, step: step) == expected)
    }

    @Test func aLogarithmicDomainIsWidenedToLabelledTicks() {
        let axis = Axis("Norm", scale: .logarithmic, domain: 3e-8...4e18)
        let model = AxisModel.resolve(axis, values: [], targetTicks: 5)
        #expect(model.ticks.first.map { $0 <= 3e-8 } == true)
        #expect(model.ticks.last.map { $0 >= 4e18 } == true, "the top value lies above the last labelled tick")
        #expect(model.lower == model.ticks.first && model.upper == model.ticks.last)
    }

    @Test func anAccuracyAxisShowsAtLeastItsMinimumSpan() {
        let accuracy = Axis("Accuracy", minimumSpan: 0.05, limits: 0...1)
        let narrow = AxisModel.resolve(accuracy, values: [0.951, 0.960, 0.952], targetTicks: 5)
        #expect(narrow.upper - narrow.lower >= 0.05 - 1e-12, "\(narrow.lower)...\(narrow.upper)")
        #expect(narrow.upper <= 1 && narrow.lower <= 0.951 && narrow.upper >= 0.960)
        let nearOne = AxisModel.resolve(accuracy, values: [0.99, 0.995], targetTicks: 5)
        #expect(nearOne.upper <= 1, "the axis passes its limit: \(nearOne.upper)")
        #expect(nearOne.upper - nearOne.lower >= 0.05 - 1e-12)
        let wide = AxisModel.resolve(accuracy, values: [0.2, 0.9], targetTicks: 5)
        #expect(wide.lower <= 0.2 && wide.upper >= 0.9 && wide.upper - wide.lower < 1.01)
        let band = AxisModel.resolve(accuracy, values: [-0.12, 0.05, 0.4, 0.55], targetTicks: 5)
        #expect(band.lower == 0 && band.upper >= 0.55 && band.upper <= 1, "an interval below 0 widens the axis past 0")
        let plain = AxisModel.resolve(Axis("Accuracy"), values: [0.951, 0.960], targetTicks: 5)
        #expect(plain.upper - plain.lower < 0.05, "an axis without a minimum span is widened")
    }

    @Test func aLegendBelowTheChartStaysInsideTheFigure() throws {
        let names = ["lr 0.1", "lr 0.01", "lr 0.001", "lr 0.0001", "lr 0.00001"]
        let series = names.enumerated().map { index, name in
            LineSeries(name: name, x: [1, 2, 3], y: [1, 0.5, Double(index) + 0.1])
        }
        let chart = LineChart(id: "legend", title: "", x: Axis("Iteration"), y: Axis("Loss", scale: .logarithmic),
                              series: series, legendTitle: "Learning rate", legend: .bottom, width: 480, height: 360)
        let svg = chart.render()
        let legend = try #require(svg.range(of: "<g class=\"legend\">").map { String(svg[$0.upperBound...]) })
        for line in legend.split(separator: "\n").prefix(while: { !$0.hasPrefix("</g>") }) where line.hasPrefix("<text") {
            let x = try #require(attribute("x", in: String(line)))
            let text = String(line.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
            let right = x + TextMetrics.width(text, size: ChartTheme.legendSize)
            #expect(right <= 480 - FigureParts.margin + 0.5, "\(text) ends at \(right) px in a 480 px figure")
        }
    }

    @Test func segmentsAndRectanglesIntersectAsDrawn() {
        let box = Rect(x: 10, y: 10, width: 20, height: 10)
        #expect(box.intersects(segment: (0, 15, 40, 15)))
        #expect(box.intersects(segment: (15, 12, 16, 13)))
        #expect(box.intersects(segment: (0, 0, 40, 30)))
        #expect(!box.intersects(segment: (0, 0, 40, 5)))
        #expect(!box.intersects(segment: (0, 30, 9, 0)))
        #expect(!box.intersects(segment: (35, 0, 35, 40)))
    }

    @Test func aLabelKeepsOffALineWhenItCan() throws {
        var placer = LabelPlacer(bounds: Rect(x: 0, y: 0, width: 200, height: 200))
        // A line rising steeply through (100, 100): the spot above the point is on it.
        placer.avoid(polyline: [(90, 140), (100, 100), (110, 60)])
        let placed = placer.place("0.29", size: 11, nearX: 100, y: 100)
        let spot = try #require(placed)
        let width = TextMetrics.width("0.29", size: 11)
        let left = spot.anchor == "start" ? spot.x : spot.anchor == "end" ? spot.x - width : spot.x - width / 2
        let box = Rect(x: left - 1, y: spot.y - 11 * 0.85, width: width + 2, height: 11 * 1.1)
        #expect(!box.intersects(segment: (90, 140, 100, 100)) && !box.intersects(segment: (100, 100, 110, 60)))
        // Lines everywhere: the label is still placed, on a line, rather than dropped.
        var crowded = LabelPlacer(bounds: Rect(x: 0, y: 0, width: 200, height: 200))
        for y in stride(from: 0.0, through: 200, by: 4) { crowded.avoid(polyline: [(0, y), (200, y)]) }
        let fallback = crowded.place("0.29", size: 11, nearX: 100, y: 100)
        #expect(fallback != nil)
    }

    @Test func standaloneFilesNameTheFigureByTitleAndDescOnly() {
        for (name, svg) in SafetyTests.hostileCharts(prefix: "s-") + CachedGallery.figures {
            let file = StandaloneSVG.document(svg)
            #expect(file.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "), "\(name)")
            let root = file.split(separator: "\n")[1]
            #expect(!root.contains("aria-"), "\(name): the standalone root keeps \(root)")
            #expect(root.contains(" role=\"img\""), "\(name)")
            #expect(file.split(separator: "\n")[2].hasPrefix("<title id=\""), "\(name): <title> is not the first child")
            // Only that attribute differs from the inline markup, which keeps it.
            let inlineRoot = svg.split(separator: "\n")[0]
            #expect(inlineRoot.contains("aria-labelledby=\""), "\(name): the inline figure lost its label")
            #expect(file.split(separator: "\n").dropFirst(2) == svg.split(separator: "\n").dropFirst(1))
            assertWellFormed(file, name: name)
        }
    }

    /// The text of every `<text>` element (tick labels among them).
    private func tickLabels(_ svg: String) -> [String] {
        svg.split(separator: "\n").filter { $0.hasPrefix("<text") }
            .map { String($0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }) }
    }

    private func attribute(_ name: String, in line: String) -> Double? {
        guard let start = line.range(of: " \(name)=\"") else { return nil }
        return Double(line[start.upperBound...].prefix { $0 != "\"" })
    }
}
