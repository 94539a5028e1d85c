/// A decision-boundary map: the class a model predicts over a grid, with
/// labelled points on top.
///
/// Class regions are vector paths, one `<path>` per class whose subpaths are
/// the traced outlines of its regions (never one element per cell). Points are
/// coloured by their true class; misclassified points carry a ring. Regions
/// large enough carry their class name (or, when the name does not fit, the
/// class id shown in the legend) at an interior point. Colours come from a
/// 48-colour Glasbey-style set (``Palette/classes``).
///
/// Size: a 300×300 grid with 33 irregular classes and 5,000 points stays under
/// 300 KB; beyond ``maxPoints`` points a deterministic, evenly spaced subset is
/// drawn and the figure says so.
public struct DecisionMap: Sendable, Equatable {
    /// Prefix of every id in the SVG.
    public var id: String
    public var title: String
    /// Whether the title is drawn in the figure (it is always the SVG `<title>`); turn it
    /// off when the page shows the title as a caption.
    public var showsTitle: Bool
    /// The SVG `<desc>`; `nil` writes one from the classes and counts.
    public var summary: String?
    /// Predicted class per grid cell.
    public var grid: ClassGrid
    /// Name of each class id (0-based); a class without a name is called by its id.
    public var classNames: [String]
    public var points: [LabeledPoint]
    /// What the points are, for the legend and notes ("test points").
    public var pointsName: String
    public var x: Axis
    public var y: Axis
    /// At most this many points are drawn.
    public var maxPoints: Int
    /// Pixels per y unit divided by pixels per x unit; e.g. 1 / cos(53°) for
    /// longitude and latitude around 53°N. Default 1.
    public var aspectRatio: Double
    /// Width of the map itself in px; its height follows from the aspect ratio.
    public var mapWidth: Double
    public var notes: [String]

    public init(id: String, title: String, summary: String? = nil, grid: ClassGrid, classNames: [String],
                points: [LabeledPoint], pointsName: String = "points",
                x: Axis = Axis("Longitude", unit: "°E"), y: Axis = Axis("Latitude", unit: "°N"),
                maxPoints: Int = 5000, aspectRatio: Double = 1, mapWidth: Double = 600, notes: [String] = [],
                showsTitle: Bool = true) {
        self.id = id
        self.title = title
        self.showsTitle = showsTitle
        self.summary = summary
        self.grid = grid
        self.classNames = classNames
        self.points = points
        self.pointsName = pointsName
        self.x = x
        self.y = y
        self.maxPoints = maxPoints
        self.aspectRatio = aspectRatio
        self.mapWidth = mapWidth
        self.notes = notes
    }
}

/// Class ids on a regular grid over a bounding box.
///
/// Cell `(column, row)` covers `x ∈ [xMin + column·dx, xMin + (column+1)·dx]`
/// and `y ∈ [yMin + row·dy, …]` with `dx = (xMax − xMin) / columns`; row 0 is
/// the bottom row (smallest y), as with `meshgrid` over increasing y. Evaluate
/// the model at cell centres. A negative id (or one without a class) leaves
/// the cell empty.
public struct ClassGrid: Sendable, Equatable {
    public var columns: Int
    public var rows: Int
    /// `columns × rows` class ids, row by row from the bottom.
    public var classes: [Int]
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>

    public init(columns: Int, rows: Int, classes: [Int], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>) {
        self.columns = columns
        self.rows = rows
        self.classes = classes
        self.xRange = xRange
        self.yRange = yRange
    }

    /// The id at (column, row), or -1 outside the grid or the data.
    func classID(column: Int, row: Int) -> Int {
        guard column >= 0, column < columns, row >= 0, row < rows else { return -1 }
        let index = row * columns + column
        return index < classes.count ? classes[index] : -1
    }

    /// Whether the grid has the shape it claims and a usable box.
    var isUsable: Bool {
        columns > 0 && rows > 0 && classes.count >= columns * rows
            && xRange.lowerBound.isFinite && xRange.upperBound.isFinite && xRange.upperBound > xRange.lowerBound
            && yRange.lowerBound.isFinite && yRange.upperBound.isFinite && yRange.upperBound > yRange.lowerBound
    }
}

/// A data point with its true class and, optionally, the predicted one.
public struct LabeledPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var trueClass: Int
    /// `nil` when unknown; a point is misclassified when this differs from `trueClass`.
    public var predictedClass: Int?

    public init(x: Double, y: Double, trueClass: Int, predictedClass: Int? = nil) {
        self.x = x
        self.y = y
        self.trueClass = trueClass
        self.predictedClass = predictedClass
    }

    var isMisclassified: Bool {
        predictedClass.map { $0 != trueClass } ?? false
    }
}
