/// Pieces every chart shares: title, notes, clipping, paths, label placement.
enum FigureParts {
    static let margin = 12.0
    static let titleBlock = 26.0
    static let noteLineHeight = 14.0

    /// Height the title takes at the top of the figure.
    static func titleHeight(_ title: String) -> Double {
        title.isEmpty ? 0 : titleBlock
    }

    static func drawTitle(_ svg: inout SVGBuilder, _ title: String, centerX: Double, width: Double) {
        guard !title.isEmpty else { return }
        let text = TextMetrics.truncate(title, maxWidth: width - 2 * margin, size: ChartTheme.titleSize, bold: true)
        svg.element("text", [("class", "title"), ("text-anchor", "middle"),
                             ("x", NumberFormatting.coordinate(centerX)), ("y", NumberFormatting.coordinate(margin + 12))],
                    text: text)
    }

    /// Notes wrapped to `width` px, one array element per printed line.
    static func noteLines(_ notes: [String], width: Double) -> [String] {
        notes.flatMap { TextMetrics.wrap($0, maxWidth: width, size: ChartTheme.noteSize) }
    }

    static func drawNotes(_ svg: inout SVGBuilder, _ lines: [String], x: Double, y: Double) {
        guard !lines.isEmpty else { return }
        svg.open("g", [("class", "note")])
        for (index, line) in lines.enumerated() {
            svg.element("text", [("class", "muted"), ("x", NumberFormatting.coordinate(x)),
                                 ("y", NumberFormatting.coordinate(y + 10 + Double(index) * noteLineHeight))], text: line)
        }
        svg.close()
    }

    /// A clip path named `id-clip` around `rect` grown by `pad` px.
    static func defineClip(_ svg: inout SVGBuilder, id: String, rect: Rect, pad: Double) {
        let c = NumberFormatting.coordinate
        svg.open("defs")
        svg.open("clipPath", [("id", "\(id)-clip")])
        svg.element("rect", [("x", c(rect.x - pad)), ("y", c(rect.y - pad)),
                             ("width", c(rect.width + 2 * pad)), ("height", c(rect.height + 2 * pad))])
        svg.close()
        svg.close()
    }

    /// Path data through `points`, lifting the pen where a point is `nil`.
    static func polyline(_ points: [(Double, Double)?]) -> String {
        let c = NumberFormatting.coordinate
        var d = ""
        d.reserveCapacity(points.count * 12)
        var penDown = false
        var continuing = false
        for point in points {
            guard let (x, y) = point else {
                penDown = false
                continue
            }
            if !penDown {
                d += "M" + c(x) + " " + c(y)
                penDown = true
                continuing = false
            } else {
                d += (continuing ? " " : "L") + c(x) + " " + c(y)
                continuing = true
            }
        }
        return d
    }
}

/// Greedy placement of text labels so they overlap neither each other nor
/// anything registered as occupied, and cross no drawn line where a spot
/// clear of lines exists.
struct LabelPlacer {
    private(set) var occupied: [Rect] = []
    /// Drawn line segments, in px.
    private var segments: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
    let bounds: Rect

    init(bounds: Rect) {
        self.bounds = bounds
    }

    mutating func occupy(_ rect: Rect) {
        occupied.append(rect)
    }

    /// Registers a drawn line (a `nil` lifts the pen) for labels to keep off.
    mutating func avoid(polyline points: [(Double, Double)?]) {
        for (a, b) in zip(points, points.dropFirst()) {
            guard let a, let b else { continue }
            segments.append((a.0, a.1, b.0, b.1))
        }
    }

    /// Places `text` near (x, y): above, above right, right, above left, below, then left.
    /// Returns the text's anchor point and `text-anchor`, or nil if no spot is free.
    /// A spot that crosses a registered line is taken only when every spot does.
    mutating func place(_ text: String, size: Double, nearX x: Double, y: Double,
                        gap: Double = 7, rightFirst: Bool = false) -> (x: Double, y: Double, anchor: String)? {
        let width = TextMetrics.width(text, size: size)
        let height = size * 1.1
        var candidates: [(Double, Double, String)] = [
            (x, y - gap, "middle"),
            (x + gap * 0.7, y - gap * 0.7, "start"),
            (x + gap, y + size * 0.35, "start"),
            (x - gap * 0.7, y - gap * 0.7, "end"),
            (x, y + gap + size * 0.8, "middle"),
            (x + gap * 0.7, y + gap * 0.7 + size * 0.8, "start"),
            (x - gap * 0.7, y + gap * 0.7 + size * 0.8, "end"),
            (x - gap, y + size * 0.35, "end"),
            (x, y - gap - height, "middle"),
        ]
        if rightFirst { candidates.swapAt(0, 2) }
        let free = candidates.compactMap { tx, ty, anchor -> (x: Double, y: Double, anchor: String, box: Rect)? in
            let left = anchor == "start" ? tx : anchor == "end" ? tx - width : tx - width / 2
            let box = Rect(x: left - 1, y: ty - size * 0.85, width: width + 2, height: height)
            guard bounds.contains(box), !occupied.contains(where: { $0.intersects(box) }) else { return nil }
            return (tx, ty, anchor, box)
        }
        guard let spot = free.first(where: { spot in !segments.contains { spot.box.intersects(segment: $0) } })
            ?? free.first else { return nil }
        occupied.append(spot.box)
        return (spot.x, spot.y, spot.anchor)
    }
}

extension Rect {
    /// Whether the segment from (x0, y0) to (x1, y1) passes through this
    /// rectangle (Liang-Barsky clipping).
    func intersects(segment s: (x0: Double, y0: Double, x1: Double, y1: Double)) -> Bool {
        let dx = s.x1 - s.x0
        let dy = s.y1 - s.y0
        var t0 = 0.0
        var t1 = 1.0
        for (p, q) in [(-dx, s.x0 - x), (dx, maxX - s.x0), (-dy, s.y0 - y), (dy, maxY - s.y0)] {
            if p == 0 {
                if q < 0 { return false }
                continue
            }
            let t = q / p
            if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
            if t0 > t1 { return false }
        }
        return true
    }
}

extension LineChart {
    var visibleTitle: String { showsTitle ? title : "" }
}

extension BarChart {
    var visibleTitle: String { showsTitle ? title : "" }
}

extension DecisionMap {
    var visibleTitle: String { showsTitle ? title : "" }
}

extension ImageGrid {
    var visibleTitle: String { showsTitle ? title : "" }
}
