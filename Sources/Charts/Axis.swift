import Foundation

/// How an axis maps values to positions.
public enum ScaleKind: Sendable, Equatable {
    /// Linear, with 1-2-5 ticks.
    case linear
    /// Base-10 logarithmic, with powers of ten and minor ticks. Exact zeros are
    /// drawn on a separate "0" row (or column) beyond the axis floor, marked by
    /// an axis break; negative values cannot be drawn and are counted in a note.
    case logarithmic
    /// Evenly spaced categories; the data value `i` (0-based) is the category
    /// `labels[i]`.
    case categorical([String])
}

/// How tick labels are written.
public enum TickFormat: Sendable, Equatable {
    /// Decimals chosen from the tick step; powers of ten when values are huge or tiny.
    case automatic
    /// Values are fractions shown as percentages (0.25 → "25%").
    case percent
}

/// One axis of a chart: its title, unit and scale.
public struct Axis: Sendable, Equatable {
    /// Axis title, e.g. "Validation loss".
    public var title: String
    /// Unit shown after the title in parentheses, e.g. "nats" or "°E".
    public var unit: String?
    public var scale: ScaleKind
    /// A fixed domain; `nil` takes the data's range, widened to round ticks. A
    /// linear axis keeps a fixed domain exactly (a whole-number end between
    /// ticks gets a tick of its own); a logarithmic one widens it to the
    /// labelled ticks around it, as it does the data's range.
    public var domain: ClosedRange<Double>?
    /// Linear axes only: widen the domain to include 0.
    public var includesZero: Bool
    public var format: TickFormat
    /// Linear axes without a fixed domain: the smallest range shown, centred
    /// on the data, so a tiny spread does not fill the plot (an accuracy axis
    /// with a minimum span of 0.05 draws 0.950 and 0.959 close together).
    public var minimumSpan: Double?
    /// Linear axes without a fixed domain: values the axis never passes, e.g.
    /// 0...1 for an accuracy, whose 95% band may reach below 0; what lies
    /// beyond is cut at the edge of the plot.
    public var limits: ClosedRange<Double>?

    public init(_ title: String, unit: String? = nil, scale: ScaleKind = .linear,
                domain: ClosedRange<Double>? = nil, includesZero: Bool = false, format: TickFormat = .automatic,
                minimumSpan: Double? = nil, limits: ClosedRange<Double>? = nil) {
        self.title = title
        self.unit = unit
        self.scale = scale
        self.domain = domain
        self.includesZero = includesZero
        self.format = format
        self.minimumSpan = minimumSpan
        self.limits = limits
    }

    /// "Title (unit)".
    var label: String {
        guard let unit, !unit.isEmpty else { return title }
        return title.isEmpty ? unit : "\(title) (\(unit))"
    }

    var scaleDescription: String {
        switch scale {
        case .linear: return "linear"
        case .logarithmic: return "logarithmic"
        case .categorical(let labels): return "categories " + labels.joined(separator: ", ")
        }
    }
}

/// An axis resolved against its data: domain, ticks and labels.
struct AxisModel {
    enum Kind: Equatable {
        case linear, logarithmic
        case categorical(count: Int)
    }

    var spec: Axis
    var kind: Kind
    var lower: Double
    var upper: Double
    var ticks: [Double]
    var labels: [RichText]
    var minorTicks: [Double]
    /// Log axes: some values are exactly zero and get their own row.
    var hasZeroSlot: Bool
    /// Log axes: negative values, which no log axis can show.
    var negativeCount: Int

    /// Resolves `axis` for `values` (non-finite ones are ignored).
    static func resolve(_ axis: Axis, values: [Double], targetTicks: Int) -> AxisModel {
        switch axis.scale {
        case .categorical(let names):
            let count = max(names.count, 1)
            let indices = (0..<names.count).map(Double.init)
            return AxisModel(spec: axis, kind: .categorical(count: count), lower: -0.5, upper: Double(count) - 0.5,
                             ticks: indices, labels: names.map { RichText($0) }, minorTicks: [],
                             hasZeroSlot: false, negativeCount: 0)
        case .linear:
            var lo = Double.infinity
            var hi = -Double.infinity
            for value in values where value.isFinite {
                lo = min(lo, value)
                hi = max(hi, value)
            }
            if let domain = axis.domain, domain.lowerBound.isFinite, domain.upperBound.isFinite {
                (lo, hi) = (domain.lowerBound, domain.upperBound)
            } else if lo > hi {
                (lo, hi) = (0, 1)
            }
            if axis.includesZero {
                lo = min(lo, 0)
                hi = max(hi, 0)
            }
            if axis.domain == nil, let span = axis.minimumSpan {
                (lo, hi) = widened(lo, hi, toSpan: span, within: axis.limits)
            }
            if axis.domain == nil, let limits = axis.limits, max(lo, limits.lowerBound) < min(hi, limits.upperBound) {
                (lo, hi) = (max(lo, limits.lowerBound), min(hi, limits.upperBound))
            }
            let (ticks, step) = Ticks.linear(lower: lo, upper: hi, target: targetTicks)
            var lower = ticks.first ?? lo
            var upper = ticks.last ?? hi
            var shown = ticks
            if let domain = axis.domain, domain.lowerBound.isFinite, domain.upperBound.isFinite,
               domain.upperBound > domain.lowerBound {
                // A fixed domain is kept exactly; ticks outside it are dropped,
                // and a whole-number end between ticks gets a tick of its own.
                (lower, upper) = (domain.lowerBound, domain.upperBound)
                shown = ticks.filter { $0 >= lower - step * 1e-9 && $0 <= upper + step * 1e-9 }
                shown = labelledEnds(shown, lower: lower, upper: upper, step: step)
            }
            return AxisModel(spec: axis, kind: .linear, lower: lower, upper: upper, ticks: shown,
                             labels: TickLabels.linear(shown, step: step, percent: axis.format == .percent),
                             minorTicks: [], hasZeroSlot: false, negativeCount: 0)
        case .logarithmic:
            var lo = Double.infinity
            var hi = -Double.infinity
            var zeros = 0
            var negatives = 0
            for value in values where value.isFinite {
                if value > 0 {
                    lo = min(lo, value)
                    hi = max(hi, value)
                } else if value == 0 {
                    zeros += 1
                } else {
                    negatives += 1
                }
            }
            if let domain = axis.domain, domain.lowerBound > 0, domain.upperBound.isFinite {
                (lo, hi) = (domain.lowerBound, domain.upperBound)
            }
            // A fixed domain, like the data, is widened to the labelled ticks around
            // it, so no point lies beyond the last labelled tick.
            let ticks = Ticks.logarithmic(lower: lo, upper: hi)
            return AxisModel(spec: axis, kind: .logarithmic, lower: ticks.lower, upper: ticks.upper, ticks: ticks.labelled,
                             labels: TickLabels.logarithmic(ticks.labelled, percent: axis.format == .percent),
                             minorTicks: ticks.minor, hasZeroSlot: zeros > 0, negativeCount: negatives)
        }
    }

