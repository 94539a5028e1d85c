import Engine
import Foundation
import Images
import Support
import XCTest
@testable import Datasets

final class SyntheticFacesTests: XCTestCase {
    private let quick = SyntheticFaces.Configuration(seed: 3, size: .quick)

    func testSameSeedSameDataOtherSeedOtherData() throws {
        let a = try SyntheticFaces.generate(quick)
        let b = try SyntheticFaces.generate(quick, cores: .single)
        XCTAssertEqual(a.contentHash, b.contentHash)
        XCTAssertEqual(a.train.scratch, b.train.scratch, "one or two threads give the same pixels")
        XCTAssertEqual(a.test.pretrained, b.test.pretrained)
        var other = quick
        other.seed = 4
        let c = try SyntheticFaces.generate(other)
        XCTAssertNotEqual(a.contentHash, c.contentHash)
        XCTAssertNotEqual(a.train.scratch, c.train.scratch)
        var stronger = quick
        stronger.strength = 2
        XCTAssertNotEqual(a.contentHash, try SyntheticFaces.generate(stronger).contentHash, "the strength is part of the hash")
    }

    func testBalancedSplitsInLoadingOrderWithExportNames() throws {
        let data = try SyntheticFaces.generate(quick)
        XCTAssertEqual(data.splits.map(\.count), [96, 32, 32])
        for split in data.splits {
            XCTAssertEqual(split.classCounts, [split.count / 2, split.count / 2])
            XCTAssertEqual(split.labels, split.labels.sorted(), "real images first, then fake")
            XCTAssertEqual(split.thumbnails.count, split.count)
        }
        XCTAssertEqual(data.test.names[0], "test/0_real/00000.png")
        XCTAssertEqual(data.test.names[16], "test/1_fake/00000.png")
        XCTAssertEqual(data.validation.names.last, "val/1_fake/00015.png")
        XCTAssertEqual(data.source, "built-in faces (seed 3, 64x64, artifact strength 1)")
        XCTAssertEqual(SyntheticFaces.classCounts(7), [4, 3], "an odd split has one more real image")
    }

    func testEveryImageCanBeMadeAlone() throws {
        let images = SyntheticFaces.images(.val, quick)
        XCTAssertEqual(images[20].name, "val/1_fake/00004.png")
        XCTAssertEqual(images[20].pixels, SyntheticFaces.pixels(.val, label: 1, index: 4, quick))
        XCTAssertEqual(images[3].pixels, SyntheticFaces.pixels(.val, label: 0, index: 3, quick))
        XCTAssertNotEqual(images[3].pixels, images[4].pixels)
    }

    func testTensorsAreThePipelinesOfTheQuantisedImage() throws {
        let data = try SyntheticFaces.generate(quick)
        let size = 64, plane = 3 * size * size
        XCTAssertEqual(data.train.scratch.shape, [96, 3, size, size])
        XCTAssertEqual(data.train.pretrained.shape, [96, 3, size, size])
        XCTAssertEqual(data.train.xgboost.shape, [96, 12_288])
        // Scratch values are whole levels of 255 (the images are quantised before the pipelines).
        data.train.scratch.withUnsafeBufferPointer { values in
            for value in values {
                XCTAssertTrue((0...1).contains(value))
                XCTAssertEqual(value * 255, (value * 255).rounded(), accuracy: 1e-4)
            }
        }
        let image = SyntheticFaces.pixels(.test, label: 1, index: 2, quick)
        let decoded = try PNG.decode(try PNG.encode(samples: image.map(UInt16.init), width: size, height: size,
                                                     colorType: .rgb, bitDepth: 8))
        let row = 16 + 2
        XCTAssertEqual(Array(data.test.scratch.scalars[(row * plane)..<((row + 1) * plane)]), decoded.pixels)
        let pretrained = ImagePipeline.pretrained(size: size).apply(decoded)
        XCTAssertEqual(Array(data.test.pretrained.scalars[(row * plane)..<((row + 1) * plane)]), pretrained.pixels)
        XCTAssertEqual(Array(data.test.xgboost.scalars[(row * plane)..<((row + 1) * plane)]), decoded.pixels,
                       "at 64x64 the XGBoost crop is the whole image")
        XCTAssertEqual(data.test.thumbnails[row], image)
    }

    func testXGBoostFeaturesAreTheCentreCropAtLargerSizes() throws {
        let configuration = SyntheticFaces.Configuration(seed: 1, size: SyntheticFaces.Size(train: 2, validation: 1, test: 1),
                                                         imageSize: 70)
        let data = try SyntheticFaces.generate(configuration)
        XCTAssertEqual(data.train.xgboost.shape, [2, 12_288])
        let scratch = Image(channels: 3, height: 70, width: 70, pixels: Array(data.train.scratch.scalars[(3 * 70 * 70)...]))
        // (70 - 64) / 2 = 3 pixels off each side.
        let crop = ImageTransforms.centerCrop(scratch, height: 64, width: 64)
        XCTAssertEqual(Array(data.train.xgboost.scalars[12_288...]), crop.pixels)
        XCTAssertEqual(crop.pixels[0], scratch.pixels[3 * 70 + 3])
    }

