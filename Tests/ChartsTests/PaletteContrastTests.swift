import Foundation
import Testing
@testable import Charts

/// The series colours every reader sees: the charts' own colours (standalone SVG
/// files, and the page's light theme and print, which do not override them) and
/// the page's dark theme, read from `Templates/style.css` as the browser reads it.
/// Each series needs 3:1 against the background it is drawn on (WCAG 2.x
/// non-text contrast) and must stay apart from every other series (CIEDE2000).
@Suite struct PaletteContrastTests {
    static let minimumContrast = 3.0
    /// ΔE00 of about 2 is just noticeable side by side; thin lines in a legend need far more.
    static let minimumDifference = 15.0

    static let stylesheet = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Templates/style.css").standardizedFileURL

    struct Theme {
        var name: String
        var background: String
        var series: [String]
    }

    static func themes() throws -> [Theme] {
        let css = try Stylesheet(String(contentsOf: stylesheet, encoding: .utf8))
        let standalone = Theme(name: "standalone SVG", background: ChartTheme.background, series: Palette.series)
        let page = try css.theme("light page", media: nil)
        let dark = try css.theme("dark page", media: "screen and (prefers-color-scheme: dark)")
        let print = try css.theme("print", media: "print")
        return [standalone, page, dark, print]
    }

    @Test func everySeriesStandsOutFromTheBackground() throws {
        let themes = try Self.themes()
        #expect(themes.count == 4)
        for theme in themes {
            for (index, color) in theme.series.enumerated() {
                let ratio = try ColorMath.contrast(color, theme.background)
                #expect(ratio >= Self.minimumContrast,
                        "\(theme.name): series \(index + 1) \(color) has \(ratio):1 against \(theme.background)")
            }
        }
    }

    @Test func everyPairOfSeriesIsDistinct() throws {
        for theme in try Self.themes() {
            #expect(theme.series.count == Palette.series.count)
            for i in theme.series.indices {
                for j in theme.series.indices where j > i {
                    let difference = try ColorMath.ciede2000(theme.series[i], theme.series[j])
                    #expect(difference >= Self.minimumDifference,
                            "\(theme.name): series \(i + 1) \(theme.series[i]) and \(j + 1) \(theme.series[j]) are only \(difference) ΔE00 apart")
                }
            }
        }
    }

    /// The dark theme must not fall back to light colours made for a white page.
    @Test func theDarkThemeOverridesEverySeries() throws {
        let css = try Stylesheet(String(contentsOf: Self.stylesheet, encoding: .utf8))
        let overrides = try css.declarations(media: "screen and (prefers-color-scheme: dark)")
        for slot in 1...Palette.series.count {
            #expect(overrides["--nn-series-\(slot)"] != nil, "the dark theme keeps the light --nn-series-\(slot)")
        }
    }

    // The formulas, against published values.

    @Test func contrastFollowsWCAG() throws {
        #expect(try ColorMath.contrast("#000000", "#FFFFFF") == 21)
        #expect(try ColorMath.contrast("#ffffff", "#ffffff") == 1)
        // WCAG's own example threshold: #767676 on white is the lightest grey with 4.5:1.
        #expect(abs(try ColorMath.contrast("#767676", "#FFFFFF") - 4.54) < 0.01)
    }

    /// Pairs 1, 7, 17 and 25 of Sharma, Wu and Dalal (2005), "The CIEDE2000
    /// color-difference formula: implementation notes, supplementary test data".
    @Test func ciede2000MatchesSharmasTestData() {
        let pairs: [((Double, Double, Double), (Double, Double, Double), Double)] = [
            ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
            ((50, 0, 0), (50, -1, 2), 2.3669),
            ((50, 2.5, 0), (56, -27, -3), 31.9030),
            ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ]
        for (first, second, expected) in pairs {
            #expect(abs(ColorMath.ciede2000(lab: first, second) - expected) < 1e-4)
        }
    }

    @Test func theStylesheetParserReadsMediaBlocks() throws {
        let css = try Stylesheet("""
            /* a comment with :root { --x: #000000; } */
            :root { --a: #111111; --b: var(--a); }
            @media print { :root { --a: #222222; } body { color: red; } }
            """)
        #expect(try css.declarations(media: nil) == ["--a": "#111111", "--b": "var(--a)"])
        #expect(try css.declarations(media: "print") == ["--a": "#222222"])
        #expect(try css.theme("t", media: "print").background == "#ffffff")
        #expect(throws: (any Error).self) { try css.declarations(media: "screen") }
    }
}

