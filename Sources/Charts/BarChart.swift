/// A grouped bar chart: one group per category (model or method), one bar per
/// series in each group (train / validation / test), each bar with its value
/// written on it.
///
/// The value axis is linear and always includes 0 (bar lengths must be
/// comparable). Optional error bars (e.g. a 95% interval over seeds). A
/// missing or non-finite value draws no bar and says "n/a".
public struct BarChart: Sendable, Equatable {
    /// Prefix of every id in the SVG.
    public var id: String
    public var title: String
    /// Whether the title is drawn in the figure (it is always the SVG `<title>`); turn it
    /// off when the page shows the title as a caption.
    public var showsTitle: Bool
    /// The SVG `<desc>`; `nil` writes one listing every value.
    public var summary: String?
    /// Group names along the x axis.
    public var categories: [String]
    /// Title of the x axis (the groups), e.g. "Method".
    public var categoryTitle: String
    /// The value axis (linear; `scale` is ignored).
    public var y: Axis
    public var series: [BarSeries]
    public var valueFormat: ValueFormat
    public var legendTitle: String?
    public var legend: LegendPlacement
    public var width: Double
    public var height: Double
    public var notes: [String]

    public init(id: String, title: String, summary: String? = nil, categories: [String], categoryTitle: String = "",
                y: Axis, series: [BarSeries], valueFormat: ValueFormat = .automatic, legendTitle: String? = nil,
                legend: LegendPlacement = .automatic, width: Double = 720, height: Double = 400, notes: [String] = [],
                showsTitle: Bool = true) {
        self.id = id
        self.title = title
        self.showsTitle = showsTitle
        self.summary = summary
        self.categories = categories
        self.categoryTitle = categoryTitle
        self.y = y
        self.series = series
        self.valueFormat = valueFormat
        self.legendTitle = legendTitle
        self.legend = legend
        self.width = width
        self.height = height
        self.notes = notes
    }
}

/// The bars of one series, one value per category.
public struct BarSeries: Sendable, Equatable {
    public var name: String
    /// One value per category; `.nan` for a missing one.
    public var values: [Double]
    /// Optional error bars, aligned with `values`.
    public var lower: [Double]?
    public var upper: [Double]?
    /// Palette slot (0-based) instead of the series index.
    public var colorSlot: Int?

    public init(name: String, values: [Double], lower: [Double]? = nil, upper: [Double]? = nil, colorSlot: Int? = nil) {
        self.name = name
        self.values = values
        self.lower = lower
        self.upper = upper
        self.colorSlot = colorSlot
    }
}

/// How values written on bars are formatted.
public enum ValueFormat: Sendable, Equatable {
    /// Three significant digits.
    case automatic
    /// A fraction as a percentage with this many decimals (0.934 → "93.4%").
    case percent(decimals: Int)
    /// Fixed decimals.
    case decimals(Int)

    func format(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        switch self {
        case .automatic: return NumberFormatting.minusSign(NumberFormatting.significant(value).plain)
        case .percent(let decimals):
            return NumberFormatting.minusSign(NumberFormatting.fixed(value * 100, decimals: decimals)) + "%"
        case .decimals(let decimals): return NumberFormatting.minusSign(NumberFormatting.fixed(value, decimals: decimals))
        }
    }
}

extension BarChart {
    /// The chart as a standalone SVG document; identical input gives identical bytes.
    public func render() -> String {
        let figureID = FigureID.sanitize(id)
        let slots = series.enumerated().map { ($1.colorSlot ?? $0) % Palette.series.count + 1 }
        var values: [Double] = [0]
        for bars in series {
            values += bars.values + (bars.lower ?? []) + (bars.upper ?? [])
        }
        var valueAxis = y
        valueAxis.scale = .linear
        valueAxis.includesZero = true
        let yModel = AxisModel.resolve(valueAxis, values: values, targetTicks: min(max(Int((height - 120) / 55), 4), 7))
        let xModel = AxisModel.resolve(Axis(categoryTitle, scale: .categorical(categories)), values: [], targetTicks: 4)

        // 12 px more above the plot, for value labels over the tallest bars.
        let layout = CartesianLayout(
            width: width, height: height, top: FigureParts.margin + FigureParts.titleHeight(visibleTitle) + 12,
            xModel: xModel, yModel: yModel, reservedLabelLines: 2, legendTitle: legendTitle,
            legendEntries: series.indices.map { LegendEntry(swatch: .box(slot: slots[$0]), text: series[$0].name) },
            placement: legend, notes: notes)
        let (plot, xMap, yMap) = (layout.plot, layout.xMap, layout.yMap)

        var style = StyleSheet(figureID: figureID)
        style.add(" .bar", "stroke:none")
        style.add(" .error", StyleSheet.themed("stroke", "fg", ChartTheme.foreground), "stroke-width:1.2px", "fill:none")
        style.add(" .value", "font-size:10px")
        style.add(" .inside text", StyleSheet.themed("fill", "bg", ChartTheme.background))
        style.addSeriesColors(count: slots.max() ?? 1)

        var svg = SVGBuilder()
        FigureDocument.begin(&svg, id: figureID, width: width, height: layout.height, title: title,
                             description: summary ?? describe(yModel: yModel), style: style)
        FigureParts.drawTitle(&svg, visibleTitle, centerX: plot.x + plot.width / 2, width: width)
        AxisRenderer.drawGrid(&svg, yModel, yMap, plot: plot, side: .left)
        drawBars(&svg, slots: slots, xMap: xMap, yMap: yMap)
        AxisRenderer.draw(&svg, yModel, yMap, plot: plot, side: .left)
        AxisRenderer.draw(&svg, xModel, xMap, plot: plot, side: .bottom, labelLines: layout.labelLines)
        layout.drawLegendAndNotes(&svg)
        svg.close()
        return svg.finish()
    }

