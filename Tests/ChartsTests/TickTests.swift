import Foundation
import Testing
@testable import ChartGallery
@testable import Charts

@Suite struct TickTests {
    /// Seeded ranges over 24 orders of magnitude; a failure names its seed.
    @Test func linearTicksCoverTheRangeWithFourToTenRoundSteps() {
        for seed in UInt64(0)..<3000 {
            var random = ExampleRandom(seed: seed)
            let exponent = random.uniform(-12, 12)
            let lower = (random.uniform() * 2 - 1) * pow(10, exponent)
            let upper = lower + pow(10, exponent + random.uniform(-7, 1))
            let (ticks, step) = Ticks.linear(lower: lower, upper: upper, target: 4 + Int(seed % 5))
            let tolerance = step * 1e-9
            #expect((4...10).contains(ticks.count), "seed \(seed): \(ticks.count) ticks for [\(lower), \(upper)]")
            #expect(ticks.first! <= lower + tolerance && ticks.last! >= upper - tolerance,
                    "seed \(seed): \(ticks) do not cover [\(lower), \(upper)]")
            let mantissa = step / pow(10, (log10(step)).rounded(.down))
            #expect([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "seed \(seed): step \(step) is not 1, 2 or 5 × 10^k")
            for tick in ticks {
                let multiple = tick / step
                #expect(abs(multiple - multiple.rounded()) < 1e-6, "seed \(seed): \(tick) is not a multiple of \(step)")
            }
            for (a, b) in zip(ticks, ticks.dropFirst()) {
                #expect(abs((b - a) - step) <= step * 1e-6, "seed \(seed): uneven ticks \(ticks)")
            }
        }
    }

    @Test func linearTicksAreTheRoundDecimals() {
        #expect(Ticks.linear(lower: 0, upper: 1).values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(Ticks.linear(lower: 0.3, upper: 0.7, target: 5).values == [0.3, 0.4, 0.5, 0.6, 0.7])
        #expect(Ticks.linear(lower: -3, upper: 7, target: 6).values == [-4, -2, 0, 2, 4, 6, 8])
        #expect(Ticks.linear(lower: 1, upper: 50, target: 6).values == [0, 10, 20, 30, 40, 50])
    }

    @Test(arguments: [
        (Double.nan, 1.0), (0, Double.infinity), (-Double.infinity, Double.nan), (5, 5), (0, 0), (7, 3), (1e300, -1e300),
        (1, 1 + 1e-15),
    ] as [(Double, Double)])
    func degenerateLinearRangesStillGiveTicks(lower: Double, upper: Double) {
        let (ticks, step) = Ticks.linear(lower: lower, upper: upper)
        #expect((4...10).contains(ticks.count))
        #expect(ticks.allSatisfy(\.isFinite) && step.isFinite && step > 0)
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func linearLabelsShareTheirDecimals() {
        let (ticks, step) = Ticks.linear(lower: 0, upper: 1, target: 5)
        #expect(TickLabels.linear(ticks, step: step, percent: false).map(\.plain) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(TickLabels.linear(ticks, step: step, percent: true).map(\.plain) == ["0%", "20%", "40%", "60%", "80%", "100%"])
        let negative = Ticks.linear(lower: -2, upper: 2, target: 5)
        #expect(TickLabels.linear(negative.values, step: negative.step, percent: false).first?.plain == "\u{2212}2")
        let tiny = Ticks.linear(lower: 0, upper: 4e-5, target: 5)
        #expect(TickLabels.linear(tiny.values, step: tiny.step, percent: false).map(\.plain)
            == ["0", "10^\u{2212}5", "2×10^\u{2212}5", "3×10^\u{2212}5", "4×10^\u{2212}5"])
    }

    @Test func logTicksArePowersOfTenWithMinorTicks() {
        let ticks = Ticks.logarithmic(lower: 0.003, upper: 42)
        #expect(ticks.lower == 0.001 && ticks.upper == 100)
        #expect(ticks.labelled == [0.001, 0.01, 0.1, 1, 10, 100])
        #expect(ticks.minor.count == 5 * 8)
        #expect(ticks.minor.contains(0.002) && ticks.minor.contains(90))
        #expect(TickLabels.logarithmic(ticks.labelled, percent: false).map(\.plain) == ["0.001", "0.01", "0.1", "1", "10", "100"])
        let wide = Ticks.logarithmic(lower: 1e-30, upper: 5)
        #expect(wide.labelled.count <= 10 && wide.labelled.count >= 4)
        #expect(wide.lower <= 1e-30 && wide.upper >= 5)
        #expect(TickLabels.logarithmic([1e-6], percent: false).first == RichText("10", superscript: "\u{2212}6"))
        let narrow = Ticks.logarithmic(lower: 2, upper: 8)
        #expect(narrow.labelled == [1, 2, 5, 10])
    }

    @Test func logTicksPropertiesOverSeededRanges() {
        for seed in UInt64(0)..<2000 {
            var random = ExampleRandom(seed: seed)
            let lower = pow(10, random.uniform(-40, 40))
            let upper = lower * pow(10, random.uniform(0, 40))
            let ticks = Ticks.logarithmic(lower: lower, upper: upper)
            #expect(ticks.lower <= lower * (1 + 1e-12) && ticks.upper >= upper * (1 - 1e-12), "seed \(seed)")
            #expect((2...10).contains(ticks.labelled.count), "seed \(seed): \(ticks.labelled.count) labels")
            #expect(ticks.labelled.allSatisfy { $0 >= ticks.lower * (1 - 1e-12) && $0 <= ticks.upper * (1 + 1e-12) }, "seed \(seed)")
            #expect(ticks.minor.allSatisfy { $0 > ticks.lower && $0 < ticks.upper }, "seed \(seed)")
        }
    }

    @Test(arguments: [(0.0, 10.0), (-5, 100), (0, 0), (-3, -1), (Double.nan, 1), (1, Double.infinity), (10, 0.1)]
          as [(Double, Double)])
    func logTicksToleratePointlessBounds(lower: Double, upper: Double) {
        let ticks = Ticks.logarithmic(lower: lower, upper: upper)
        #expect(ticks.lower > 0 && ticks.upper > ticks.lower && ticks.upper.isFinite)
        #expect(!ticks.labelled.isEmpty)
    }

    /// A 95% interval of a positive quantity (a loss) can reach below 0; on a log axis its
    /// band is drawn down to the axis's end and said so, never counted as negative values
    /// of the quantity nor left out.
    @Test func logAxisDrawsBandsReachingBelowZeroToItsEnd() {
        let band = Band(lower: [0.5, -0.2, 0.05], upper: [1.5, 0.9, 0.2], label: "95% interval over 3 seeds")
        let chart = LineChart(id: "reach", title: "Loss", x: Axis("Epoch"), y: Axis("Loss", scale: .logarithmic),
                              series: [LineSeries(name: "lr 0.001", x: [1, 2, 3], y: [1, 0.35, 0.1], band: band)])
        let svg = chart.render()
        #expect(svg.contains("class=\"band f1\""), "the band is drawn")
        #expect(svg.contains("Where a shaded interval reaches 0 or below (1 point), it is drawn down to the axis's lower end."))
        #expect(!svg.contains("negative value"), "no value of the loss itself is negative")
        assertWellFormed(svg, name: "reach.svg")
        // The same band on a linear axis is drawn as it is, with no note.
        let linear = LineChart(id: "reach-linear", title: "Loss", x: Axis("Epoch"), y: Axis("Loss"),
                               series: [LineSeries(name: "lr 0.001", x: [1, 2, 3], y: [1, 0.35, 0.1], band: band)]).render()
        #expect(linear.contains("class=\"band f1\"") && !linear.contains("reaches 0 or below"))
    }

    @Test func logAxisDrawsZerosOnTheirOwnRowAndCountsNegatives() {
        let chart = LineChart(id: "zeros", title: "Gradients", x: Axis("Epoch"), y: Axis("Norm", scale: .logarithmic),
                              series: [LineSeries(name: "layer 0", x: [1, 2, 3, 4], y: [0, 0, -2, 1e-3])])
        let svg = chart.render()
        #expect(svg.contains("Values exactly 0 are drawn on the row marked 0"))
        #expect(svg.contains("1 negative value of Norm not shown"))
        assertWellFormed(svg, name: "zeros.svg")
        let onlyZeros = LineChart(id: "allzero", title: "", x: Axis("x"), y: Axis("y", scale: .logarithmic),
                                  series: [LineSeries(name: "z", x: [1, 2], y: [0, 0])]).render()
        assertWellFormed(onlyZeros, name: "allzero.svg")
        let logX = LineChart(id: "logx", title: "", x: Axis("lr", scale: .logarithmic), y: Axis("acc"),
                             series: [LineSeries(name: "a", x: [0, 1e-5, 1e-3, 1], y: [0.1, 0.2, 0.3, 0.4])]).render()
        #expect(logX.contains("column marked 0"))
        assertWellFormed(logX, name: "logx.svg")
    }
}