    /// `lo...hi` widened about its middle to at least `span`, moved inside
    /// `limits` when that range has room for it.
    static func widened(_ lo: Double, _ hi: Double, toSpan span: Double,
                        within limits: ClosedRange<Double>?) -> (Double, Double) {
        guard span.isFinite, span > 0, hi - lo < span else { return (lo, hi) }
        var lower = (lo + hi) / 2 - span / 2
        var upper = lower + span
        if let limits, limits.upperBound - limits.lowerBound >= span {
            if lower < limits.lowerBound { (lower, upper) = (limits.lowerBound, limits.lowerBound + span) }
            if upper > limits.upperBound { (lower, upper) = (limits.upperBound - span, limits.upperBound) }
        }
        return (min(lower, lo), max(upper, hi))
    }

    /// `ticks` with the ends of a fixed domain added where they are whole
    /// numbers between ticks (an axis of epochs 1 to 44 is labelled 1 and 44):
    /// an end at least half a step from the nearest tick is added, a nearer
    /// one replaces that tick. Steps below 1 are left alone.
    static func labelledEnds(_ ticks: [Double], lower: Double, upper: Double, step: Double) -> [Double] {
        guard step >= 1, ticks.count >= 2 else { return ticks }
        var result = ticks
        let tolerance = step * 1e-9
        if upper == upper.rounded(), let last = result.last, upper - last > tolerance {
            if upper - last >= step / 2 { result.append(upper) } else { result[result.count - 1] = upper }
        }
        if lower == lower.rounded(), let first = result.first, first - lower > tolerance {
            if first - lower >= step / 2 { result.insert(lower, at: 0) } else { result[0] = lower }
        }
        return result
    }

    var isLogarithmic: Bool {
        if case .logarithmic = kind { return true }
        return false
    }

    /// The note a figure prints about values this axis could not place, if any.
    var omissionNote: String? {
        guard negativeCount > 0 else { return nil }
        let what = negativeCount == 1 ? "1 negative value" : "\(NumberFormatting.count(negativeCount)) negative values"
        return "\(what) of \(spec.label) not shown (logarithmic axis)."
    }

    /// The positions of this axis between `start` and `end` px.
    func map(from start: Double, to end: Double) -> ScaleMap {
        ScaleMap(kind: kind, lower: lower, upper: upper, start: start, end: end, zeroSlot: hasZeroSlot)
    }

    var domainDescription: String {
        switch kind {
        case .categorical: return spec.scaleDescription
        case .linear, .logarithmic:
            let from = NumberFormatting.significant(lower).plain
            let to = NumberFormatting.significant(upper).plain
            let text = "\(spec.scaleDescription), \(from) to \(to)"
            return hasZeroSlot ? text + ", with a row for exact zeros" : text
        }
    }
}

/// Value → pixel along one axis.
struct ScaleMap {
    /// Room, in px, taken from the start of a log axis for its zero row and break.
    static let zeroSlotSize = 22.0

    let kind: AxisModel.Kind
    let lower: Double
    let upper: Double
    let start: Double
    let end: Double
    let zeroSlot: Bool

    /// Where the log range begins (after the zero slot, if any).
    var dataStart: Double {
        guard zeroSlot else { return start }
        return start + (end > start ? Self.zeroSlotSize : -Self.zeroSlotSize)
    }

    /// Position of exact zeros on a log axis.
    var zeroPosition: Double {
        start + (end > start ? 6 : -6)
    }

    /// The pixel position of `value`, or `nil` when it cannot be drawn
    /// (non-finite; zero or negative on a log axis without a zero slot).
    func position(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch kind {
        case .linear:
            let t = upper > lower ? (value - lower) / (upper - lower) : 0.5
            return start + t * (end - start)
        case .logarithmic:
            if value == 0 { return zeroSlot ? zeroPosition : nil }
            guard value > 0 else { return nil }
            let t = (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
            return dataStart + t * (end - dataStart)
        case .categorical(let count):
            return start + (value + 0.5) / Double(max(count, 1)) * (end - start)
        }
    }

    /// Width of one category in px (categorical axes), else 0.
    var bandWidth: Double {
        guard case .categorical(let count) = kind else { return 0 }
        return abs(end - start) / Double(max(count, 1))
    }
}
