/// A rectangle in px.
struct Rect: Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var maxX: Double { x + width }
    var maxY: Double { y + height }

    func intersects(_ other: Rect) -> Bool {
        x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
    }

    func contains(_ other: Rect) -> Bool {
        other.x >= x && other.maxX <= maxX && other.y >= y && other.maxY <= maxY
    }
}

/// Draws the axes of a plot: grid, spine, ticks, tick labels, title.
enum AxisRenderer {
    enum Side { case bottom, left }

    static let tickLength = 5.0
    static let minorTickLength = 3.0
    static let labelGap = 3.0
    static let lineHeight = 13.0

    /// Room left of the plot for a y axis: ticks, labels and the rotated title.
    static func leftExtent(_ model: AxisModel) -> Double {
        let widest = model.labels.map { $0.width(size: ChartTheme.tickSize) }.max() ?? 0
        let zeroLabel = model.hasZeroSlot ? TextMetrics.width("0", size: ChartTheme.tickSize) : 0
        let title = model.spec.label.isEmpty ? 0 : ChartTheme.labelSize + 8
        return tickLength + labelGap + max(widest, zeroLabel) + 6 + title
    }

    /// Lines of tick labels under an x axis (categorical labels may wrap to two).
    static func bottomLabelLines(_ model: AxisModel, map: ScaleMap) -> [[String]] {
        guard case .categorical = model.kind else { return model.labels.map { [$0.plain] } }
        let room = max(map.bandWidth - 4, 20)
        return model.labels.map { TextMetrics.wrap($0.base, maxWidth: room, size: ChartTheme.tickSize, maxLines: 2) }
    }

    /// Room under the plot for an x axis: ticks, labels and title.
    static func bottomExtent(_ model: AxisModel, labelLineCount: Int) -> Double {
        let title = model.spec.label.isEmpty ? 0 : ChartTheme.labelSize + 8
        return tickLength + labelGap + Double(max(labelLineCount, 1)) * lineHeight + 2 + title
    }

    /// Grid lines at the labelled ticks (none across categories).
    static func drawGrid(_ svg: inout SVGBuilder, _ model: AxisModel, _ map: ScaleMap, plot: Rect, side: Side) {
        if case .categorical = model.kind { return }
        let c = NumberFormatting.coordinate
        var d = ""
        var positions = model.ticks.compactMap(map.position)
        if model.hasZeroSlot { positions.append(map.zeroPosition) }
        for position in positions {
            switch side {
            case .left: d += "M\(c(plot.x)) \(c(position))h\(c(plot.width))"
            case .bottom: d += "M\(c(position)) \(c(plot.y))v\(c(plot.height))"
            }
        }
        if !d.isEmpty { svg.element("path", [("class", "grid"), ("d", d)]) }
    }