/// The custom properties of a stylesheet's `:root` rules, at the top level or
/// inside one `@media` block. Enough CSS for `style.css`: comments, nested
/// braces, `var(--name)` references.
struct Stylesheet {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// (media query or nil, `:root` declarations) in source order.
    private var blocks: [(media: String?, properties: [String: String])] = []

    init(_ text: String) throws {
        var source = text
        while let open = source.range(of: "/*") {
            guard let close = source.range(of: "*/", range: open.upperBound..<source.endIndex) else {
                throw Missing(description: "unclosed comment")
            }
            source.removeSubrange(open.lowerBound..<close.upperBound)
        }
        try parse(Substring(source), media: nil)
    }

    private mutating func parse(_ text: Substring, media: String?) throws {
        var rest = text
        while let brace = rest.firstIndex(of: "{") {
            let selector = rest[..<brace].split(separator: "}").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            var depth = 0
            var end = brace
            for index in rest[brace...].indices {
                if rest[index] == "{" { depth += 1 }
                if rest[index] == "}" { depth -= 1 }
                if depth == 0 {
                    end = index
                    break
                }
            }
            guard depth == 0 else { throw Missing(description: "unbalanced braces after \(selector)") }
            let body = rest[rest.index(after: brace)..<end]
            if selector.hasPrefix("@media") {
                try parse(body, media: selector.dropFirst("@media".count).trimmingCharacters(in: .whitespaces))
            } else if selector == ":root" {
                var properties: [String: String] = [:]
                for declaration in body.split(separator: ";") {
                    let parts = declaration.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    let name = parts[0].trimmingCharacters(in: .whitespacesAndNewlines)
                    if name.hasPrefix("--") { properties[name] = parts[1].trimmingCharacters(in: .whitespacesAndNewlines) }
                }
                blocks.append((media, properties))
            }
            rest = rest[rest.index(after: end)...]
        }
    }

    /// The custom properties of the `:root` rules under `media` (nil: top level).
    func declarations(media: String?) throws -> [String: String] {
        let matching = blocks.filter { $0.media == media }
        guard !matching.isEmpty else { throw Missing(description: "no :root rule under @media \(media ?? "(none)")") }
        return matching.reduce(into: [:]) { $0.merge($1.properties) { $1 } }
    }

    /// The colours a chart gets under `media` (the top-level rules, then that
    /// block's): `--nn-bg` and `--nn-series-1…8`, each falling back to the
    /// chart's own colour as `var(--nn-…, fallback)` does.
    func theme(_ name: String, media: String?) throws -> PaletteContrastTests.Theme {
        var properties = try declarations(media: nil)
        if let media { properties.merge(try declarations(media: media)) { $1 } }
        func resolve(_ property: String, fallback: String) throws -> String {
            var value = properties[property] ?? fallback
            var steps = 0
            while value.hasPrefix("var(") {
                let reference = value.dropFirst(4).prefix { $0 != ")" && $0 != "," }
                guard let next = properties[String(reference)], steps < 10 else {
                    throw Missing(description: "\(property) refers to undefined \(reference)")
                }
                value = next
                steps += 1
            }
            return value
        }
        return PaletteContrastTests.Theme(
            name: name, background: try resolve("--nn-bg", fallback: ChartTheme.background),
            series: try Palette.series.indices.map { try resolve("--nn-series-\($0 + 1)", fallback: Palette.series[$0]) })
    }
}

