import Foundation

/// A series turned into what gets drawn, in data coordinates.
struct PreparedLine {
    typealias Point = (x: Double, y: Double)

    var name: String
    /// CSS colour slot, 1-based.
    var slot: Int
    var dash: String?
    var marker: MarkerShape?
    /// Runs of finite points (smoothed, decimated); a break between runs.
    var segments: [[Point]]
    /// The raw values behind a smoothed line, decimated.
    var rawSegments: [[Point]]
    /// Band runs: (x, lower, upper).
    var bandSegments: [[(x: Double, lower: Double, upper: Double)]]
    var bandLabel: String?
    /// The label as the legend words it for this band (``Band/text``: "…, cut at 0"
    /// where its lower edge was cut at its floor).
    var bandText: String?
    /// Points that carry a marker.
    var markerPoints: [Point]
    var marks: [(x: Double, y: Double, label: String)]
    var stop: (x: Double, y: Double, label: String)?
    /// A run that ended before producing any finite value.
    var stopWithoutPoints: String?
    var pointCount: Int
    var decimated: Bool
    var smoothing: Double?

    /// Every y value that is drawn, for the axis domain.
    var yValues: [Double] {
        lineYValues + bandYValues
    }

    /// The y values of the line itself (smoothed and raw).
    var lineYValues: [Double] {
        segments.flatMap { $0.map(\.y) } + rawSegments.flatMap { $0.map(\.y) }
    }

    /// The band's edges.
    var bandYValues: [Double] {
        bandSegments.flatMap { $0.flatMap { [$0.lower, $0.upper] } }
    }

    var xValues: [Double] {
        segments.flatMap { $0.map(\.x) } + bandSegments.flatMap { $0.map(\.x) }
    }

    init(_ series: LineSeries, index: Int, xAxis: Axis, maxVertices: Int) {
        let n = min(series.x.count, series.y.count)
        let xs = Array(series.x.prefix(n))
        let rawY = Array(series.y.prefix(n))
        let drawnY = series.smoothing.map { Smoothing.exponential(rawY, weight: $0) } ?? rawY
        name = series.name
        slot = (series.colorSlot ?? index) % Palette.series.count + 1
        dash = series.dash.pattern(seriesIndex: index)
        pointCount = n
        smoothing = series.smoothing

        let lastFinite = (0..<n).last { xs[$0].isFinite && rawY[$0].isFinite }
        let runs = Self.finiteRuns(xs, drawnY, upTo: lastFinite.map { $0 + 1 } ?? 0)
        let finiteCount = runs.reduce(0) { $0 + $1.count }
        let budget = max(maxVertices, 4)
        decimated = finiteCount > budget
        segments = runs.map { run in Self.decimate(run, xs, drawnY, budget: budget, of: finiteCount,
                                                             logarithmicX: xAxis.scale == .logarithmic) }
        if series.smoothing != nil {
            let rawRuns = Self.finiteRuns(xs, rawY, upTo: lastFinite.map { $0 + 1 } ?? 0)
            rawSegments = rawRuns.map { run in Self.decimate(run, xs, rawY, budget: budget, of: finiteCount,
                                                                   logarithmicX: xAxis.scale == .logarithmic) }
        } else {
            rawSegments = []
        }
        bandSegments = []
        bandLabel = nil
        bandText = nil
        if let band = series.band {
            bandLabel = band.label
            bandText = band.text
            bandSegments = Self.bandRuns(xs, band, count: n, budget: budget)
        }

        let markerShape: MarkerShape?
        switch series.marker {
        case .automatic: markerShape = n <= 30 ? Palette.markers[index % Palette.markers.count] : nil
        case .none: markerShape = nil
        case .shape(let shape): markerShape = shape
        }
        marker = markerShape
        let drawn = segments.flatMap { $0 }
        if markerShape == nil {
            markerPoints = []
        } else if drawn.count <= 30 {
            markerPoints = drawn
        } else {
            // About 12 markers, shifted per series so markers of different series do not coincide.
            let step = Double(drawn.count) / 12
            let phase = step * Double(index % 4) / 4
            markerPoints = stride(from: phase, to: Double(drawn.count), by: step).map { drawn[Int($0)] }
        }

        marks = series.marks.compactMap { mark in
            guard mark.x.isFinite else { return nil }
            var best: Int?
            for i in 0..<n where xs[i].isFinite && drawnY[i].isFinite {
                if best == nil || abs(xs[i] - mark.x) < abs(xs[best!] - mark.x) { best = i }
            }
            guard let i = best else { return nil }
            return (xs[i], drawnY[i], mark.label ?? NumberFormatting.significant(drawnY[i]).plain)
        }

        stop = nil
        stopWithoutPoints = nil
        let endedEarly = lastFinite.map { $0 < n - 1 } ?? (n > 0)
        let label = series.stopLabel ?? (endedEarly ? Self.autoStopLabel(xs, after: lastFinite, axis: xAxis) : nil)
        if let label {
            if let last = lastFinite {
                stop = (xs[last], drawnY[last].isFinite ? drawnY[last] : rawY[last], label)
            } else {
                stopWithoutPoints = label
            }
        }
    }