    private func drawBars(_ svg: inout SVGBuilder, slots: [Int], xMap: ScaleMap, yMap: ScaleMap) {
        let c = NumberFormatting.coordinate
        let band = xMap.bandWidth
        let barWidth = band * 0.8 / Double(max(series.count, 1))
        guard let zero = yMap.position(0) else { return }
        // One orientation for all value labels: horizontal above the bars when
        // every label fits over its bar, else vertical (inside long bars).
        let vertical = series.contains { bars in
            bars.values.contains { TextMetrics.width(valueFormat.format($0), size: 10) > barWidth + 6 }
        }
        var labels: [(attributes: SVGBuilder.Attributes, text: String)] = []
        var insideLabels: [(attributes: SVGBuilder.Attributes, text: String)] = []
        var errors = ""
        for (index, bars) in series.enumerated() {
            var d = ""
            for group in categories.indices {
                guard let centre = xMap.position(Double(group)) else { continue }
                let left = centre - band * 0.4 + Double(index) * barWidth
                let middle = left + barWidth / 2
                let value = group < bars.values.count ? bars.values[group] : .nan
                guard let end = yMap.position(value) else {
                    labels.append((vertical
                        ? [("class", "muted"), ("transform", "translate(\(c(middle + 3.5)) \(c(zero - 4))) rotate(-90)")]
                        : [("class", "muted"), ("text-anchor", "middle"), ("x", c(middle)), ("y", c(zero - 4))], "n/a"))
                    continue
                }
                // Bars get a hairline of space between neighbours.
                d += "M\(c(left + 0.5)) \(c(zero))V\(c(end))h\(c(max(barWidth - 1, 0.5)))V\(c(zero))z"
                var above = min(end, zero)
                var insideStart = end
                if let lo = bars.lower?[safe: group], let hi = bars.upper?[safe: group],
                   let y0 = yMap.position(lo), let y1 = yMap.position(hi) {
                    let cap = min(barWidth * 0.25, 5)
                    errors += "M\(c(middle)) \(c(y0))V\(c(y1))M\(c(middle - cap)) \(c(y0))h\(c(2 * cap))"
                        + "M\(c(middle - cap)) \(c(y1))h\(c(2 * cap))"
                    above = min(above, y0, y1)
                    insideStart = max(end, y0, y1)
                }
                let text = valueFormat.format(value)
                let textWidth = TextMetrics.width(text, size: 10)
                if !vertical {
                    let y = value < 0 ? max(end, zero) + 12 : above - 4
                    labels.append(([("text-anchor", "middle"), ("x", c(middle)), ("y", c(y))], text))
                } else if value >= 0 && zero - insideStart >= textWidth + 8 {
                    insideLabels.append(([("text-anchor", "end"),
                                          ("transform", "translate(\(c(middle + 3.5)) \(c(insideStart + 4))) rotate(-90)")], text))
                } else if value < 0 {
                    labels.append(([("text-anchor", "end"),
                                    ("transform", "translate(\(c(middle + 3.5)) \(c(max(end, zero) + 4))) rotate(-90)")], text))
                } else {
                    labels.append(([("transform", "translate(\(c(middle + 3.5)) \(c(above - 4))) rotate(-90)")], text))
                }
            }
            if !d.isEmpty { svg.element("path", [("class", "bar f\(slots[index])"), ("d", d)]) }
        }
        if !errors.isEmpty { svg.element("path", [("class", "error"), ("d", errors)]) }
        for (group, className) in [(labels, "value"), (insideLabels, "value inside")] where !group.isEmpty {
            svg.open("g", [("class", className)])
            for label in group {
                svg.element("text", label.attributes, text: label.text)
            }
            svg.close()
        }
    }

    private func describe(yModel: AxisModel) -> String {
        var text = "Grouped bar chart. Y axis: \(yModel.spec.label), \(yModel.domainDescription). "
        for (group, category) in categories.enumerated() {
            let parts = series.map { bars in
                "\(bars.name) \(valueFormat.format(group < bars.values.count ? bars.values[group] : .nan))"
            }
            text += "\(category): " + parts.joined(separator: ", ") + ". "
        }
        return text + notes.joined(separator: " ")
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
