extension DecisionMap {
    /// The map as a standalone SVG document; identical input gives identical bytes.
    public func render() -> String {
        let figureID = FigureID.sanitize(id)
        let classCount = max(classNames.count, (grid.classes.max() ?? -1) + 1,
                             (points.map { max($0.trueClass, $0.predictedClass ?? -1) }.max() ?? -1) + 1, 1)
        let names = (0..<classCount).map { $0 < classNames.count && !classNames[$0].isEmpty ? classNames[$0] : "Class \($0)" }
        let xRange = grid.isUsable ? grid.xRange : 0...1
        let yRange = grid.isUsable ? grid.yRange : 0...1
        var xAxis = x
        xAxis.scale = .linear
        xAxis.domain = xRange
        var yAxis = y
        yAxis.scale = .linear
        yAxis.domain = yRange
        let xModel = AxisModel.resolve(xAxis, values: [], targetTicks: 6)
        let yModel = AxisModel.resolve(yAxis, values: [], targetTicks: 6)

        let aspect = aspectRatio.isFinite && aspectRatio > 0 ? aspectRatio : 1
        let plotWidth = mapWidth.isFinite && mapWidth > 50 ? mapWidth : 600
        let spanX = xRange.upperBound - xRange.lowerBound
        let spanY = yRange.upperBound - yRange.lowerBound
        let plotHeight = min(max(plotWidth * aspect * spanY / spanX, 120), 4 * plotWidth)
        let margin = FigureParts.margin
        let plot = Rect(x: margin + AxisRenderer.leftExtent(yModel), y: margin + FigureParts.titleHeight(visibleTitle),
                        width: plotWidth, height: plotHeight)
        let xMap = xModel.map(from: plot.x, to: plot.maxX)
        let yMap = yModel.map(from: plot.maxY, to: plot.y)

        let drawn = drawnPoints(xRange: xRange, yRange: yRange)
        var entries = (0..<classCount).map { LegendEntry(swatch: .classBox(classID: $0), text: "\($0)  \(names[$0])") }
        entries.append(LegendEntry(swatch: .point(ring: false), text: "\(pointsName.capitalizedFirst), colour = true class"))
        if drawn.misclassified > 0 {
            entries.append(LegendEntry(swatch: .point(ring: true), text: "Misclassified"))
        }
        let legendBox = Legend.layout(title: "Predicted class", entries: entries, placement: .right,
                                      figureWidth: .infinity, plotHeight: plot.height)!.legend
        let width = plot.maxX + 22 + legendBox.width + margin
        let axisBottom = plot.maxY + AxisRenderer.bottomExtent(xModel, labelLineCount: 1)
        let noteLines = FigureParts.noteLines(noteTexts(drawn), width: width - 2 * margin)
        let height = max(axisBottom, plot.y + legendBox.height) + 8
            + Double(noteLines.count) * FigureParts.noteLineHeight + margin

        var svg = SVGBuilder()
        FigureDocument.begin(&svg, id: figureID, width: width, height: height, title: title,
                             description: summary ?? describe(names: names, drawn: drawn),
                             style: styleSheet(figureID: figureID, classCount: classCount))
        FigureParts.drawTitle(&svg, visibleTitle, centerX: plot.x + plot.width / 2, width: width)
        drawRegions(&svg, plot: plot, classCount: classCount)
        drawPoints(&svg, drawn.points, plot: plot, xRange: xRange, yRange: yRange)
        drawLabels(&svg, plot: plot, names: names)
        let c = NumberFormatting.coordinate
        svg.element("rect", [("class", "spine"), ("x", c(plot.x)), ("y", c(plot.y)),
                             ("width", c(plot.width)), ("height", c(plot.height))])
        AxisRenderer.draw(&svg, yModel, yMap, plot: plot, side: .left)
        AxisRenderer.draw(&svg, xModel, xMap, plot: plot, side: .bottom)
        legendBox.draw(&svg, x: plot.maxX + 22, y: plot.y)
        FigureParts.drawNotes(&svg, noteLines, x: margin, y: max(axisBottom, plot.y + legendBox.height) + 8)
        svg.close()
        return svg.finish()
    }

