/// A line chart: many series over a linear, logarithmic or categorical x axis.
///
/// Series are told apart by colour (Okabe-Ito) and by dash pattern, and by
/// marker when they have few points. Optional per series: a shaded band (e.g.
/// mean and 95% interval over seeds), named points with labels, exponential
/// smoothing with the raw curve drawn faintly, and an explicit early end (a
/// diverged run ends with a cross and a label, never a silent gap). Series
/// longer than ``maxVerticesPerSeries`` are min/max-decimated for drawing and
/// the figure says so.
///
/// ```swift
/// let chart = LineChart(id: "lr", title: "Validation loss per learning rate",
///                       x: Axis("Epoch"), y: Axis("Validation loss", unit: "nats", scale: .logarithmic),
///                       series: [LineSeries(name: "0.001", x: epochs, y: losses)])
/// let svg = chart.render()
/// ```
public struct LineChart: Sendable, Equatable {
    /// Prefix of every id in the SVG (sanitised to letters, digits, `-`, `_`).
    public var id: String
    /// Shown above the plot and as the SVG `<title>`.
    public var title: String
    /// Whether the title is drawn in the figure (it is always the SVG `<title>`); turn it
    /// off when the page shows the title as a caption.
    public var showsTitle: Bool
    /// The SVG `<desc>`; `nil` writes one from the axes and series.
    public var summary: String?
    public var x: Axis
    public var y: Axis
    public var series: [LineSeries]
    /// A heading above the legend entries, e.g. "Learning rate".
    public var legendTitle: String?
    public var legend: LegendPlacement
    /// Width of the figure in px.
    public var width: Double
    /// Height of the figure in px, before notes and a legend below the plot
    /// are added.
    public var height: Double
    /// Series with more points are min/max-decimated to this many vertices.
    public var maxVerticesPerSeries: Int
    /// Extra lines printed under the plot.
    public var notes: [String]

    public init(id: String, title: String, summary: String? = nil, x: Axis, y: Axis, series: [LineSeries],
                legendTitle: String? = nil, legend: LegendPlacement = .automatic, width: Double = 720,
                height: Double = 420, maxVerticesPerSeries: Int = 2000, notes: [String] = [],
                showsTitle: Bool = true) {
        self.id = id
        self.title = title
        self.showsTitle = showsTitle
        self.summary = summary
        self.x = x
        self.y = y
        self.series = series
        self.legendTitle = legendTitle
        self.legend = legend
        self.width = width
        self.height = height
        self.maxVerticesPerSeries = maxVerticesPerSeries
        self.notes = notes
    }
}

/// One line of a ``LineChart``.
public struct LineSeries: Sendable, Equatable {
    public var name: String
    /// x values; for a categorical x axis, category indices 0, 1, 2, …
    public var x: [Double]
    /// y values, same count as `x`. Non-finite values break the line; trailing
    /// non-finite values end the series with a "diverged" cross and label.
    public var y: [Double]
    /// A shaded interval around the line.
    public var band: Band?
    /// Palette slot (0-based) instead of the series index, e.g. to keep one
    /// setting the same colour across figures.
    public var colorSlot: Int?
    public var dash: DashStyle
    public var marker: MarkerStyle
    /// Named points, each drawn with a marker and a label.
    public var marks: [PointMark]
    /// Label for a run that ended early (e.g. "diverged at epoch 3"); drawn at
    /// the last finite point with a cross.
    public var stopLabel: String?
    /// Exponential smoothing weight in [0, 1) (see ``Smoothing/exponential(_:weight:)``);
    /// the raw values are drawn faintly behind and the weight is printed.
    public var smoothing: Double?

    public init(name: String, x: [Double], y: [Double], band: Band? = nil, colorSlot: Int? = nil,
                dash: DashStyle = .automatic, marker: MarkerStyle = .automatic, marks: [PointMark] = [],
                stopLabel: String? = nil, smoothing: Double? = nil) {
        self.name = name
        self.x = x
        self.y = y
        self.band = band
        self.colorSlot = colorSlot
        self.dash = dash
        self.marker = marker
        self.marks = marks
        self.stopLabel = stopLabel
        self.smoothing = smoothing
    }

    /// A series whose x values are `start, start + 1, …`.
    public init(name: String, y: [Double], startingAt start: Double = 0) {
        self.init(name: name, x: (0..<y.count).map { start + Double($0) }, y: y)
    }
}

/// A shaded interval around a line, e.g. a 95% interval over seeds.
public struct Band: Sendable, Equatable {
    /// Lower and upper edges, aligned with the series' x values.
    public var lower: [Double]
    public var upper: [Double]
    /// What the band means, shown in the legend ("95% interval over 5 seeds").
    public var label: String
    /// The lowest value the quantity can take (0 for a loss or an accuracy): a lower
    /// edge below it is drawn at it, and the legend adds "cut at 0" to the label.
    public var floor: Double?

    public init(lower: [Double], upper: [Double], label: String, floor: Double? = nil) {
        self.lower = lower
        self.upper = upper
        self.label = label
        self.floor = floor
    }

    /// The label with ", cut at 0" when a lower edge reaches below ``floor``.
    var text: String {
        guard let floor, lower.contains(where: { $0 < floor }) else { return label }
        return label + ", cut at " + String(format: "%g", floor)
    }
}

/// A named point on a series: a marker at the series' value at `x` (the
/// nearest data point) with a label.
public struct PointMark: Sendable, Equatable {
    public var x: Double
    /// The label; `nil` writes the y value with 3 significant digits.
    public var label: String?

    public init(x: Double, label: String? = nil) {
        self.x = x
        self.label = label
    }
}

/// Dash pattern of a line.
public enum DashStyle: Sendable, Equatable {
    /// Cycled with the series index.
    case automatic
    case solid, dashed, dotted, dashDot, longDash

    func pattern(seriesIndex: Int) -> String? {
        switch self {
        case .automatic: return Palette.dashes[seriesIndex % Palette.dashes.count]
        case .solid: return nil
        case .dashed: return Palette.dashes[1]
        case .dotted: return Palette.dashes[2]
        case .dashDot: return Palette.dashes[3]
        case .longDash: return Palette.dashes[4]
        }
    }
}

/// Markers on a line's data points.
public enum MarkerStyle: Sendable, Equatable {
    /// A shape cycled with the series index, drawn when the series has at most
    /// 30 points; none on longer series.
    case automatic
    case none
    /// This shape, on every point of short series and on about 12 evenly spaced
    /// points of long ones.
    case shape(MarkerShape)
}
