import Foundation

/// Tick positions for linear and logarithmic axes.
public enum Ticks {
    /// Ticks of a linear axis over at least `[lower, upper]`.
    ///
    /// Contract: steps are 1, 2 or 5 times a power of ten; the first tick is at
    /// or below `lower` and the last at or above `upper` (the axis is widened to
    /// them); there are 4 to 10 ticks, as close to `target` as the steps allow;
    /// every tick is an integer multiple of the step, computed as `i·m / 10^k`
    /// so it is the Double nearest the round decimal (0.3, not
    /// 0.30000000000000004). Non-finite bounds fall back to [0, 1]; an empty
    /// range is widened around its value.
    public static func linear(lower: Double, upper: Double, target: Int = 6) -> (values: [Double], step: Double) {
        var (lo, hi) = sanitizedLinearRange(lower, upper)
        if lo > hi { swap(&lo, &hi) }
        let span = hi - lo
        let wanted = min(max(target, 4), 10)
        let base = Int(NumberFormatting.floorLog10(span / Double(wanted)))
        var best: (start: Double, end: Double, multiplier: Double, exponent: Int, score: Double)?
        for exponent in (base - 1)...(base + 2) {
            for multiplier in [1.0, 2.0, 5.0] {
                let step = multiplier * NumberFormatting.power10(exponent)
                // A tolerance of 1e-9 steps absorbs the error of lo/step, so a
                // bound that is itself a tick does not add a tick beyond it.
                let start = (lo / step + 1e-9).rounded(.down)
                let end = (hi / step - 1e-9).rounded(.up)
                let count = end - start + 1
                guard count >= 4 && count <= 10 else { continue }
                let score = abs(count - Double(wanted)) + (count < Double(wanted) ? 0.25 : 0)
                if best == nil || score < best!.score {
                    best = (start, end, multiplier, exponent, score)
                }
            }
        }
        guard let best else { return ([lo, hi], hi - lo) }
        let values = stride(from: best.start, through: best.end, by: 1).map { index in
            tickValue(index * best.multiplier, exponent: best.exponent)
        }
        return (values, best.multiplier * NumberFormatting.power10(best.exponent))
    }

    /// Ticks of a base-10 logarithmic axis over at least `[lower, upper]`.
    ///
    /// Contract: the axis runs from a power of ten at or below `lower` to one
    /// at or above `upper`, at least one decade. Labelled ticks are the powers
    /// of ten, every `decadeStride`-th one when the axis spans more than nine
    /// decades (so at most 10 labels); on an axis of at most two decades the
    /// 2× and 5× values are labelled too. Minor ticks: the other integer
    /// multiples 2×…9× of each decade (stride 1), or the unlabelled decades.
    /// Values that a log axis cannot show are tolerated: a bound that is zero,
    /// negative or non-finite is replaced (a lower bound by one decade below
    /// `upper`, an upper bound by 10), never crashed on.
    public static func logarithmic(lower: Double, upper: Double) -> LogTicks {
        var hi = upper.isFinite && upper > 0 ? min(upper, 1e300) : 10
        var lo = lower.isFinite && lower > 0 ? max(lower, 1e-300) : hi / 10
        if lo > hi { swap(&lo, &hi) }
        var e0 = Int(NumberFormatting.floorLog10(lo))
        var e1 = Int(NumberFormatting.floorLog10(hi))
        if NumberFormatting.power10(e1) < hi { e1 += 1 }
        if e1 == e0 { e1 += 1 }
        // Aligning both ends to the stride can add a decade: widen until at most 10 labels remain.
        var stride = max(1, Int((Double(e1 - e0) / 9).rounded(.up)))
        while true {
            let first = Int((Double(e0) / Double(stride)).rounded(.down)) * stride
            let last = Int((Double(e1) / Double(stride)).rounded(.up)) * stride
            if (last - first) / stride + 1 <= 10 {
                (e0, e1) = (first, last)
                break
            }
            stride += 1
        }
        var labelled: [Double] = []
        var minor: [Double] = []
        let detailed = stride == 1 && e1 - e0 <= 2
        for exponent in e0...e1 {
            let decade = NumberFormatting.power10(exponent)
            if (exponent - e0) % stride == 0 {
                labelled.append(decade)
            } else {
                minor.append(decade)
            }
            guard stride == 1 && exponent < e1 else { continue }
            for multiplier in 2...9 {
                let value = tickValue(Double(multiplier), exponent: exponent)
                if detailed && (multiplier == 2 || multiplier == 5) {
                    labelled.append(value)
                } else {
                    minor.append(value)
                }
            }
        }
        return LogTicks(lower: NumberFormatting.power10(e0), upper: NumberFormatting.power10(e1),
                        labelled: labelled.sorted(), minor: minor.sorted(), decadeStride: stride)
    }