    /// The points drawn: finite, inside the box, and an evenly spaced subset
    /// (every n/maxPoints-th, by position in the input) beyond `maxPoints`.
    private func drawnPoints(xRange: ClosedRange<Double>, yRange: ClosedRange<Double>)
        -> (points: [LabeledPoint], valid: Int, outside: Int, misclassified: Int, totalMisclassified: Int) {
        var valid: [LabeledPoint] = []
        var outside = 0
        for point in points {
            let placeable = point.x.isFinite && point.y.isFinite && point.trueClass >= 0
            if placeable && xRange.contains(point.x) && yRange.contains(point.y) {
                valid.append(point)
            } else {
                outside += 1
            }
        }
        let limit = max(maxPoints, 0)
        let chosen = valid.count <= limit ? valid : (0..<limit).map { valid[$0 * valid.count / limit] }
        return (chosen, valid.count, outside, chosen.filter(\.isMisclassified).count, valid.filter(\.isMisclassified).count)
    }

    private func noteTexts(_ drawn: (points: [LabeledPoint], valid: Int, outside: Int, misclassified: Int,
                                     totalMisclassified: Int)) -> [String] {
        var texts: [String] = []
        if drawn.points.count < drawn.valid {
            texts.append("Showing \(NumberFormatting.count(drawn.points.count)) of \(NumberFormatting.count(drawn.valid)) "
                + "\(pointsName): an evenly spaced subset in input order (deterministic).")
        }
        if drawn.outside > 0 {
            texts.append("\(NumberFormatting.count(drawn.outside)) \(pointsName) outside the map or without coordinates "
                + "are not drawn.")
        }
        if drawn.totalMisclassified > 0 {
            let share = NumberFormatting.fixed(100 * Double(drawn.totalMisclassified) / Double(max(drawn.valid, 1)), decimals: 1)
            texts.append("Ringed points are misclassified (\(NumberFormatting.count(drawn.totalMisclassified)) of "
                + "\(NumberFormatting.count(drawn.valid)), \(share)%): their colour is the true class, "
                + "the region's the prediction.")
        }
        return texts + notes
    }

    private func describe(names: [String], drawn: (points: [LabeledPoint], valid: Int, outside: Int, misclassified: Int,
                                                    totalMisclassified: Int)) -> String {
        "Decision map: the predicted class over a \(grid.columns)×\(grid.rows) grid; "
            + "x axis \(x.label), y axis \(y.label). \(names.count) classes: "
            + names.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ") + ". "
            + "\(NumberFormatting.count(drawn.points.count)) \(pointsName) drawn, coloured by true class, "
            + "\(NumberFormatting.count(drawn.misclassified)) of them misclassified and ringed."
    }

    private func styleSheet(figureID: String, classCount: Int) -> StyleSheet {
        var style = StyleSheet(figureID: figureID)
        style.add(" .regions", "opacity:.5", "opacity:var(--nn-region-opacity,.5)")
        style.add(" .pts path", "fill:none", "stroke-linecap:round")
        style.add(" .pts .edge", StyleSheet.themed("stroke", "fg", ChartTheme.foreground), "stroke-opacity:.7", "stroke-width:9")
        style.add(" .pts .dot", "stroke-width:6.5")
        style.add(" .pts .ring", StyleSheet.themed("stroke", "fg", ChartTheme.foreground), "stroke-width:16")
        style.add(" .pts .gap", StyleSheet.themed("stroke", "bg", ChartTheme.background), "stroke-width:11.5")
        style.add(" .lg-dot", "stroke:#808080", "stroke-width:4px", "stroke-linecap:round")
        style.add(" .lg-ring", StyleSheet.themed("stroke", "fg", ChartTheme.foreground), "stroke-width:8px",
                  "stroke-linecap:round")
        style.add(" .lg-gap", StyleSheet.themed("stroke", "bg", ChartTheme.background), "stroke-width:5.75px",
                  "stroke-linecap:round")
        style.add(" .region-label", "font-weight:bold", "font-size:11px")
        for classID in 0..<classCount {
            let slot = ((classID % Palette.classes.count) + Palette.classes.count) % Palette.classes.count
            let color = Palette.classColor(classID)
            style.add(" .c\(classID)", StyleSheet.themed("fill", "class-\(slot)", color),
                      StyleSheet.themed("stroke", "class-\(slot)", color))
            style.add(" .p\(classID)", StyleSheet.themed("stroke", "class-\(slot)", color))
        }
        return style
    }

