import Engine
import Foundation
import Testing
import TestSupport
@testable import Datasets

@Suite struct SyntheticMapTests {
    @Test func sameSeedSameData() throws {
        let a = try SyntheticMap.generate(seed: 3, size: .quick)
        let b = try SyntheticMap.generate(seed: 3, size: .quick)
        #expect(a.train.features == b.train.features)
        #expect(a.test.labels == b.test.labels)
        #expect(a.contentHash == b.contentHash)
        let c = try SyntheticMap.generate(seed: 4, size: .quick)
        #expect(a.contentHash != c.contentHash)
        #expect(a.train.features != c.train.features)
    }

    @Test func shapeOfTheCourseData() throws {
        for seed: UInt64 in [0, 1, 2] {
            let data = try SyntheticMap.generate(seed: seed, size: .quick)
            #expect(data.classCount == 33)
            let total = data.train.count + data.validation.count + data.test.count
            #expect(total == 5_000)
            expectClose(Double(data.train.count) / Double(total), 0.8, accuracy: 0.01)
            let counts = data.trainClassCounts
            #expect(counts.allSatisfy { $0 > 0 }, "every country has training points")
            // 1:17 by construction, give or take rounding of small counts.
            expectClose(Double(counts.max()!) / Double(counts.min()!), 17, accuracy: 2.5, "seed \(seed): \(counts)")
            let bounds = data.bounds
            #expect(bounds.longitude.lowerBound >= -10 && bounds.longitude.upperBound <= 40)
            #expect(bounds.latitude.lowerBound >= 35 && bounds.latitude.upperBound <= 71)
            for split in [data.validation, data.test] {
                #expect(Set(split.labels).count == 33, "seed \(seed): stratified split keeps every class")
            }
        }
    }

    @Test func bordersAreNotStraightLines() {
        // Between two power-diagram cells the border is a straight segment. Collect,
        // row by row, where the most common pair of neighbours meets, fit a line
        // through those points, and require the border to stray from it.
        var rng = RNG(seed: 5)
        let geography = SyntheticMapGeography(regionCount: 33, rng: &rng)
        var crossings: [[Int]: [(x: Double, y: Double)]] = [:]
        for row in 0..<360 {
            let y = 35.05 + Double(row) * 0.1
            var previous = geography.region(x: -10, y: y)
            for step in 1...1_000 {
                let x = -10 + 0.05 * Double(step)
                let region = geography.region(x: x, y: y)
                if region != previous { crossings[[min(region, previous), max(region, previous)], default: []].append((x, y)) }
                previous = region
            }
        }
        let border = crossings.values.max { $0.count < $1.count }!
        #expect(border.count > 40)
        // Least squares x = a + b·y.
        let n = Double(border.count)
        let meanX = border.map(\.x).reduce(0, +) / n, meanY = border.map(\.y).reduce(0, +) / n
        let b = border.map { ($0.y - meanY) * ($0.x - meanX) }.reduce(0, +) / border.map { ($0.y - meanY) * ($0.y - meanY) }.reduce(0, +)
        let rms = (border.map { let r = $0.x - (meanX + b * ($0.y - meanY)); return r * r }.reduce(0, +) / n).squareRoot()
        // A straight border would leave only the 0.05° sampling step.
        #expect(rms > 0.2, "border of \(border.count) points deviates \(rms)° from a line")
    }

    @Test func exportReloadsToTheSameData() throws {
        let directory = TestFolder.root.appendingPathComponent("nnreport-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let generated = try SyntheticMap.generate(seed: 6, size: .quick)
        try PointTable.export(generated, to: directory)
        let reloaded = try PointTable.load(directory: directory)
        #expect(reloaded.classNames == generated.classNames)
        for (a, b) in zip([reloaded.train, reloaded.validation, reloaded.test], [generated.train, generated.validation, generated.test]) {
            #expect(a.features == b.features)
            #expect(a.labels == b.labels)
        }
    }

    @Test func sineFeatures() throws {
        let points = Tensor(shape: [2, 2], values: [10, 50, -3, 0])
        let features = SineFeatures.transform(points)
        #expect(features.shape == [2, 20])
        expectClose(Double(features[0, 0]), sin(0.1 * 10), accuracy: 1e-6)   // long, a = 0.1
        expectClose(Double(features[0, 9]), sin(1.0 * 10), accuracy: 1e-6)   // long, a = 1.0
        expectClose(Double(features[0, 10]), sin(0.1 * 50), accuracy: 1e-6)  // lat, a = 0.1
        expectClose(Double(features[1, 14]), 0, accuracy: 1e-7)             // lat 0
        expectClose(Double(features[1, 2]), sin(0.3 * -3), accuracy: 1e-6)
    }
}
