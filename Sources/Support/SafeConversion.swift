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

    public static func of<S: StringProtocol>(_ text: S, limit: Int = Excerpt.limit) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { return out + "…" }
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }
}
