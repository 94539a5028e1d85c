/// Where a chart puts its legend. The legend never overlaps the data: it sits
/// outside the plot area.
public enum LegendPlacement: Sendable, Equatable {
    /// Right of the plot when it fits in about a third of the width, below otherwise.
    case automatic
    case right
    case bottom
    case hidden
}

/// What a legend entry shows before its text.
enum LegendSwatch: Equatable {
    /// A line in series colour slot `slot` (1-based), with dash and marker; on a
    /// shaded rectangle when the series has a band.
    case line(slot: Int, dash: String?, marker: MarkerShape?, band: Bool)
    /// A neutral shaded rectangle, for "shaded: 95% interval".
    case shade
    /// A filled box in series colour slot `slot` (bars).
    case box(slot: Int)
    /// A filled box in the colour of class `classID` (decision maps).
    case classBox(classID: Int)
    /// A point symbol: filled dot, or dot with a ring for misclassified points.
    case point(ring: Bool)
    /// A cross marker (a series that stopped early).
    case stop
    /// No swatch: a heading or explanation line.
    case none
}

struct LegendEntry: Equatable {
    var swatch: LegendSwatch
    var text: String
}

/// A laid-out legend: one or more columns on the right of the plot (top to
/// bottom, then left to right), or rows that wrap below it.
struct Legend {
    static let swatchWidth = 24.0
    static let gap = 6.0
    static let rowHeight = 16.0
    static let maxRightTextWidth = 210.0
    static let columnGap = 18.0

    let title: String?
    let entries: [LegendEntry]
    let maxTextWidth: Double
    /// Top-left corner of each entry, relative to the legend's origin below its title.
    private(set) var offsets: [(x: Double, y: Double)] = []
    private(set) var width = 0.0
    private(set) var height = 0.0

    /// A legend in `columns` columns of equal width.
    init(title: String?, entries: [LegendEntry], columns: Int, maxTextWidth: Double = Legend.maxRightTextWidth) {
        self.title = title
        self.entries = entries
        self.maxTextWidth = maxTextWidth
        let columns = max(1, min(columns, entries.count))
        let rows = entries.isEmpty ? 0 : (entries.count + columns - 1) / columns
        let columnWidth = entries.map(entryWidth).max() ?? 0
        offsets = entries.indices.map { index in
            (Double(index / max(rows, 1)) * (columnWidth + Self.columnGap), Double(index % max(rows, 1)) * Self.rowHeight)
        }
        width = max(Double(columns) * columnWidth + Double(columns - 1) * Self.columnGap, titleWidth)
        height = Double(rows + (title == nil ? 0 : 1)) * Self.rowHeight
    }

    /// A legend whose entries flow left to right in rows at most `rowWidth` px wide.
    init(title: String?, entries: [LegendEntry], rowWidth: Double) {
        self.title = title
        self.entries = entries
        maxTextWidth = rowWidth - Self.swatchWidth - Self.gap
        var x = 0.0
        var row = 0
        for entry in entries {
            let w = entryWidth(entry)
            if x > 0 && x + w > rowWidth {
                row += 1
                x = 0
            }
            offsets.append((x, Double(row) * Self.rowHeight))
            width = max(width, x + w)
            x += w + Self.columnGap
        }
        width = max(width, titleWidth)
        height = Double((entries.isEmpty ? 0 : row + 1) + (title == nil ? 0 : 1)) * Self.rowHeight
    }

    private var titleWidth: Double {
        title.map { min(TextMetrics.width($0, size: ChartTheme.legendSize, bold: true), maxTextWidth) } ?? 0
    }

    private func entryWidth(_ entry: LegendEntry) -> Double {
        let text = min(TextMetrics.width(entry.text, size: ChartTheme.legendSize), maxTextWidth)
        return (entry.swatch == .none ? 0 : Self.swatchWidth + Self.gap) + text
    }

