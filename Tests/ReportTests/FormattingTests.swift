import Foundation
import Testing
@testable import Report
@testable import Study

/// Numbers and CSV: fixed, locale-independent text.
@Suite struct FormattingTests {
    @Test func epochsOverSeedsShowTheSeedsRangeNeverPastTheRun() throws {
        #expect(NumberText.epoch(try #require(Estimate([14]))) == "14")
        // Best epochs 18, 50, 50 of a 50-epoch run: a t-interval would reach 90; the range stays within the run.
        #expect(NumberText.epoch(try #require(Estimate([18, 50, 50]))) == "39.3 (seeds: 18 to 50)")
        #expect(NumberText.epoch(try #require(Estimate([7, 7]))) == "7")
    }

    @Test func fixedRoundsHalfAwayFromZeroWithoutNegativeZero() {
        #expect(NumberText.fixed(0.9534, 3) == "0.953")
        #expect(NumberText.fixed(0.0005, 3) == "0.001")
        #expect(NumberText.fixed(-1.2, 2) == "\u{2212}1.20")
        #expect(NumberText.fixed(-0.0001, 3) == "0.000")
        #expect(NumberText.fixed(.nan, 3) == "n/a")
        #expect(NumberText.signed(0.042, 3) == "+0.042")
        #expect(NumberText.signed(0, 3) == "0.000")
    }

    @Test func estimatesShowIntervalsOnlyWithSeveralSeeds() throws {
        let one = try #require(Estimate([0.953]))
        #expect(NumberText.estimate(one, 3) == "0.953")
        // Mean 0.95, sample sd 0.01, half-width 4.303 × 0.01 / √3 = 0.0248.
        let three = try #require(Estimate([0.94, 0.95, 0.96]))
        #expect(NumberText.estimate(three, 3) == "0.950 ± 0.025")
        #expect(NumberText.estimate(try #require(Estimate([12345])), 0) == "12,345")
    }

    @Test func scientificAndMagnitudes() throws {
        #expect(NumberText.scientific(1.23e-12) == "1.2×10⁻¹²")
        #expect(NumberText.scientific(1e-5) == "10⁻⁵")
        #expect(NumberText.scientific(9.96e-4) == "10⁻³")
        #expect(NumberText.scientific(0.34) == "0.34")
        #expect(NumberText.scientific(12) == "12")
        #expect(NumberText.scientific(0) == "0")
        #expect(NumberText.scientific(4.5e21) == "4.5×10²¹")
        // Geometric mean of 10⁻⁴ and 10⁻², with the range over seeds.
        #expect(NumberText.magnitude(try #require(Estimate([1e-4, 1e-2]))) == "10⁻³ (seeds: 10⁻⁴ to 0.010)")
    }

    @Test func percentCountAndSeconds() {
        #expect(NumberText.percent(0.42) == "42%")
        #expect(NumberText.percent(0.042) == "4.2%")
        #expect(NumberText.percent(0.0006) == "0.06%")
        // A share that is not all or nothing never reads as 100% or 0%.
        #expect(NumberText.percent(199.0 / 200) == "99.5%")
        #expect(NumberText.percent(0.99996) == "99.996%")
        #expect(NumberText.percent(1) == "100%")
        #expect(NumberText.percent(0.00001) == "0.001%")
        #expect(NumberText.count(1_234_567) == "1,234,567")
        #expect(NumberText.seconds(3.456) == "3.46 s")
        #expect(NumberText.seconds(125) == "2 min 05 s")
    }

    @Test func csvQuotesWhatNeedsQuoting() {
        #expect(CSV.quote("plain") == "plain")
        #expect(CSV.quote("a, b") == "\"a, b\"")
        #expect(CSV.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.quote("two\nlines") == "\"two\nlines\"")
        #expect(CSV.quote(" padded") == "\" padded\"")
    }

    @Test func csvSplitsEstimatesOverSeedsIntoThreeColumns() throws {
        let one = Table(name: "t", caption: "", columns: [Table.Column("Setting", numeric: false), Table.Column("Accuracy")],
                        rows: [[.text("a, b"), .estimate(Estimate([0.5]), decimals: 3)]])
        #expect(one.csv() == "Setting,Accuracy\r\n\"a, b\",0.5\r\n")
        let three = Table(name: "t", caption: "", columns: [Table.Column("Setting", numeric: false), Table.Column("Accuracy")],
                          rows: [[.text("x"), .estimate(Estimate([1, 2, 3]), decimals: 3)], [.text("y"), .estimate(nil, decimals: 3)]])
        let lines = three.csv().split(separator: "\r\n").map(String.init)
        #expect(lines[0] == "Setting,Accuracy,Accuracy 95% low,Accuracy 95% high")
        // Mean 2, sd 1, half-width 4.303 / √3.
        let fields = lines[1].split(separator: ",")
        #expect(fields[0] == "x" && fields[1] == "2")
        #expect(abs(Double(fields[2])! - (2 - 4.303 / 3.0.squareRoot())) < 1e-9)
        #expect(lines[2] == "y,,,")
    }

    /// Magnitudes over seeds: the CSV gives the centre the page shows (the geometric mean
    /// of positive values, the plain mean with a zero) and the range over seeds.
    @Test func csvOfMagnitudesGivesThePagesCentreAndTheSeedRange() throws {
        let table = Table(name: "t", caption: "", columns: [Table.Column("Layer"), Table.Column("Norm")],
                          rows: [[.integer(0), .scientificEstimate(Estimate([1e-4, 1e-2]))],
                                 [.integer(1), .scientificEstimate(Estimate([0, 3e-3]))]])
        let lines = table.csv().split(separator: "\r\n").map(String.init)
        #expect(lines[0] == "Layer,Norm,Norm lowest seed,Norm highest seed")
        let positive = lines[1].split(separator: ",").compactMap { Double($0) }
        #expect(abs(positive[1] - 1e-3) < 1e-15 && positive[2] == 1e-4 && positive[3] == 1e-2, "\(lines[1])")
        #expect(table.rows[0][1].display.hasPrefix("10⁻³"))
        let withZero = lines[2].split(separator: ",").compactMap { Double($0) }
        #expect(withZero[1] == 1.5e-3 && withZero[2] == 0 && withZero[3] == 3e-3, "\(lines[2])")
    }

    @Test func anchorsAreSafeIdentifiers() {
        #expect(Anchor.make("6.1.2-q1") == "6-1-2-q1")
        #expect(Anchor.make("residual + batch norm") == "residual-batch-norm")
    }

    @Test func siteChecksResolvePathsInsideTheSite() {
        #expect(SiteChecks.normalise("figures/./a.svg") == "figures/a.svg")
        #expect(SiteChecks.normalise("tables/../index.html") == "index.html")
        #expect(SiteChecks.normalise("../outside.html") == nil)
        let references = SiteChecks.references(in: "<a href='x.csv'>x</a><IMG SRC=\"y.svg\"><!-- <a href=\"no\"> --><image href=\"data:,\"/>")
        #expect(references.map(\.value) == ["x.csv", "y.svg", "data:,"])
        #expect(references.map(\.tag) == ["a", "img", "image"])
    }
}