    /// One path per class, in cell units, placed by one transform.
    private func drawRegions(_ svg: inout SVGBuilder, plot: Rect, classCount: Int) {
        guard grid.isUsable else { return }
        let paths = RegionTracing.paths(grid, classCount: classCount)
        let sx = plot.width / Double(grid.columns)
        let sy = plot.height / Double(grid.rows)
        let f = { NumberFormatting.fixed($0, decimals: 5, trimZeros: true) }
        // A stroke of the fill colour, about 0.7 px wide, closes the hairline
        // seams antialiasing leaves between adjacent regions.
        svg.open("g", [("class", "regions"), ("stroke-width", f(0.7 / min(sx, sy))),
                       ("transform", "matrix(\(f(sx)) 0 0 \(f(-sy)) \(f(plot.x)) \(f(plot.maxY)))")])
        for (classID, d) in paths.enumerated() where !d.isEmpty {
            svg.element("path", [("class", "c\(classID)"), ("d", d)])
        }
        svg.close()
    }

    /// Points in half-pixel integer units: dots are zero-length subpaths with
    /// round caps, grouped by class; misclassified ones drawn last, ringed.
    private func drawPoints(_ svg: inout SVGBuilder, _ points: [LabeledPoint], plot: Rect,
                            xRange: ClosedRange<Double>, yRange: ClosedRange<Double>) {
        guard !points.isEmpty else { return }
        let spanX = xRange.upperBound - xRange.lowerBound
        let spanY = yRange.upperBound - yRange.lowerBound
        func subpath(_ point: LabeledPoint) -> String {
            let px = Int(((point.x - xRange.lowerBound) / spanX * plot.width * 2).rounded())
            let py = Int(((yRange.upperBound - point.y) / spanY * plot.height * 2).rounded())
            return "M\(px) \(py)h0"
        }
        let correct = points.filter { !$0.isMisclassified }
        let wrong = points.filter(\.isMisclassified)
        svg.open("g", [("class", "pts"), ("transform", "translate(\(NumberFormatting.coordinate(plot.x)) "
            + "\(NumberFormatting.coordinate(plot.y))) scale(.5)")])
        func dots(_ group: [LabeledPoint]) {
            var byClass: [Int: String] = [:]
            for point in group { byClass[point.trueClass, default: ""] += subpath(point) }
            for classID in byClass.keys.sorted() {
                svg.element("path", [("class", "dot p\(classID)"), ("d", byClass[classID]!)])
            }
        }
        if !correct.isEmpty {
            svg.element("path", [("class", "edge"), ("d", correct.map(subpath).joined())])
            dots(correct)
        }
        if !wrong.isEmpty {
            let d = wrong.map(subpath).joined()
            svg.element("path", [("class", "ring"), ("d", d)])
            svg.element("path", [("class", "gap"), ("d", d)])
            dots(wrong)
        }
        svg.close()
    }

    private func drawLabels(_ svg: inout SVGBuilder, plot: Rect, names: [String]) {
        guard grid.isUsable else { return }
        let sx = plot.width / Double(grid.columns)
        let sy = plot.height / Double(grid.rows)
        let placements = RegionLabels.place(grid, texts: names.enumerated().map { [$0.element, "\($0.offset)"] },
                                            cellWidth: sx, cellHeight: sy, fontSize: 11)
        guard !placements.isEmpty else { return }
        let c = NumberFormatting.coordinate
        svg.open("g", [("class", "halo region-label"), ("text-anchor", "middle")])
        for label in placements {
            svg.element("text", [("x", c(plot.x + label.column * sx)), ("y", c(plot.maxY - label.row * sy + 11 * 0.35))],
                        text: label.text)
        }
        svg.close()
    }
}

extension String {
    /// The string with its first character uppercased ("test points" → "Test points").
    var capitalizedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