    /// `mantissa × 10^exponent`, rounded like the decimal literal.
    static func tickValue(_ mantissa: Double, exponent: Int) -> Double {
        if exponent < 0 { return mantissa / NumberFormatting.power10(-exponent) }
        return mantissa * NumberFormatting.power10(exponent)
    }

    private static func sanitizedLinearRange(_ lower: Double, _ upper: Double) -> (Double, Double) {
        var lo = lower.isFinite ? min(max(lower, -1e300), 1e300) : (upper.isFinite ? upper : 0)
        var hi = upper.isFinite ? min(max(upper, -1e300), 1e300) : (lower.isFinite ? lower : 1)
        if !lower.isFinite && !upper.isFinite { (lo, hi) = (0, 1) }
        let magnitude = max(abs(lo), abs(hi))
        if abs(hi - lo) <= magnitude * 1e-12 {
            // An empty (or numerically empty) range: widen it around its value.
            let half = magnitude == 0 ? 1 : magnitude * 0.1
            let centre = (lo + hi) / 2
            (lo, hi) = (centre - half, centre + half)
        }
        return (lo, hi)
    }
}

/// Ticks of a logarithmic axis; see ``Ticks/logarithmic(lower:upper:)``.
public struct LogTicks: Equatable, Sendable {
    /// The axis domain: powers of ten.
    public var lower: Double
    public var upper: Double
    /// Ticks with a label, ascending.
    public var labelled: [Double]
    /// Ticks drawn shorter, without a label, ascending.
    public var minor: [Double]
    /// How many decades lie between two labelled powers of ten.
    public var decadeStride: Int
}

/// Tick labels, formatted for the values of one axis together.
enum TickLabels {
    /// Labels of linear ticks with a common number of decimals
    /// ("0.0", "0.5", "1.0"); scientific when the values are huge or the step
    /// is tiny.
    static func linear(_ values: [Double], step: Double, percent: Bool) -> [RichText] {
        let scale = percent ? 100.0 : 1.0
        let stepExponent = Int(NumberFormatting.floorLog10(step * scale))
        let largest = values.map { abs($0 * scale) }.max() ?? 0
        if !percent && (largest >= 1e6 || (step < 1e-4 && largest > 0)) {
            return values.map { value in
                guard value != 0 else { return RichText("0") }
                let digits = Int(NumberFormatting.floorLog10(abs(value))) - stepExponent + 1
                return NumberFormatting.scientific(value, significantDigits: max(1, digits))
            }
        }
        let decimals = max(0, -stepExponent)
        return values.map { value in
            let text = NumberFormatting.minusSign(NumberFormatting.fixed(value * scale, decimals: decimals))
            return RichText(percent ? text + "%" : text)
        }
    }

    /// Labels of logarithmic ticks: plain decimals when every label lies in
    /// [0.001, 10000], powers of ten ("10⁻⁵", "2×10⁻⁵") otherwise.
    static func logarithmic(_ values: [Double], percent: Bool) -> [RichText] {
        let scale = percent ? 100.0 : 1.0
        let plain = values.allSatisfy { $0 * scale >= 1e-3 && $0 * scale <= 1e4 }
        return values.map { value in
            let scaled = value * scale
            if plain {
                let exponent = Int(NumberFormatting.floorLog10(scaled))
                let text = NumberFormatting.fixed(scaled, decimals: max(0, -exponent), trimZeros: true)
                return RichText(percent ? text + "%" : text)
            }
            return NumberFormatting.scientific(scaled, significantDigits: 1)
        }
    }
}
