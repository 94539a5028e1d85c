import Foundation
import Testing
@testable import ChartGallery
@testable import Charts

@Suite struct DownsamplingTests {
    private func noisy(_ count: Int, seed: UInt64) -> [Double] {
        var random = ExampleRandom(seed: seed)
        return (0..<count).map { i in 1 / (1 + Double(i) / 1000) + 0.2 * random.normal() + (random.uniform() < 1e-4 ? 50 : 0) }
    }

    @Test func shortSeriesComeBackUnchanged() {
        let result = Downsampling.minMax(x: [1, 2, 3], y: [3, 1, 2], maxVertices: 2000)
        #expect(result.x == [1, 2, 3] && result.y == [3, 1, 2] && result.indices == [0, 1, 2])
    }

    @Test(arguments: [(10_000, 100), (1_000_000, 2000), (4_001, 2000), (12_345, 37)])
    func everyBucketKeepsItsMinimumAndMaximum(count: Int, budget: Int) {
        let y = noisy(count, seed: UInt64(count))
        let x = (0..<count).map(Double.init)
        let result = Downsampling.minMax(x: x, y: y, maxVertices: budget)
        #expect(result.x.count <= budget)
        #expect(result.indices == result.indices.sorted() && Set(result.indices).count == result.indices.count)
        #expect(result.indices.first == 0 && result.indices.last == count - 1)
        let kept = Set(result.indices)
        let buckets = (budget - 2) / 2
        for bucket in 0..<buckets {
            let range = (bucket * count / buckets)..<((bucket + 1) * count / buckets)
            let low = range.min { y[$0] < y[$1] }!
            let high = range.max { y[$0] < y[$1] }!
            #expect(kept.contains(low) && kept.contains(high), "bucket \(bucket) lost its minimum or maximum")
        }
        #expect(result.y.max() == y.max() && result.y.min() == y.min())
        let again = Downsampling.minMax(x: x, y: y, maxVertices: budget)
        #expect(again.indices == result.indices)
    }

    @Test func logPositionBucketsKeepEachBucketsExtremes() {
        let count = 200_000
        let x = (1...count).map(Double.init)
        let y = noisy(count, seed: 9)
        let positions = x.map { log10($0) }
        let budget = 500
        let result = Downsampling.minMax(x: x, y: y, positions: positions, maxVertices: budget)
        #expect(result.x.count <= budget)
        #expect(result.y.max() == y.max() && result.y.min() == y.min())
        let buckets = (budget - 2) / 2
        let scale = Double(buckets) / (positions.last! - positions.first!)
        var low = [Int](repeating: -1, count: buckets)
        var high = [Int](repeating: -1, count: buckets)
        for i in 0..<count {
            let b = min(buckets - 1, Int((positions[i] - positions[0]) * scale))
            if low[b] < 0 || y[i] < y[low[b]] { low[b] = i }
            if high[b] < 0 || y[i] > y[high[b]] { high[b] = i }
        }
        let kept = Set(result.indices)
        #expect(low.filter { $0 >= 0 }.allSatisfy(kept.contains) && high.filter { $0 >= 0 }.allSatisfy(kept.contains))
        // The first decade (9 points) is kept whole: log buckets do not starve the left end.
        #expect((0..<9).allSatisfy(kept.contains))
    }

    @Test func nonFiniteValuesAreNeverChosen() {
        var y = noisy(5000, seed: 3)
        y[10] = .nan
        y[2000] = .infinity
        y[4999] = -.infinity
        let result = Downsampling.minMax(x: (0..<5000).map(Double.init), y: y, maxVertices: 100)
        #expect(result.y.allSatisfy(\.isFinite) && result.x.count <= 100)
    }

    @Test func longSeriesChartSaysItWasDownsampled() {
        let count = 1_000_000
        let y = noisy(count, seed: 5)
        let chart = LineChart(id: "million", title: "Loss per iteration", x: Axis("Iteration"), y: Axis("Loss"),
                              series: [LineSeries(name: "batch 1", y: y, startingAt: 1)])
        let svg = chart.render()
        #expect(svg.contains("longest series 1,000,000 points"))
        #expect(svg.utf8.count < 60_000)
        // The spike survives decimation: the y axis reaches it.
        #expect(svg.contains(">50<") || svg.contains(">60<"))
        assertWellFormed(svg, name: "million.svg")
    }

    @Test func exponentialSmoothingIsBiasCorrected() {
        #expect(Smoothing.exponential([2, 2, 2, 2], weight: 0.9).allSatisfy { abs($0 - 2) < 1e-12 })
        #expect(Smoothing.exponential([1, 5, 3], weight: 0) == [1, 5, 3])
        let gap = Smoothing.exponential([1, .nan, 3], weight: 0.5)
        #expect(gap[0] == 1 && gap[1].isNaN && abs(gap[2] - (0.5 * 0.5 + 0.5 * 3) / 0.75) < 1e-12)
    }
}
