import Foundation
import Testing
@testable import Charts

/// Escaping, non-finite input, ids, accessibility and determinism, for every chart kind.
@Suite struct SafetyTests {
    static let script = "<script>alert(1)</script>"

    /// One chart of each kind with hostile text and non-finite numbers everywhere.
    static func hostileCharts(prefix: String) -> [(String, String)] {
        let bad = [Double.nan, .infinity, -.infinity]
        let line = LineChart(
            id: prefix + "line", title: script, summary: nil,
            x: Axis(script, unit: "&\"'"), y: Axis("y \(script)", scale: .logarithmic),
            series: [
                LineSeries(name: script, x: [1, 2, .nan, 4, .infinity, 6], y: [1, .nan, 3, -.infinity, 5, .nan],
                           band: Band(lower: [0.5] + bad + [1, 2], upper: bad + [2, 3, 4], label: script),
                           marks: [PointMark(x: .nan), PointMark(x: 4, label: script), PointMark(x: .infinity)],
                           stopLabel: script, smoothing: .nan),
                LineSeries(name: "all bad", x: bad, y: bad),
                LineSeries(name: "empty", x: [], y: []),
            ], legendTitle: script, notes: [script])
        let linear = LineChart(id: prefix + "lin", title: "t", x: Axis("x", domain: -Double.infinity...Double.infinity),
                               y: Axis("y", domain: 1...1), series: [LineSeries(name: "n", x: bad, y: [1, 2, 3])])
        let bars = BarChart(id: prefix + "bars", title: script, categories: [script, "b"], categoryTitle: script,
                            y: Axis(script), series: [BarSeries(name: script, values: [.nan, .infinity],
                                                                lower: [.nan, 0], upper: [.infinity, 1])],
                            legendTitle: script, notes: [script])
        let grid = ClassGrid(columns: 2, rows: 2, classes: [0, 1, -1, 7], xRange: 0...1, yRange: 0...1)
        let map = DecisionMap(id: prefix + "map", title: script, grid: grid, classNames: [script, "a\u{1}b"],
                              points: [LabeledPoint(x: .nan, y: 0.5, trueClass: 0), LabeledPoint(x: 0.5, y: 0.5, trueClass: 1, predictedClass: 0),
                                       LabeledPoint(x: 0.2, y: .infinity, trueClass: -3)],
                              pointsName: script, x: Axis(script), aspectRatio: .nan, mapWidth: .infinity, notes: [script])
        let badGrid = DecisionMap(id: prefix + "badgrid", title: "", grid: ClassGrid(columns: 3, rows: 3, classes: [1],
                                  xRange: 0...Double.infinity, yRange: 1...1), classNames: [], points: [])
        let images = ImageGrid(id: prefix + "img", title: script,
                               images: [GridImage(png: ExampleData.tinyPNG, caption: script, alternative: script),
                                        GridImage(png: Data(), caption: script)], cellWidth: .nan, notes: [script])
        return [("line", line.render()), ("linear", linear.render()), ("bars", bars.render()), ("map", map.render()),
                ("badgrid", badGrid.render()), ("images", images.render())]
    }

    @Test func hostileTextIsEscapedAndTheOutputParses() {
        for (name, svg) in Self.hostileCharts(prefix: "h-") {
            assertWellFormed(svg, name: name)
            #expect(!svg.contains("<script"), "\(name) contains a raw <script>")
            #expect(!svg.contains("\u{1}"), "\(name) contains a control character")
            if name != "linear" && name != "badgrid" {
                #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(name) lost the escaped text")
            }
        }
    }

    @Test func nonFiniteInputNeverReachesTheSVG() throws {
        let pattern = try NSRegularExpression(pattern: "nan|inf(inity)?\\b", options: [.caseInsensitive])
        for (name, svg) in Self.hostileCharts(prefix: "n-") {
            let range = NSRange(svg.startIndex..., in: svg)
            let match = pattern.firstMatch(in: svg, range: range).map { String(svg[Range($0.range, in: svg)!]) }
            #expect(match == nil, "\(name) prints \(match ?? "")")
        }
    }

