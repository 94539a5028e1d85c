import Foundation

/// The colours, dash patterns and marker shapes that tell series and classes apart.
public enum Palette {
    /// Okabe & Ito's colour-blind-safe hues (Okabe and Ito 2008, "Color Universal
    /// Design"): blue, vermillion, bluish green, reddish purple, orange, sky blue,
    /// black, yellow, darkened in CIELAB (hue and chroma kept) until each reaches
    /// at least 3:1 against white (WCAG 2 contrast; Okabe-Ito's own orange, sky
    /// blue and yellow reach 2.3, 2.3 and 1.3), with blue and vermillion darker
    /// still so they stay apart from sky blue and orange: every pair is at least
    /// 18 ΔE00 apart. The page's dark theme overrides them (`style.css`). Series
    /// `i` (0-based) uses `series[i % 8]`, exposed to CSS as `--nn-series-(i % 8 + 1)`.
    public static let series: [String] = [
        "#005A9C", "#C44E00", "#009E73", "#C875A3", "#C48200", "#3098CB", "#000000", "#979300",
    ]

    /// 48 qualitative colours for class maps (Glasbey et al. 2007, "Colour
    /// displays for categorical images"): chosen greedily, each new colour the
    /// sRGB candidate (32 levels per channel, CIELAB lightness 32 to 82) farthest
    /// in CIEDE2000 from the colours already chosen and from white and near-black
    /// (the page and the text), starting from Okabe-Ito blue. The 40th colour is
    /// still 14.8 ΔE00 from every earlier one. Class `k` uses `classes[k % 48]`,
    /// exposed to CSS as `--nn-class-(k % 48)`.
    public static let classes: [String] = [
        0x0070B0, 0xFF1800, 0x009800, 0xF000FF, 0xD09800, 0x00B8B8, 0xA80050, 0x785000,
        0x988890, 0x5000E0, 0x006050, 0x90B8FF, 0xB8D800, 0xFFB098, 0xFFB0F0, 0xFF4880,
        0x20E898, 0xA0A888, 0x605070, 0x902810, 0x405800, 0x8878D0, 0x606058, 0xB07858,
        0x888818, 0x688888, 0xFF8008, 0xB000A8, 0x00A0D0, 0xA8C8D0, 0x885858, 0xB06898,
        0xD8C0C8, 0x40A078, 0xE0C090, 0x304898, 0x185868, 0x587850, 0xD80038, 0x30D000,
        0xB0A8D8, 0xF098A8, 0x4058FF, 0x98D0B8, 0x00D8FF, 0xB05000, 0x687080, 0xD088FF,
    ].map(hex)

    /// Dash patterns (SVG `stroke-dasharray`, in px), cycled with the series
    /// index; 5 patterns against 8 colours, so no two of the first 40 series
    /// share both colour and dash.
    static let dashes: [String?] = [nil, "6 3", "2 2.5", "8 3 2 3", "12 4"]

    /// Marker shapes cycled with the series index (6 shapes against 8 colours).
    static let markers: [MarkerShape] = [.circle, .square, .triangleUp, .diamond, .triangleDown, .pentagon]

    static func seriesColor(_ slot: Int) -> String { series[slot % series.count] }
    static func classColor(_ classID: Int) -> String { classes[((classID % classes.count) + classes.count) % classes.count] }

    private static func hex(_ rgb: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        var out = "#"
        for shift in stride(from: 20, through: 0, by: -4) {
            out.append(digits[(rgb >> shift) & 0xF])
        }
        return out
    }
}

/// A marker drawn at data points.
public enum MarkerShape: String, Sendable, Equatable, CaseIterable {
    case circle, square, triangleUp, diamond, triangleDown, pentagon, cross, plus

    /// Path data of this marker centred at (x, y), about `size` px across.
    func path(x: Double, y: Double, size: Double) -> String {
        let r = size / 2
        let c = NumberFormatting.coordinate
        switch self {
        case .circle:
            return "M\(c(x - r)) \(c(y))a\(c(r)) \(c(r)) 0 1 0 \(c(2 * r)) 0a\(c(r)) \(c(r)) 0 1 0 \(c(-2 * r)) 0z"
        case .square:
            let s = r * 0.9
            return "M\(c(x - s)) \(c(y - s))h\(c(2 * s))v\(c(2 * s))h\(c(-2 * s))z"
        case .diamond:
            let s = r * 1.2
            return "M\(c(x)) \(c(y - s))L\(c(x + s)) \(c(y)) \(c(x)) \(c(y + s)) \(c(x - s)) \(c(y))z"
        case .triangleUp, .triangleDown:
            let s = r * 1.15
            let direction = self == .triangleUp ? 1.0 : -1.0
            return "M\(c(x)) \(c(y - direction * s))L\(c(x + s)) \(c(y + direction * s * 0.75)) "
                + "\(c(x - s)) \(c(y + direction * s * 0.75))z"
        case .pentagon:
            var d = ""
            for k in 0..<5 {
                let angle = -Double.pi / 2 + Double(k) * 2 * Double.pi / 5
                d += (k == 0 ? "M" : k == 1 ? "L" : " ") + c(x + r * 1.1 * cos(angle)) + " " + c(y + r * 1.1 * sin(angle))
            }
            return d + "z"
        case .cross:
            return "M\(c(x - r)) \(c(y - r))l\(c(2 * r)) \(c(2 * r))m0 \(c(-2 * r))l\(c(-2 * r)) \(c(2 * r))"
        case .plus:
            return "M\(c(x - r)) \(c(y))h\(c(2 * r))M\(c(x)) \(c(y - r))v\(c(2 * r))"
        }
    }

    /// Whether the shape is drawn with strokes only (no fill).
    var isStrokeOnly: Bool { self == .cross || self == .plus }
}
