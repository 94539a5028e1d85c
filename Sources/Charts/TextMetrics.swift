/// Approximate text widths, for laying out labels and legends without a font
/// engine.
///
/// The table holds the advance widths of DejaVu Sans (the sans-serif Linux
/// renderers fall back to, and wider than Arial or Helvetica), in em, for
/// printable ASCII. Other characters count as 0.62 em, East Asian wide ones as
/// 1 em, combining marks as 0. Bold text is taken as 8% wider. The estimate
/// errs on the wide side, so labels laid out with it do not overlap.
enum TextMetrics {
    private static let ascii: [Double] = [
        // space ! " # $ % & ' ( ) * + , - . /
        0.318, 0.401, 0.460, 0.838, 0.636, 0.950, 0.780, 0.275, 0.390, 0.390, 0.500, 0.838, 0.318, 0.361, 0.318, 0.337,
        // 0-9
        0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636,
        // : ; < = > ? @
        0.337, 0.337, 0.838, 0.838, 0.838, 0.531, 1.000,
        // A-Z
        0.684, 0.686, 0.698, 0.770, 0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863,
        0.748, 0.787, 0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685,
        // [ \ ] ^ _ `
        0.390, 0.337, 0.390, 0.838, 0.500, 0.500,
        // a-z
        0.613, 0.635, 0.550, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974,
        0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525,
        // { | } ~
        0.636, 0.337, 0.636, 0.838,
    ]

    /// Width in px of `text` set at `size` px.
    static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        var ems = 0.0
        for scalar in text.unicodeScalars {
            ems += advance(scalar)
        }
        return ems * size * (bold ? 1.08 : 1)
    }

    private static func advance(_ scalar: Unicode.Scalar) -> Double {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return ascii[Int(v - 0x20)] }
        switch v {
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: return 0
        case 0x00B0, 0x00B7, 0x2009: return 0.4  // degree, middle dot, thin space
        case 0x00D7, 0x2212: return 0.838        // multiplication sign, minus
        case 0x2026: return 1.0                  // ellipsis
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60,
             0x1F300...0x1FAFF, 0x20000...0x3FFFD:
            return 1.0
        default: return 0.62
        }
    }

    /// `text`, shortened with an ellipsis so it is at most `maxWidth` px wide.
    static func truncate(_ text: String, maxWidth: Double, size: Double, bold: Bool = false) -> String {
        guard width(text, size: size, bold: bold) > maxWidth else { return text }
        var characters = Array(text)
        while !characters.isEmpty {
            characters.removeLast()
            let candidate = String(characters).trimmingTrailingSpaces() + "\u{2026}"
            if width(candidate, size: size, bold: bold) <= maxWidth { return candidate }
        }
        return "\u{2026}"
    }

    /// `text` broken at spaces into lines at most `maxWidth` px wide (a word
    /// wider than that is truncated), at most `maxLines` lines (the last one
    /// ends with an ellipsis when text was left out).
    static func wrap(_ text: String, maxWidth: Double, size: Double, maxLines: Int = .max) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            for word in paragraph.split(separator: " ") {
                let candidate = current.isEmpty ? String(word) : current + " " + word
                if width(candidate, size: size) <= maxWidth || current.isEmpty {
                    current = candidate
                } else {
                    lines.append(current)
                    current = String(word)
                }
            }
            lines.append(current)
        }
        lines = lines.map { truncate($0, maxWidth: maxWidth, size: size) }
        if lines.count > maxLines {
            let kept = Array(lines.prefix(maxLines))
            let last = kept[maxLines - 1] + " " + "\u{2026}"
            return kept.dropLast() + [truncate(last, maxWidth: maxWidth, size: size)]
        }
        return lines
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