    @Test func everyIdCarriesTheFigurePrefixAndReferencesResolve() throws {
        let idPattern = try NSRegularExpression(pattern: "\\bid=\"([^\"]+)\"")
        let urlPattern = try NSRegularExpression(pattern: "url\\(#([^)]+)\\)")
        var seen: Set<String> = []
        let figures = Self.hostileCharts(prefix: "p1-") + Self.hostileCharts(prefix: "p2-")
            + CachedGallery.figures
        for (name, svg) in figures {
            let range = NSRange(svg.startIndex..., in: svg)
            let ids = idPattern.matches(in: svg, range: range).map { String(svg[Range($0.range(at: 1), in: svg)!]) }
            let root = ids.first ?? ""
            #expect(!root.isEmpty, "\(name) has no root id")
            for id in ids {
                #expect(id == root || id.hasPrefix(root + "-"), "\(name): id \(id) lacks the prefix \(root)")
                #expect(!seen.contains(id), "id \(id) appears in two figures")
                seen.insert(id)
            }
            for match in urlPattern.matches(in: svg, range: range) {
                let target = String(svg[Range(match.range(at: 1), in: svg)!])
                #expect(ids.contains(target), "\(name) refers to a missing id \(target)")
            }
        }
        #expect(FigureID.sanitize("1 bad id\"") == "fig-1-bad-id-")
        #expect(FigureID.sanitize("lr") == "lr")
    }

    @Test func everyFigureIsAccessible() {
        for (name, svg) in Self.hostileCharts(prefix: "a-") + CachedGallery.figures {
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\""), "\(name)")
            #expect(svg.contains(" role=\"img\""), "\(name) lacks role=img")
            #expect(svg.contains("<title id=\"") && svg.contains("<desc id=\""), "\(name) lacks title or desc")
            #expect(svg.contains("var(--nn-fg,#222222)"), "\(name) does not take colours from custom properties")
        }
    }

    @Test func identicalInputGivesIdenticalBytes() {
        let first = Self.hostileCharts(prefix: "d-")
        let second = Self.hostileCharts(prefix: "d-")
        #expect(first.map(\.1) == second.map(\.1))
    }

    @Test func numbersAreFormattedWithoutLocaleOrNegativeZero() {
        #expect(NumberFormatting.coordinate(-0.001) == "0")
        #expect(NumberFormatting.coordinate(12.5) == "12.5")
        #expect(NumberFormatting.coordinate(3.14159) == "3.14")
        #expect(NumberFormatting.coordinate(-2.005) == "-2.01")
        #expect(NumberFormatting.coordinate(.nan) == "0")
        #expect(NumberFormatting.fixed(0.5, decimals: 2) == "0.50")
        #expect(NumberFormatting.fixed(-0.0001, decimals: 1) == "0.0")
        #expect(NumberFormatting.count(1_234_567) == "1,234,567")
        #expect(NumberFormatting.significant(0.41234).plain == "0.412")
        #expect(NumberFormatting.significant(1234.5).plain == "1,230")
        #expect(NumberFormatting.significant(2.5e-7).plain == "2.5×10^\u{2212}7")
        #expect(NumberFormatting.significant(9.9996e5).plain == "1,000,000")
        #expect(NumberFormatting.significant(-0.0375).plain == "-0.0375")
    }

    @Test func escapingCoversTextAndAttributes() {
        #expect(XMLEscaping.text("a < b & c > d \"q\"") == "a &lt; b &amp; c &gt; d \"q\"")
        #expect(XMLEscaping.attribute("say \"hi\" & <go>") == "say &quot;hi&quot; &amp; &lt;go&gt;")
        #expect(XMLEscaping.text("tab\tok\u{0}\u{1B}\u{FFFF}") == "tab\tok")
        #expect(XMLEscaping.text("plain") == "plain")
    }
}