    func testInvalidConfigurationsNameTheProblem() {
        func message(_ configuration: SyntheticFaces.Configuration) -> String {
            do {
                _ = try SyntheticFaces.generate(configuration)
                return "generated"
            } catch {
                return "\(error)"
            }
        }
        var small = quick
        small.imageSize = 48
        XCTAssertTrue(message(small).contains("image size 48 is too small"), message(small))
        XCTAssertTrue(message(small).contains("64x64 crop"), message(small))
        small.imageSize = 16
        XCTAssertTrue(message(small).contains("image size 16 is outside 32...1024"), message(small))
        var negative = quick
        negative.strength = -1
        XCTAssertTrue(message(negative).contains("artifact strength -1.0 must be"), message(negative))
        var empty = quick
        empty.size.test = 0
        XCTAssertTrue(message(empty).hasPrefix("built-in faces (seed 3, 64x64, artifact strength 1): split test has 0 images"),
                      message(empty))
    }

    func testTraceIsSmallZeroMeanAndLinearInStrength() {
        // The same fake image with and without its trace: same content, same noise.
        var clean = quick, one = quick, three = quick
        clean.strength = 0
        three.strength = 3
        var squares = [0.0, 0.0], sums = [0.0, 0.0], count = 0.0
        for index in 0..<8 {
            let base = SyntheticFaces.pixels(.train, label: 1, index: index, clean)
            for (slot, configuration) in [one, three].enumerated() {
                let traced = SyntheticFaces.pixels(.train, label: 1, index: index, configuration)
                for (a, b) in zip(traced, base) {
                    let difference = Double(Int(a) - Int(b))
                    squares[slot] += difference * difference
                    sums[slot] += difference
                }
            }
            count += Double(base.count)
        }
        let rms = squares.map { ($0 / count).squareRoot() }
        // 4 levels where the activation is 1, ~0.75 on average, times a per-image factor in 0.6...1.4.
        XCTAssertEqual(rms[0], 3, accuracy: 1, "strength 1: \(rms[0]) levels of 255")
        XCTAssertEqual(rms[1] / rms[0], 3, accuracy: 0.3, "the trace grows linearly with the strength")
        XCTAssertLessThan(abs(sums[1] / count), 0.1, "the trace does not change the brightness")
        XCTAssertEqual(SyntheticFaces.pixels(.train, label: 0, index: 0, one),
                       SyntheticFaces.pixels(.train, label: 0, index: 0, three), "real images carry no trace")
    }

    /// The class signal is in the pixel-level trace, not in the content: colour statistics
    /// stay near chance while the period-2 energy rises with the strength. At 64x64, the
    /// size the strength is calibrated at (smaller images have denser edges, whose own
    /// period-2 energy hides more of the trace).
    func testHandMadeDetectorsSeeTheTraceNotTheContent() {
        func accuracies(_ strength: Double) -> FaceSanityCheck.Result {
            let configuration = SyntheticFaces.Configuration(seed: 11, size: SyntheticFaces.Size(train: 200, validation: 1, test: 200),
                                                             strength: strength)
            let train = SyntheticFaces.images(.train, configuration), test = SyntheticFaces.images(.test, configuration)
            return FaceSanityCheck.run(train: (train.map(\.pixels), train.map(\.label)), test: (test.map(\.pixels), test.map(\.label)))
        }
        let none = accuracies(0), moderate = accuracies(1), strong = accuracies(3)
        for (strength, result) in [(0, none), (1, moderate), (3, strong)] {
            XCTAssertLessThanOrEqual(result.colorStatistics, 0.6, "strength \(strength): colour statistics must not separate the classes")
        }
        XCTAssertLessThanOrEqual(none.periodTwoEnergy, 0.6, "no trace, no signal")
        XCTAssertTrue((0.6...0.9).contains(moderate.periodTwoEnergy), "strength 1: \(moderate.periodTwoEnergy)")
        XCTAssertGreaterThan(strong.periodTwoEnergy, moderate.periodTwoEnergy + 0.1)
    }

    func testThresholdAndLogisticRegressionFitSeparableData() {
        let threshold = Threshold(values: [5, 1, 4, 2, 3, 6], labels: [0, 1, 0, 1, 1, 0])
        XCTAssertEqual([0.5, 3.4, 3.6, 9].map(threshold.predict), [1, 1, 0, 0])
        let regression = LogisticRegression(features: [[0, 1], [1, 0], [0, 3], [1, 4]], labels: [0, 0, 1, 1])
        XCTAssertEqual([[0, 0.5], [1, 3.5]].map(regression.predict), [0, 1])
    }
}
