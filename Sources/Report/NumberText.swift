import Study
import Support

/// Locale-independent number formatting for the report's text and tables.
///
/// Done with integer arithmetic on the rounded value, so the same Double gives
/// the same characters on every machine and in every locale. Negative numbers
/// use the typographic minus sign (U+2212) in text meant for reading; CSV files
/// use ``csv(_:)``, which is plain ASCII.
public enum NumberText {
    /// `value` rounded half away from zero to `decimals` places: `0.953`, `−1.20`.
    /// A rounded zero never carries a sign.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "n/a" }
        let places = min(max(decimals, 0), 12)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e15 else { return scientific(value) }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        var text = String(units / divisor)
        if places > 0 {
            let fraction = String(units % divisor)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return (value < 0 && units > 0 ? "\u{2212}" : "") + text
    }

    /// Like ``fixed(_:_:)`` with an explicit sign: `+0.042`, `−0.010`, `0.000`.
    public static func signed(_ value: Double, _ decimals: Int) -> String {
        let text = fixed(value, decimals)
        return text.hasPrefix("\u{2212}") || text.trimmingZeros == "0" ? text : "+" + text
    }

    /// An estimate over seeds: `0.953` for one seed, `0.953 ± 0.004` for several
    /// (mean ± half-width of the 95% interval, which is symmetric).
    public static func estimate(_ estimate: Estimate, _ decimals: Int) -> String {
        func text(_ value: Double) -> String {
            // Whole numbers (iterations, epochs) get thousands separators.
            decimals == 0 && abs(value) < 9e15 ? count(Int(value.rounded(.toNearestOrAwayFromZero))) : fixed(value, decimals)
        }
        guard estimate.count > 1 else { return text(estimate.mean) }
        return text(estimate.mean) + " ± " + text(estimate.high - estimate.mean)
    }

    /// An estimate as ``estimate(_:_:)`` with an explicit sign on the mean: `+0.042 ± 0.010`.
    public static func signedEstimate(_ estimate: Estimate, _ decimals: Int) -> String {
        let mean = signed(estimate.mean, decimals)
        guard estimate.count > 1 else { return mean }
        return mean + " ± " + fixed(estimate.high - estimate.mean, decimals)
    }

    /// Items joined as prose: `a`, `a and b`, `a, b and c`.
    public static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }

    /// An epoch number over seeds: `14`, or `14.3 (seeds: 11 to 17)`. Epochs are whole
    /// numbers within a run's length, so the seeds' range says more than a t-interval
    /// (which can reach past the last epoch).
    public static func epoch(_ estimate: Estimate) -> String {
        let mean = fixed(estimate.mean, estimate.mean == estimate.mean.rounded() ? 0 : 1)
        guard estimate.count > 1, let low = estimate.values.min(), let high = estimate.values.max(), high > low else { return mean }
        return mean + " (seeds: " + fixed(low, 0) + " to " + fixed(high, 0) + ")"
    }

    /// Two significant digits in scientific notation with superscript exponent:
    /// `1.2×10⁻¹²`; plain for magnitudes from 0.01 to 1000 (`0.34`, `12`); `0` for zero.
    public static func scientific(_ value: Double, digits: Int = 2) -> String {
        guard value.isFinite else { return "n/a" }
        if value == 0 { return "0" }
        var exponent = Int(log10(abs(value)).rounded(.down))
        if pow10(exponent) > abs(value) { exponent -= 1 }
        if pow10(exponent + 1) <= abs(value) { exponent += 1 }
        if exponent >= -2 && exponent < 3 {
            return fixed(value, max(digits - 1 - exponent, 0))
        }
        var mantissa = value / pow10(exponent)
        if fixed(abs(mantissa), digits - 1) == "10" + (digits > 1 ? "." + String(repeating: "0", count: digits - 1) : "") {
            exponent += 1
            mantissa /= 10
        }
        let exponentText = superscript(exponent)
        let mantissaText = fixed(mantissa, digits - 1)
        let bare = mantissaText.replacingOccurrences(of: "\u{2212}", with: "")
        if bare == "1" || bare == "1." + String(repeating: "0", count: max(digits - 1, 0)) {
            return (mantissa < 0 ? "\u{2212}" : "") + "10" + exponentText
        }
        return mantissaText + "×10" + exponentText
    }

    /// A positive quantity that varies over orders of magnitude between seeds
    /// (gradient norms and their ratios), where a mean ± t-interval would reach below
    /// zero: one seed gives `1.2×10⁻¹²`; several give the geometric mean and the
    /// range over seeds, `1.2×10⁻¹² (seeds: 3.1×10⁻¹³ to 4.0×10⁻¹²)`; with a zero
    /// among them, the arithmetic mean and the range.
    public static func magnitude(_ estimate: Estimate) -> String {
        guard estimate.count > 1, let low = estimate.values.min(), let high = estimate.values.max() else {
            return scientific(estimate.mean)
        }
        if low == high { return scientific(low) }
        return scientific(magnitudeCentre(estimate)) + " (seeds: " + scientific(low) + " to " + scientific(high) + ")"
    }

    /// The centre `magnitude` shows, and the one tables' CSV files and figures use for
    /// the same quantities: the geometric mean of positive values, else the mean.
    public static func magnitudeCentre(_ estimate: Estimate) -> Double {
        guard estimate.count > 1, estimate.values.allSatisfy({ $0 > 0 }) else { return estimate.mean }
        return exp(estimate.values.map { log($0) }.reduce(0, +) / Double(estimate.count))
    }

    /// Says which centre `magnitude` gives, for a table's or figure's note.
    public static let magnitudeCentreNote = "Over several seeds: the geometric mean, or the plain mean when a seed gives "
        + "exactly 0, with the lowest and highest seed."

    /// An integer with thousands separators: `12,500`.
    public static func count(_ value: Int) -> String { value.thousandsSeparated }

    /// A duration: `0.4 s`, `12.3 s`, `2 min 05 s`.
    public static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        if value < 60 { return fixed(value, value < 10 ? 2 : 1) + " s" }
        let whole = Int(saturating: value.rounded())
        let rest = whole % 60
        return "\(whole / 60) min \(rest < 10 ? "0" : "")\(rest) s"
    }

    /// A fraction as a percentage: `42%`, `4.2%`, `0.06%`; never a round `100%` or
    /// `0%` for a share that is not (199 of 200 is `99.5%`), up to four decimals.
    public static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        if value == 0 || value == 100 { return value == 0 ? "0%" : "100%" }
        var decimals = abs(value) >= 10 ? 0 : abs(value) >= 1 ? 1 : 2
        var text = fixed(value, decimals)
        while decimals < 4, let shown = Double(text), abs(shown) == 100 || shown == 0 {
            decimals += 1
            text = fixed(value, decimals)
        }
        return text + "%"
    }

    /// A learning rate as a reader writes it: `0.001`, `0.00001`, `1`.
    public static func rate(_ value: Double) -> String {
        formatNumber(value)
    }

    /// A number for a CSV file: Swift's shortest round-trip form (`0.953125`,
    /// `1e-05`), plain ASCII, locale-independent; empty for a missing value.
    public static func csv(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    private static func superscript(_ exponent: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(String(abs(exponent)).map { digits[Int(String($0))!] })
        return (exponent < 0 ? "⁻" : "") + body
    }

    private static func pow10(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<abs(exponent) { value *= 10 }
        return exponent < 0 ? 1 / value : value
    }
}

extension String {
    /// The text with the digits after a decimal point that are all zero removed: `0.000` → `0`.
    var trimmingZeros: String {
        guard contains(".") else { return self }
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
