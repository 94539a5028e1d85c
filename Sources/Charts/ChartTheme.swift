/// How charts take their font and colours from the page that shows them.
///
/// Every SVG carries one `<style>` element whose rules are scoped to the
/// figure's root id (`#ID .grid{...}`), so several figures inline in one HTML
/// page never restyle one another. Each colour is declared twice, a plain value
/// first and then `var(--nn-…, same value)`: renderers without CSS custom
/// properties (librsvg, older tools) keep the plain value, browsers let the
/// page override it, e.g. for dark mode or print.
///
/// | custom property | what it sets | fallback |
/// |---|---|---|
/// | `--nn-font` | font family of all text | `"DejaVu Sans", Verdana, Arial, Helvetica, sans-serif` |
/// | `--nn-bg` | figure background, halos behind labels | `#ffffff` |
/// | `--nn-fg` | text, axis lines, ticks, misclassified-point rings | `#222222` |
/// | `--nn-muted` | notes and other secondary text | `#595959` |
/// | `--nn-grid` | grid lines | `#e3e3e3` |
/// | `--nn-series-1` … `--nn-series-8` | lines, markers, bands, bars | ``Palette/series`` (Okabe-Ito hues, ≥ 3:1 on white) |
/// | `--nn-class-0` … `--nn-class-47` | decision-map regions and points, by class id | ``Palette/classes`` (Glasbey-style) |
/// | `--nn-band-opacity` | shaded intervals around lines | `0.18` |
/// | `--nn-region-opacity` | decision-map class regions | `0.5` |
public enum ChartTheme {
    /// The custom property names above, for a page's stylesheet or its tests.
    public static let customProperties: [String] =
        ["--nn-font", "--nn-bg", "--nn-fg", "--nn-muted", "--nn-grid"]
        + (1...Palette.series.count).map { "--nn-series-\($0)" }
        + (0..<Palette.classes.count).map { "--nn-class-\($0)" }
        + ["--nn-band-opacity", "--nn-region-opacity"]

    static let fontFamily = "\"DejaVu Sans\",Verdana,Arial,Helvetica,sans-serif"
    static let background = "#ffffff"
    static let foreground = "#222222"
    static let muted = "#595959"
    static let grid = "#e3e3e3"

    // Font sizes in px.
    static let tickSize = 11.0
    static let labelSize = 12.0
    static let titleSize = 14.0
    static let legendSize = 11.0
    static let noteSize = 10.5
}

/// The `<style>` body of one figure: rules scoped to `#figureID`.
struct StyleSheet {
    private let scope: String
    private var rules: [String] = []

    init(figureID: String) {
        scope = "#" + figureID
        add("", "font-family:" + ChartTheme.fontFamily,
            "font-family:var(--nn-font," + ChartTheme.fontFamily + ")", "font-size:11px")
        add(" text", Self.themed("fill", "fg", ChartTheme.foreground))
        add(" .bg", Self.themed("fill", "bg", ChartTheme.background))
        add(" .title", "font-size:14px", "font-weight:bold")
        add(" .axis-title", "font-size:12px")
        add(" text.muted", Self.themed("fill", "muted", ChartTheme.muted))
        add(" .note", "font-size:10.5px")
        add(" .grid", Self.themed("stroke", "grid", ChartTheme.grid), "stroke-width:1", "fill:none")
        add(" .spine", Self.themed("stroke", "fg", ChartTheme.foreground), "stroke-width:1", "fill:none")
        add(" .halo", Self.themed("stroke", "bg", ChartTheme.background), "stroke-width:3px",
            "stroke-linejoin:round", "paint-order:stroke")
    }

    /// Adds `scope + selector { declarations }`; `selector` starts with a space
    /// for descendants (" .grid") or is empty for the root.
    mutating func add(_ selector: String, _ declarations: String...) {
        add(selector, declarations: declarations)
    }

    mutating func add(_ selector: String, declarations: [String]) {
        rules.append(scope + selector + "{" + declarations.joined(separator: ";") + "}")
    }

    /// Fill and stroke classes `.fN`/`.sN` for series colour slots 1...count.
    mutating func addSeriesColors(count: Int) {
        for slot in 1...max(1, min(count, Palette.series.count)) {
            let color = Palette.seriesColor(slot - 1)
            add(" .s\(slot)", Self.themed("stroke", "series-\(slot)", color))
            add(" .f\(slot)", Self.themed("fill", "series-\(slot)", color))
        }
    }

    /// `property:fallback;property:var(--nn-name,fallback)`.
    static func themed(_ property: String, _ name: String, _ fallback: String) -> String {
        property + ":" + fallback + ";" + property + ":var(--nn-" + name + "," + fallback + ")"
    }

    var css: String { rules.joined(separator: "\n") + "\n" }
}

/// Identifiers inside one figure, all carrying the figure's prefix.
enum FigureID {
    /// `prefix` reduced to characters valid in an XML id and a CSS selector
    /// (ASCII letters, digits, `-`, `_`), starting with a letter.
    static func sanitize(_ prefix: String) -> String {
        var out = ""
        for scalar in prefix.unicodeScalars {
            let v = scalar.value
            let allowed = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                || scalar == "-" || scalar == "_"
            out.unicodeScalars.append(allowed ? scalar : "-")
        }
        if let first = out.unicodeScalars.first, (first.value >= 0x41 && first.value <= 0x5A)
            || (first.value >= 0x61 && first.value <= 0x7A) {
            return out
        }
        return "fig-" + out
    }
}

/// A chart's SVG written as a file of its own.
public enum StandaloneSVG {
    /// `svg`, the output of a chart's `render()`, as a standalone document: an
    /// XML declaration, then the chart with `aria-labelledby` taken off its root.
    /// Inline in HTML that attribute names the figure by its `<title>` and
    /// `<desc>`; SVG 1.1 does not define it (the Nu validator's SVG mode rejects
    /// it), and an `<svg role="img">` whose first children are `<title>` and
    /// `<desc>` is named and described by them anyway (SVG-AAM).
    public static func document(_ svg: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + withoutRootLabel(svg)
    }

    static func withoutRootLabel(_ svg: String) -> String {
        // Attribute values are escaped, so the root tag ends at the first ">".
        guard let rootEnd = svg.firstIndex(of: ">"),
              let start = svg.range(of: " aria-labelledby=\"", range: svg.startIndex..<rootEnd),
              let end = svg[start.upperBound..<rootEnd].firstIndex(of: "\"") else { return svg }
        return String(svg[..<start.lowerBound] + svg[svg.index(after: end)...])
    }
}

/// The opening of every figure: root `<svg>` with `role="img"`, `<title>`,
/// `<desc>`, the scoped `<style>` and the background.
enum FigureDocument {
    static func begin(_ svg: inout SVGBuilder, id: String, width: Double, height: Double,
                      title: String, description: String, style: StyleSheet) {
        let w = NumberFormatting.coordinate(width)
        let h = NumberFormatting.coordinate(height)
        svg.open("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("id", id), ("class", "nn-chart"), ("role", "img"),
            ("aria-labelledby", "\(id)-title \(id)-desc"),
            ("width", w), ("height", h), ("viewBox", "0 0 \(w) \(h)"),
        ])
        svg.element("title", [("id", "\(id)-title")], text: title)
        svg.element("desc", [("id", "\(id)-desc")], text: description)
        svg.open("style")
        svg.raw(style.css)
        svg.close()
        svg.element("rect", [("class", "bg"), ("width", w), ("height", h)])
    }
}