/// WCAG 2 contrast and CIEDE2000 colour difference of sRGB colours.
enum ColorMath {
    struct BadColor: Error {
        var text: String
    }

    /// Linear-light channels of `#rrggbb`.
    static func linear(_ hex: String) throws -> (Double, Double, Double) {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        guard digits.count == 6, let value = Int(digits, radix: 16) else { throw BadColor(text: hex) }
        func channel(_ shift: Int) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return (channel(16), channel(8), channel(0))
    }

    /// WCAG 2 contrast ratio, (L1 + 0.05) / (L2 + 0.05) of relative luminances.
    static func contrast(_ first: String, _ second: String) throws -> Double {
        func luminance(_ hex: String) throws -> Double {
            let (r, g, b) = try linear(hex)
            return 0.2126 * r + 0.7152 * g + 0.0722 * b
        }
        let (a, b) = (try luminance(first), try luminance(second))
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// CIELAB (D65) of an sRGB colour.
    static func lab(_ hex: String) throws -> (Double, Double, Double) {
        let (r, g, b) = try linear(hex)
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
        func f(_ t: Double) -> Double { t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116 }
        return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))
    }

    static func ciede2000(_ first: String, _ second: String) throws -> Double {
        ciede2000(lab: try lab(first), try lab(second))
    }

    /// CIEDE2000 (Sharma, Wu and Dalal 2005), kL = kC = kH = 1.
    static func ciede2000(lab first: (Double, Double, Double), _ second: (Double, Double, Double)) -> Double {
        let (l1, a1, b1) = first
        let (l2, a2, b2) = second
        let radians = Double.pi / 180
        let meanC = (hypot(a1, b1) + hypot(a2, b2)) / 2
        let g = 0.5 * (1 - sqrt(pow(meanC, 7) / (pow(meanC, 7) + pow(25, 7))))
        let (a1p, a2p) = ((1 + g) * a1, (1 + g) * a2)
        let (c1p, c2p) = (hypot(a1p, b1), hypot(a2p, b2))
        func hue(_ b: Double, _ a: Double) -> Double {
            guard a != 0 || b != 0 else { return 0 }
            let h = atan2(b, a) / radians
            return h < 0 ? h + 360 : h
        }
        let (h1p, h2p) = (hue(b1, a1p), hue(b2, a2p))
        let deltaL = l2 - l1
        let deltaC = c2p - c1p
        var deltaH = 0.0
        if c1p * c2p != 0 {
            deltaH = h2p - h1p
            if deltaH > 180 { deltaH -= 360 } else if deltaH < -180 { deltaH += 360 }
        }
        let deltaBigH = 2 * sqrt(c1p * c2p) * sin(deltaH / 2 * radians)
        let meanL = (l1 + l2) / 2
        let meanCp = (c1p + c2p) / 2
        var meanH = h1p + h2p
        if c1p * c2p != 0 {
            meanH = abs(h1p - h2p) <= 180 ? meanH / 2 : (meanH < 360 ? (meanH + 360) / 2 : (meanH - 360) / 2)
        }
        let t = 1 - 0.17 * cos((meanH - 30) * radians) + 0.24 * cos(2 * meanH * radians)
            + 0.32 * cos((3 * meanH + 6) * radians) - 0.20 * cos((4 * meanH - 63) * radians)
        let deltaTheta = 30 * exp(-pow((meanH - 275) / 25, 2))
        let rc = 2 * sqrt(pow(meanCp, 7) / (pow(meanCp, 7) + pow(25, 7)))
        let sl = 1 + 0.015 * pow(meanL - 50, 2) / sqrt(20 + pow(meanL - 50, 2))
        let sc = 1 + 0.045 * meanCp
        let sh = 1 + 0.015 * meanCp * t
        let rt = -sin(2 * deltaTheta * radians) * rc
        let (dl, dc, dh) = (deltaL / sl, deltaC / sc, deltaBigH / sh)
        return sqrt(dl * dl + dc * dc + dh * dh + rt * dc * dh)
    }
}