    /// "diverged at epoch 4": the x of the first non-finite value after the last finite one.
    private static func autoStopLabel(_ xs: [Double], after last: Int?, axis: Axis) -> String {
        let first = (last ?? -1) + 1
        let unit = axis.title.isEmpty ? "x =" : axis.title.lowercased()
        guard first < xs.count, xs[first].isFinite else { return "diverged" }
        return "diverged at \(unit) \(NumberFormatting.significant(xs[first], digits: 6).plain)"
    }

    /// Index ranges of consecutive finite (x, y) pairs below `end`.
    private static func finiteRuns(_ xs: [Double], _ ys: [Double], upTo end: Int) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start: Int?
        for i in 0..<end {
            let finite = xs[i].isFinite && ys[i].isFinite
            if finite && start == nil { start = i }
            if !finite, let s = start {
                runs.append(s..<i)
                start = nil
            }
        }
        if let s = start { runs.append(s..<end) }
        return runs
    }

    /// The points of `run`, min/max-decimated to its share of `budget`.
    private static func decimate(_ run: Range<Int>, _ xs: [Double], _ ys: [Double], budget: Int, of total: Int,
                                 logarithmicX: Bool) -> [Point] {
        let share = total <= budget ? run.count : max(4, budget * run.count / max(total, 1))
        let runX = Array(xs[run])
        let positions = logarithmicX ? runX.map { $0 > 0 ? log10($0) : .nan } : runX
        let result = Downsampling.minMax(x: runX, y: Array(ys[run]), positions: positions, maxVertices: share)
        return zip(result.x, result.y).map { (x: $0, y: $1) }
    }

    /// Band runs where x, lower and upper are finite; decimated to each
    /// bucket's lowest lower and highest upper edge when long.
    private static func bandRuns(_ xs: [Double], _ band: Band, count n: Int,
                                 budget: Int) -> [[(x: Double, lower: Double, upper: Double)]] {
        let m = min(n, band.lower.count, band.upper.count)
        var runs: [[(x: Double, lower: Double, upper: Double)]] = []
        var current: [(x: Double, lower: Double, upper: Double)] = []
        for i in 0..<m {
            if xs[i].isFinite && band.lower[i].isFinite && band.upper[i].isFinite {
                let low = min(band.lower[i], band.upper[i]), high = max(band.lower[i], band.upper[i])
                current.append((xs[i], band.floor.map { max(low, $0) } ?? low, high))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        let total = runs.reduce(0) { $0 + $1.count }
        guard total > budget else { return runs }
        return runs.map { run in
            let buckets = max(2, (budget / 2) * run.count / total)
            guard run.count > 2 * buckets else { return run }
            return (0..<buckets).flatMap { b -> [(x: Double, lower: Double, upper: Double)] in
                let slice = run[(b * run.count / buckets)..<((b + 1) * run.count / buckets)]
                let lower = slice.map(\.lower).min()!
                let upper = slice.map(\.upper).max()!
                return [(slice.first!.x, lower, upper), (slice.last!.x, lower, upper)]
            }
        }
    }
}