    /// Spine, ticks, tick labels and title of one axis.
    static func draw(_ svg: inout SVGBuilder, _ model: AxisModel, _ map: ScaleMap, plot: Rect, side: Side,
                     labelLines: [[String]] = []) {
        let c = NumberFormatting.coordinate
        var spine = ""
        var minor = ""
        let breakGap = model.hasZeroSlot ? (map.zeroPosition + map.dataStart) / 2 : nil
        switch side {
        case .left:
            let x = plot.x
            if let gap = breakGap {
                spine += "M\(c(x)) \(c(map.start))V\(c(gap + 3))M\(c(x)) \(c(gap - 3))V\(c(map.end))"
                spine += "M\(c(x - 4)) \(c(gap + 5))l8 -4M\(c(x - 4)) \(c(gap + 1))l8 -4"
            } else {
                spine += "M\(c(x)) \(c(plot.maxY))V\(c(plot.y))"
            }
            for position in model.ticks.compactMap(map.position) { spine += "M\(c(x)) \(c(position))h-\(c(tickLength))" }
            if model.hasZeroSlot { spine += "M\(c(x)) \(c(map.zeroPosition))h-\(c(tickLength))" }
            for position in model.minorTicks.compactMap(map.position) { minor += "M\(c(x)) \(c(position))h-\(c(minorTickLength))" }
        case .bottom:
            let y = plot.maxY
            if let gap = breakGap {
                spine += "M\(c(map.start)) \(c(y))H\(c(gap - 3))M\(c(gap + 3)) \(c(y))H\(c(map.end))"
                spine += "M\(c(gap - 5)) \(c(y + 4))l4 -8M\(c(gap - 1)) \(c(y + 4))l4 -8"
            } else {
                spine += "M\(c(plot.x)) \(c(y))H\(c(plot.maxX))"
            }
            if case .categorical = model.kind {} else {
                for position in model.ticks.compactMap(map.position) { spine += "M\(c(position)) \(c(y))v\(c(tickLength))" }
            }
            if model.hasZeroSlot { spine += "M\(c(map.zeroPosition)) \(c(y))v\(c(tickLength))" }
            for position in model.minorTicks.compactMap(map.position) { minor += "M\(c(position)) \(c(y))v\(c(minorTickLength))" }
        }
        svg.element("path", [("class", "spine"), ("d", spine)])
        if !minor.isEmpty { svg.element("path", [("class", "spine"), ("d", minor)]) }
        drawLabels(&svg, model, map, plot: plot, side: side, labelLines: labelLines)
        drawTitle(&svg, model, plot: plot, side: side, labelLineCount: labelLines.map(\.count).max() ?? 1)
    }

    private static func drawLabels(_ svg: inout SVGBuilder, _ model: AxisModel, _ map: ScaleMap, plot: Rect,
                                   side: Side, labelLines: [[String]]) {
        let c = NumberFormatting.coordinate
        switch side {
        case .left:
            svg.open("g", [("text-anchor", "end")])
            let x = plot.x - tickLength - labelGap
            for (value, label) in zip(model.ticks, model.labels) {
                guard let y = map.position(value) else { continue }
                svg.text(label, [("x", c(x)), ("y", c(y + ChartTheme.tickSize * 0.35))])
            }
            if model.hasZeroSlot {
                svg.text(RichText("0"), [("x", c(x)), ("y", c(map.zeroPosition + ChartTheme.tickSize * 0.35))])
            }
        case .bottom:
            svg.open("g", [("text-anchor", "middle")])
            let baseline = plot.maxY + tickLength + labelGap + ChartTheme.tickSize * 0.85
            for (index, value) in model.ticks.enumerated() {
                guard let x = map.position(value) else { continue }
                if index < labelLines.count, case .categorical = model.kind {
                    for (line, text) in labelLines[index].enumerated() {
                        svg.element("text", [("x", c(x)), ("y", c(baseline + Double(line) * lineHeight))], text: text)
                    }
                } else {
                    svg.text(model.labels[index], [("x", c(x)), ("y", c(baseline))])
                }
            }
            if model.hasZeroSlot {
                svg.text(RichText("0"), [("x", c(map.zeroPosition)), ("y", c(baseline))])
            }
        }
        svg.close()
    }

    private static func drawTitle(_ svg: inout SVGBuilder, _ model: AxisModel, plot: Rect, side: Side, labelLineCount: Int) {
        let title = model.spec.label
        guard !title.isEmpty else { return }
        let c = NumberFormatting.coordinate
        switch side {
        case .left:
            let x = plot.x - leftExtent(model) + ChartTheme.labelSize
            let y = plot.y + plot.height / 2
            let text = TextMetrics.truncate(title, maxWidth: plot.height, size: ChartTheme.labelSize)
            svg.element("text", [("class", "axis-title"), ("text-anchor", "middle"),
                                 ("transform", "translate(\(c(x)) \(c(y))) rotate(-90)")], text: text)
        case .bottom:
            let y = plot.maxY + tickLength + labelGap + Double(labelLineCount) * lineHeight + ChartTheme.labelSize + 4
            let text = TextMetrics.truncate(title, maxWidth: plot.width, size: ChartTheme.labelSize)
            svg.element("text", [("class", "axis-title"), ("text-anchor", "middle"),
                                 ("x", c(plot.x + plot.width / 2)), ("y", c(y))], text: text)
        }
    }
}