    /// Chooses right or bottom placement for a figure `figureWidth` wide whose
    /// plot is about `plotHeight` tall. Right only when no text would be cut.
    static func layout(title: String?, entries: [LegendEntry], placement: LegendPlacement,
                       figureWidth: Double, plotHeight: Double) -> (legend: Legend, onRight: Bool)? {
        guard placement != .hidden, !entries.isEmpty else { return nil }
        let single = Legend(title: title, entries: entries, columns: 1)
        let truncated = entries.contains { TextMetrics.width($0.text, size: ChartTheme.legendSize) > maxRightTextWidth }
        let fitsRight = !truncated && single.width <= figureWidth * 0.34 && single.height <= plotHeight + 40
        if placement == .right || (placement == .automatic && fitsRight) {
            if single.height > plotHeight + 40 {
                let columns = Int((single.height / max(plotHeight, 1)).rounded(.up))
                return (Legend(title: title, entries: entries, columns: columns), true)
            }
            return (single, true)
        }
        return (Legend(title: title, entries: entries, rowWidth: figureWidth - 40), false)
    }

    /// Draws the legend with its top-left corner at (x, y).
    func draw(_ svg: inout SVGBuilder, x: Double, y: Double) {
        let c = NumberFormatting.coordinate
        svg.open("g", [("class", "legend")])
        var top = y
        if let title {
            svg.element("text", [("x", c(x)), ("y", c(top + 11)), ("font-weight", "bold")],
                        text: TextMetrics.truncate(title, maxWidth: max(width, maxTextWidth), size: ChartTheme.legendSize,
                                                   bold: true))
            top += Self.rowHeight
        }
        for (entry, offset) in zip(entries, offsets) {
            let left = x + offset.x
            let middle = top + offset.y + Self.rowHeight / 2
            drawSwatch(&svg, entry.swatch, x: left, y: middle)
            let textX = entry.swatch == .none ? left : left + Self.swatchWidth + Self.gap
            let text = TextMetrics.truncate(entry.text, maxWidth: maxTextWidth, size: ChartTheme.legendSize)
            svg.element("text", [("x", c(textX)), ("y", c(middle + ChartTheme.legendSize * 0.35))], text: text)
        }
        svg.close()
    }

    private func drawSwatch(_ svg: inout SVGBuilder, _ swatch: LegendSwatch, x: Double, y: Double) {
        let c = NumberFormatting.coordinate
        let w = Self.swatchWidth
        switch swatch {
        case .line(let slot, let dash, let marker, let band):
            if band {
                svg.element("rect", [("class", "f\(slot) band"), ("x", c(x)), ("y", c(y - 6)), ("width", c(w)), ("height", "12")])
            }
            var attributes: SVGBuilder.Attributes = [("class", "line s\(slot)"), ("d", "M\(c(x)) \(c(y))h\(c(w))")]
            if let dash { attributes.append(("stroke-dasharray", dash)) }
            svg.element("path", attributes)
            if let marker {
                svg.element("path", [("class", marker.isStrokeOnly ? "mark-open s\(slot)" : "mark f\(slot)"),
                                     ("d", marker.path(x: x + w / 2, y: y, size: 6))])
            }
        case .shade:
            svg.element("rect", [("class", "shade"), ("x", c(x)), ("y", c(y - 6)), ("width", c(w)), ("height", "12")])
        case .box(let slot):
            svg.element("rect", [("class", "f\(slot)"), ("x", c(x + 5)), ("y", c(y - 6)), ("width", "14"), ("height", "12")])
        case .classBox(let classID):
            svg.element("rect", [("class", "c\(classID)"), ("x", c(x + 6)), ("y", c(y - 6)), ("width", "12"), ("height", "12")])
        case .point(let ring):
            let d = "M\(c(x + w / 2)) \(c(y))h0"
            if ring {
                svg.element("path", [("class", "lg-ring"), ("d", d)])
                svg.element("path", [("class", "lg-gap"), ("d", d)])
            }
            svg.element("path", [("class", "lg-dot"), ("d", d)])
        case .stop:
            svg.element("path", [("class", "stop"), ("d", MarkerShape.cross.path(x: x + w / 2, y: y, size: 8))])
        case .none:
            break
        }
    }
}
