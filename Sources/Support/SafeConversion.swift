/// Conversions of values read from files that never trap: Swift's `Int(Double)`
/// stops the process on NaN, infinity or a value beyond `Int`'s range, so every
/// number that comes from outside goes through these instead.
extension Int {
    /// The nearest `Int` to `value` rounded toward zero, clamped to `Int.min...Int.max`; 0 for NaN.
    public init<F: BinaryFloatingPoint>(saturating value: F) {
        if value.isNaN {
            self = 0
        } else if let exact = Int(exactly: value.rounded(.towardZero)) {
            self = exact
        } else {
            self = value < 0 ? .min : .max
        }
    }
}

/// Short, printable excerpts of untrusted text for error messages: a 10 MB field
/// is cut to its first characters, and control characters (a NUL byte, an escape
/// sequence) are shown as `\u{0}` rather than written to the terminal.
public enum Excerpt {
    /// The characters an excerpt keeps before it is cut with `…`.
    public static let limit = 80

    /// `text` as printed: at most `limit` characters (a control character counts as
    /// the length of its `\u{…}`, so a line of them is not six times longer), then `…`
    /// when some were left out.
    public static func of<S: StringProtocol>(_ text: S, limit: Int = Excerpt.limit) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            let isControl = scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
            let shown = isControl ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            let width = isControl ? shown.count : 1
            if count + width > limit { return out + "…" }
            out += shown
            count += width
        }
        return out
    }
}
