import Foundation

/// Locale-independent number formatting, done with integer arithmetic so the
/// same Double always gives the same characters on every machine.
///
/// Never prints `NaN`, `inf` or `-0`: a non-finite value formats as "0" (callers
/// skip non-finite data before it gets here; this is the last safety net).
public enum NumberFormatting {
    private static let powersOfTen: [Double] = (0...15).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// An SVG coordinate: at most 2 decimals, trailing zeros dropped ("12.5", "3").
    static func coordinate(_ value: Double) -> String {
        // Coordinates far outside any figure only happen for data outside a
        // fixed axis domain; they are clipped, so clamping keeps them printable.
        fixed(min(max(value, -1e7), 1e7), decimals: 2, trimZeros: true)
    }

    /// `value` rounded half away from zero to `decimals` places.
    static func fixed(_ value: Double, decimals: Int, trimZeros: Bool = false) -> String {
        guard value.isFinite else { return "0" }
        let places = min(max(decimals, 0), 12)
        let scaled = (value * powersOfTen[places]).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 9e15 else { return scientific(value, significantDigits: 3).plain }
        let negative = scaled < 0
        var units = UInt64(abs(scaled))
        if units == 0 { return places == 0 || trimZeros ? "0" : "0." + String(repeating: "0", count: places) }
        var fraction = ""
        if places > 0 {
            let divisor = UInt64(powersOfTen[places])
            var digits = String(units % divisor)
            digits = String(repeating: "0", count: places - digits.count) + digits
            units /= divisor
            if trimZeros {
                while digits.last == "0" { digits.removeLast() }
            }
            fraction = digits.isEmpty ? "" : "." + digits
        }
        return (negative ? "-" : "") + String(units) + fraction
    }

    /// `value` with `digits` significant digits, plain for moderate magnitudes
    /// ("0.412", "12.3", "1,230"), scientific otherwise ("1.23×10⁻⁵").
    static func significant(_ value: Double, digits: Int = 3) -> RichText {
        guard value.isFinite else { return RichText("n/a") }
        if value == 0 { return RichText("0") }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-3 { return scientific(value, significantDigits: digits) }
        let exponent = Int(floorLog10(magnitude))
        let decimals = digits - 1 - exponent
        var rounded = value
        if decimals < 0 {
            // Fewer significant digits than integer digits: round to tens, hundreds, …
            let unit = power10(-decimals)
            rounded = (value / unit).rounded(.toNearestOrAwayFromZero) * unit
        }
        let text = fixed(rounded, decimals: max(decimals, 0), trimZeros: true)
        return RichText(abs(rounded) >= 1000 ? grouped(text) : text)
    }

    /// "m×10^e" with `significantDigits` digits in the mantissa (trailing zeros dropped).
    static func scientific(_ value: Double, significantDigits: Int) -> RichText {
        guard value.isFinite, value != 0 else { return RichText("0") }
        var exponent = Int(floorLog10(abs(value)))
        var mantissa = value / power10(exponent)
        let rounded = fixed(mantissa, decimals: significantDigits - 1, trimZeros: true)
        if rounded == "10" || rounded == "-10" {
            exponent += 1
            mantissa /= 10
        }
        let text = fixed(mantissa, decimals: significantDigits - 1, trimZeros: true)
        let exponentText = exponent < 0 ? "\u{2212}" + String(-exponent) : String(exponent)
        if text == "1" { return RichText("10", superscript: exponentText) }
        if text == "-1" { return RichText("\u{2212}10", superscript: exponentText) }
        return RichText(minusSign(text) + "\u{00D7}10", superscript: exponentText)
    }

    /// An integer with thousands separators: 1000000 → "1,000,000".
    public static func count(_ value: Int) -> String {
        grouped(String(value))
    }

    /// Replaces a leading hyphen with the typographic minus sign (U+2212) for labels.
    static func minusSign(_ text: String) -> String {
        text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
    }

    /// floor(log10(x)) for x > 0, corrected where log10 rounds across a power of ten.
    static func floorLog10(_ x: Double) -> Double {
        var exponent = log10(x).rounded(.down)
        if power10(Int(exponent)) > x { exponent -= 1 }
        if power10(Int(exponent) + 1) <= x { exponent += 1 }
        return exponent
    }

    /// 10^exponent, exact for the integer powers Double can represent exactly.
    static func power10(_ exponent: Int) -> Double {
        if exponent >= 0 && exponent < powersOfTen.count { return powersOfTen[exponent] }
        if exponent < 0 && -exponent < powersOfTen.count { return 1 / powersOfTen[-exponent] }
        return pow(10, Double(exponent))
    }

    private static func grouped(_ text: String) -> String {
        var sign = ""
        var body = Substring(text)
        if body.hasPrefix("-") {
            sign = "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = Array(parts[0])
        var out = ""
        for (index, character) in integer.enumerated() {
            if index > 0 && (integer.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        if parts.count > 1 { out += "." + parts[1] }
        return sign + out
    }
}
