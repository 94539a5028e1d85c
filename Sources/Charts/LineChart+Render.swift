extension LineChart {
    /// The chart as a standalone SVG document (UTF-8 text, no XML declaration,
    /// so it can also be inlined in HTML). Identical input gives identical bytes.
    public func render() -> String {
        let figureID = FigureID.sanitize(id)
        let lines = series.enumerated().map { index, series in
            PreparedLine(series, index: index, xAxis: x, maxVertices: maxVerticesPerSeries)
        }
        let xTarget = min(max(Int((width - 220) / 90), 4), 8)
        let yTarget = min(max(Int((height - 120) / 55), 4), 7)
        let xModel = AxisModel.resolve(dataBoundX(lines), values: lines.flatMap(\.xValues), targetTicks: xTarget)
        // A band edge at or below 0 on a logarithmic axis is an interval reaching past
        // the axis, drawn down to its lower end (see `drawData`), not a value left out.
        let yValues = y.scale == .logarithmic
            ? lines.flatMap(\.lineYValues) + lines.flatMap(\.bandYValues).filter { $0 > 0 }
            : lines.flatMap(\.yValues)
        let yModel = AxisModel.resolve(y, values: yValues, targetTicks: yTarget)

        let layout = CartesianLayout(
            width: width, height: height, top: FigureParts.margin + FigureParts.titleHeight(visibleTitle),
            xModel: xModel, yModel: yModel, reservedLabelLines: 1, legendTitle: legendTitle,
            legendEntries: legendEntries(lines), placement: legend,
            notes: noteTexts(lines, xModel: xModel, yModel: yModel))
        let (plot, xMap, yMap) = (layout.plot, layout.xMap, layout.yMap)

        var svg = SVGBuilder()
        FigureDocument.begin(&svg, id: figureID, width: width, height: layout.height, title: title,
                             description: summary ?? describe(lines, xModel: xModel, yModel: yModel, notes: layout.noteLines),
                             style: styleSheet(figureID: figureID, lines: lines))
        FigureParts.drawTitle(&svg, visibleTitle, centerX: plot.x + plot.width / 2, width: width)
        AxisRenderer.drawGrid(&svg, yModel, yMap, plot: plot, side: .left)
        AxisRenderer.drawGrid(&svg, xModel, xMap, plot: plot, side: .bottom)
        FigureParts.defineClip(&svg, id: figureID, rect: plot, pad: 5)
        svg.open("g", [("clip-path", "url(#\(figureID)-clip)")])
        drawData(&svg, lines, xMap: xMap, yMap: yMap, yFloor: yModel.isLogarithmic ? yModel.lower : nil)
        svg.close()
        AxisRenderer.draw(&svg, yModel, yMap, plot: plot, side: .left)
        AxisRenderer.draw(&svg, xModel, xMap, plot: plot, side: .bottom, labelLines: layout.labelLines)
        drawAnnotations(&svg, lines, xMap: xMap, yMap: yMap, plot: plot)
        layout.drawLegendAndNotes(&svg)
        svg.close()
        return svg.finish()
    }

    /// The x axis; a linear one without a domain spans exactly the data, so a
    /// run of 44 iterations does not end at 60.
    private func dataBoundX(_ lines: [PreparedLine]) -> Axis {
        guard case .linear = x.scale, x.domain == nil, !x.includesZero else { return x }
        let values = lines.flatMap(\.xValues).filter(\.isFinite)
        guard let low = values.min(), let high = values.max(), high > low else { return x }
        var axis = x
        axis.domain = low...high
        return axis
    }

    private func legendEntries(_ lines: [PreparedLine]) -> [LegendEntry] {
        var entries = lines.map { line in
            LegendEntry(swatch: .line(slot: line.slot, dash: line.dash, marker: line.marker, band: line.bandLabel != nil),
                        text: line.name)
        }
        // One entry per label, saying "cut at 0" when any band under it was cut.
        var bandLabels: [String] = []
        for label in lines.compactMap(\.bandLabel) where !bandLabels.contains(label) { bandLabels.append(label) }
        entries += bandLabels.map { label in
            let cut = lines.first { $0.bandLabel == label && $0.bandText != label }?.bandText
            return LegendEntry(swatch: .shade, text: "Shaded: " + (cut ?? label))
        }
        if lines.contains(where: { $0.stop != nil }) {
            entries.append(LegendEntry(swatch: .stop, text: "Last value before the run stopped"))
        }
        return entries
    }

    private func noteTexts(_ lines: [PreparedLine], xModel: AxisModel, yModel: AxisModel) -> [String] {
        var texts: [String] = []
        let decimated = lines.filter(\.decimated)
        if let longest = decimated.map(\.pointCount).max() {
            texts.append("Downsampled for drawing: each series keeps the minimum and maximum of each bucket "
                + "(at most \(NumberFormatting.count(maxVerticesPerSeries)) vertices per series; "
                + "longest series \(NumberFormatting.count(longest)) points).")
        }
        var weights: [Double] = []
        for weight in lines.compactMap(\.smoothing) where !weights.contains(weight) { weights.append(weight) }
        if !weights.isEmpty {
            let list = weights.map { NumberFormatting.significant($0, digits: 4).plain }.joined(separator: ", ")
            texts.append("Smoothed: exponential moving average with weight \(list) (bias-corrected); "
                + "raw values drawn faintly.")
        }
        if yModel.hasZeroSlot {
            texts.append("Values exactly 0 are drawn on the row marked 0, below the break of the logarithmic axis.")
        }
        if xModel.hasZeroSlot {
            texts.append("Values exactly 0 are drawn in the column marked 0, left of the break of the logarithmic axis.")
        }
        texts += [xModel.omissionNote, yModel.omissionNote].compactMap { $0 }
        if yModel.isLogarithmic {
            let reaching = lines.flatMap(\.bandYValues).filter { $0 <= 0 }.count
            if reaching > 0 {
                let what = reaching == 1 ? "1 point" : "\(NumberFormatting.count(reaching)) points"
                texts.append("Where a shaded interval reaches 0 or below (\(what)), it is drawn down to the axis's lower end.")
            }
        }
        for line in lines {
            if let label = line.stopWithoutPoints {
                texts.append("\(line.name): \(label), no finite value to draw.")
            } else if line.segments.isEmpty && line.stop == nil {
                texts.append("\(line.name): no finite value to draw.")
            }
        }
        return texts + notes
    }

    private func describe(_ lines: [PreparedLine], xModel: AxisModel, yModel: AxisModel, notes: [String]) -> String {
        var text = "Line chart. X axis: \(xModel.spec.label), \(xModel.domainDescription). "
            + "Y axis: \(yModel.spec.label), \(yModel.domainDescription). "
        let names = lines.map { line -> String in
            var name = line.name
            if let stop = line.stop { name += " (\(stop.label))" }
            if let band = line.bandText { name += " with band: \(band)" }
            return name
        }
        text += names.count == 1 ? "1 series: " : "\(names.count) series: "
        text += names.joined(separator: "; ") + "."
        if !notes.isEmpty { text += " " + notes.joined(separator: " ") }
        return text
    }

    private func styleSheet(figureID: String, lines: [PreparedLine]) -> StyleSheet {
        var style = StyleSheet(figureID: figureID)
        style.add(" .line", "fill:none", "stroke-width:1.8px", "stroke-linejoin:round")
        style.add(" .raw", "fill:none", "stroke-width:.75px", "stroke-opacity:.2")
        style.add(" .band", "stroke:none", "fill-opacity:.18", "fill-opacity:var(--nn-band-opacity,.18)")
        style.add(" .shade", "fill:#808080", "fill-opacity:.3")
        style.add(" .mark", StyleSheet.themed("stroke", "bg", ChartTheme.background), "stroke-width:.8px")
        style.add(" .mark-open", "fill:none", "stroke-width:1.4px")
        style.add(" .stop", "fill:none", StyleSheet.themed("stroke", "fg", ChartTheme.foreground),
                  "stroke-width:2px", "stroke-linecap:round")
        style.add(" .stop-mark", "fill:none", "stroke-width:2.4px", "stroke-linecap:round")
        style.add(" .point-mark", StyleSheet.themed("stroke", "fg", ChartTheme.foreground), "stroke-width:1.2px")
        style.addSeriesColors(count: max(lines.map(\.slot).max() ?? 1, 1))
        return style
    }

    /// `yFloor`: on a logarithmic axis, its lower end, where band edges at or below 0 are drawn.
    private func drawData(_ svg: inout SVGBuilder, _ lines: [PreparedLine], xMap: ScaleMap, yMap: ScaleMap,
                          yFloor: Double?) {
        func point(_ x: Double, _ y: Double) -> (Double, Double)? {
            guard let px = xMap.position(x), let py = yMap.position(y) else { return nil }
            return (px, py)
        }
        func edge(_ x: Double, _ y: Double) -> (Double, Double)? {
            if let yFloor, y <= 0 { return point(x, yFloor) }
            return point(x, y)
        }
        for line in lines where !line.bandSegments.isEmpty {
            var d = ""
            for run in line.bandSegments {
                let upper = run.map { edge($0.x, $0.upper) }
                let lower = run.reversed().map { edge($0.x, $0.lower) }
                // A band edge that cannot be placed otherwise (not finite) leaves its run out.
                guard !upper.contains(where: { $0 == nil }), !lower.contains(where: { $0 == nil }) else { continue }
                d += FigureParts.polyline(upper + lower) + "z"
            }
            if !d.isEmpty { svg.element("path", [("class", "band f\(line.slot)"), ("d", d)]) }
        }
        for line in lines where !line.rawSegments.isEmpty {
            let d = line.rawSegments.map { run in FigureParts.polyline(run.map { point($0.x, $0.y) }) }.joined()
            if !d.isEmpty { svg.element("path", [("class", "raw s\(line.slot)"), ("d", d)]) }
        }
        for line in lines {
            let d = line.segments.map { run in FigureParts.polyline(run.map { point($0.x, $0.y) }) }.joined()
            guard !d.isEmpty else { continue }
            var attributes: SVGBuilder.Attributes = [("class", "line s\(line.slot)"), ("d", d)]
            if let dash = line.dash { attributes.append(("stroke-dasharray", dash)) }
            svg.element("path", attributes)
        }
        for line in lines {
            guard let marker = line.marker, !line.markerPoints.isEmpty else { continue }
            let d = line.markerPoints.compactMap { p in point(p.x, p.y).map { marker.path(x: $0.0, y: $0.1, size: 6) } }.joined()
            guard !d.isEmpty else { continue }
            svg.element("path", [("class", marker.isStrokeOnly ? "mark-open s\(line.slot)" : "mark f\(line.slot)"), ("d", d)])
        }
    }

    /// Named points, and crosses with labels where runs stopped; labels are
    /// placed greedily so they do not overlap.
    private func drawAnnotations(_ svg: inout SVGBuilder, _ lines: [PreparedLine], xMap: ScaleMap, yMap: ScaleMap, plot: Rect) {
        var placer = LabelPlacer(bounds: Rect(x: plot.x + 2, y: plot.y - 2, width: plot.width - 2, height: plot.height))
        for line in lines {
            for run in line.segments {
                placer.avoid(polyline: run.map { p in xMap.position(p.x).flatMap { x in yMap.position(p.y).map { (x, $0) } } })
            }
        }
        var labels: [(x: Double, y: Double, anchor: String, text: String)] = []
        for line in lines {
            guard let stop = line.stop, let px = xMap.position(stop.x), let py = yMap.position(stop.y) else { continue }
            svg.element("path", [("class", "stop-mark s\(line.slot)"), ("d", MarkerShape.cross.path(x: px, y: py, size: 9))])
            placer.occupy(Rect(x: px - 6, y: py - 6, width: 12, height: 12))
            if let spot = placer.place(stop.label, size: ChartTheme.tickSize, nearX: px, y: py, gap: 9, rightFirst: true) {
                labels.append((spot.x, spot.y, spot.anchor, stop.label))
            }
        }
        for line in lines {
            var d = ""
            for mark in line.marks {
                guard let px = xMap.position(mark.x), let py = yMap.position(mark.y) else { continue }
                d += MarkerShape.circle.path(x: px, y: py, size: 7.5)
                placer.occupy(Rect(x: px - 4, y: py - 4, width: 8, height: 8))
            }
            if !d.isEmpty { svg.element("path", [("class", "point-mark f\(line.slot)"), ("d", d)]) }
        }
        for line in lines {
            for mark in line.marks where !mark.label.isEmpty {
                guard let px = xMap.position(mark.x), let py = yMap.position(mark.y),
                      let spot = placer.place(mark.label, size: ChartTheme.tickSize, nearX: px, y: py) else { continue }
                labels.append((spot.x, spot.y, spot.anchor, mark.label))
            }
        }
        guard !labels.isEmpty else { return }
        svg.open("g", [("class", "halo")])
        for label in labels {
            svg.element("text", [("x", NumberFormatting.coordinate(label.x)), ("y", NumberFormatting.coordinate(label.y)),
                                 ("text-anchor", label.anchor)], text: label.text)
        }
        svg.close()
    }
}
