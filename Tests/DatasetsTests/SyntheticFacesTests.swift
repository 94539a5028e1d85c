import Engine
import Foundation
import Images
import Support
import Testing
import TestSupport
@testable import Datasets

@Suite struct SyntheticFacesTests {
    private let quick = SyntheticFaces.Configuration(seed: 3, size: .quick)

    @Test func sameSeedSameDataOtherSeedOtherData() throws {
        let a = try SyntheticFaces.generate(quick)
        let b = try SyntheticFaces.generate(quick, cores: .single)
        #expect(a.contentHash == b.contentHash)
        #expect(a.train.scratch == b.train.scratch, "one or two threads give the same pixels")
        #expect(a.test.pretrained == b.test.pretrained)
        var other = quick
        other.seed = 4
        let c = try SyntheticFaces.generate(other)
        #expect(a.contentHash != c.contentHash)
        #expect(a.train.scratch != c.train.scratch)
        var stronger = quick
        stronger.strength = 2
        #expect(try a.contentHash != SyntheticFaces.generate(stronger).contentHash, "the strength is part of the hash")
    }

    @Test func balancedSplitsInLoadingOrderWithExportNames() throws {
        let data = try SyntheticFaces.generate(quick)
        #expect(data.splits.map(\.count) == [96, 32, 32])
        for split in data.splits {
            #expect(split.classCounts == [split.count / 2, split.count / 2])
            #expect(split.labels == split.labels.sorted(), "real images first, then fake")
            #expect(split.thumbnails.count == split.count)
        }
        #expect(data.test.names[0] == "test/0_real/00000.png")
        #expect(data.test.names[16] == "test/1_fake/00000.png")
        #expect(data.validation.names.last == "val/1_fake/00015.png")
        #expect(data.source == "built-in faces (seed 3, 64x64, flaw strength 1)")
        #expect(SyntheticFaces.classCounts(7) == [4, 3], "an odd split has one more real image")
    }

    @Test func everyImageCanBeMadeAlone() throws {
        let images = SyntheticFaces.images(.val, quick)
        #expect(images[20].name == "val/1_fake/00004.png")
        #expect(images[20].pixels == SyntheticFaces.pixels(.val, label: 1, index: 4, quick))
        #expect(images[3].pixels == SyntheticFaces.pixels(.val, label: 0, index: 3, quick))
        #expect(images[3].pixels != images[4].pixels)
    }

    @Test func tensorsAreThePipelinesOfTheQuantisedImage() throws {
        let data = try SyntheticFaces.generate(quick)
        let size = 64, plane = 3 * size * size
        #expect(data.train.scratch.shape == [96, 3, size, size])
        #expect(data.train.pretrained.shape == [96, 3, size, size])
        #expect(data.train.xgboost.shape == [96, 12_288])
        // Scratch values are whole levels of 255 (the images are quantised before the pipelines).
        data.train.scratch.withUnsafeBufferPointer { values in
            for value in values {
                #expect((0...1).contains(value))
                expectClose(value * 255, (value * 255).rounded(), accuracy: 1e-4)
            }
        }
        let image = SyntheticFaces.pixels(.test, label: 1, index: 2, quick)
        let decoded = try PNG.decode(try PNG.encode(samples: image.map(UInt16.init), width: size, height: size,
                                                     colorType: .rgb, bitDepth: 8))
        let row = 16 + 2
        #expect(Array(data.test.scratch.scalars[(row * plane)..<((row + 1) * plane)]) == decoded.pixels)
        let pretrained = ImagePipeline.pretrained(size: size).apply(decoded)
        #expect(Array(data.test.pretrained.scalars[(row * plane)..<((row + 1) * plane)]) == pretrained.pixels)
        #expect(Array(data.test.xgboost.scalars[(row * plane)..<((row + 1) * plane)]) == decoded.pixels,
                "at 64x64 the XGBoost crop is the whole image")
        #expect(data.test.thumbnails[row] == image)
    }

    @Test func xgboostFeaturesAreTheCentreCropAtLargerSizes() throws {
        let configuration = SyntheticFaces.Configuration(seed: 1, size: SyntheticFaces.Size(train: 2, validation: 1, test: 1),
                                                         imageSize: 70)
        let data = try SyntheticFaces.generate(configuration)
        #expect(data.train.xgboost.shape == [2, 12_288])
        let scratch = Image(channels: 3, height: 70, width: 70, pixels: Array(data.train.scratch.scalars[(3 * 70 * 70)...]))
        // (70 - 64) / 2 = 3 pixels off each side.
        let crop = ImageTransforms.centerCrop(scratch, height: 64, width: 64)
        #expect(Array(data.train.xgboost.scalars[12_288...]) == crop.pixels)
        #expect(crop.pixels[0] == scratch.pixels[3 * 70 + 3])
    }

    @Test(.tags(.errors)) func invalidConfigurationsNameTheProblem() {
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
        #expect(message(small).contains("image size 48 is too small"), "\(message(small))")
        #expect(message(small).contains("64x64 crop"), "\(message(small))")
        small.imageSize = 16
        #expect(message(small).contains("image size 16 is outside 32...1024"), "\(message(small))")
        var negative = quick
        negative.strength = -1
        #expect(message(negative).contains("flaw strength -1.0 must be"), "\(message(negative))")
        var empty = quick
        empty.size.test = 0
        #expect(message(empty).hasPrefix("built-in faces (seed 3, 64x64, flaw strength 1): split test has 0 images"),
                "\(message(empty))")
    }

    /// Each fake draws its own subset of flaws, at least one, each kind about as often
    /// as `presence` says; at strength 0 none at all; intensities scale with the strength.
    @Test func fakesDrawSubsetsOfFlawsThatScaleWithTheStrength() {
        var counts = [Int](repeating: 0, count: 6)
        let draws = 600
        for index in 0..<draws {
            var a = RNG(seed: UInt64(index)), b = a, c = a
            let one = GenerationFlaws(strength: 1, rng: &a), half = GenerationFlaws(strength: 0.5, rng: &b)
            let present = [one.trace > 0, one.smoothing > 0, one.eyeMismatch > 0, one.accessoryMismatch > 0,
                           !one.droplets.isEmpty, one.hairBleed > 0]
            #expect(present.contains(true) && !one.isNone, "draw \(index): a fake with no flaw")
            for (kind, isPresent) in present.enumerated() where isPresent { counts[kind] += 1 }
            expectClose(half.trace, one.trace / 2, accuracy: 1e-6)
            expectClose(half.smoothing, one.smoothing / 2, accuracy: 1e-6)
            expectClose(half.eyeMismatch, one.eyeMismatch / 2, accuracy: 1e-6)
            if one.hairBleed < 0.9 { expectClose(half.hairBleed, one.hairBleed / 2, accuracy: 1e-6) }  // 0.9: its cap
            #expect(GenerationFlaws(strength: 0, rng: &c).isNone, "strength 0: no flaw at all")
        }
        for (kind, count) in counts.enumerated() {
            let share = Double(count) / Double(draws), presence = Double(GenerationFlaws.presence)
            // Plus the fallback when none was drawn: 1/6 of (1 - presence)^6, about 0.1%.
            #expect(abs(share - presence) < 0.06, "flaw \(kind) in \(share) of the fakes")
        }
    }

    /// Real images are the same whatever the strength; fakes at strength 0 are their
    /// content alone (no flaw changes a pixel), and their flaws change them at strength 1.
    @Test func onlyFakesCarryFlaws() {
        var clean = quick, three = quick
        clean.strength = 0
        three.strength = 3
        #expect(SyntheticFaces.pixels(.train, label: 0, index: 0, quick) == SyntheticFaces.pixels(.train, label: 0, index: 0, three),
                "real images carry no flaw")
        for index in 0..<4 {
            let base = SyntheticFaces.pixels(.train, label: 1, index: index, clean)
            let flawed = SyntheticFaces.pixels(.train, label: 1, index: index, quick)
            let changed = zip(base, flawed).filter { $0 != $1 }.count
            #expect(changed > 0, "fake \(index) at strength 1 differs from its content alone")
        }
    }

    /// The class signal is in the flaws, not in the content: colour statistics stay near
    /// chance at every strength, and the period-2 energy (the trace, one flaw of six, in
    /// about half the fakes) separates nothing without flaws and more as they strengthen.
    /// At 64x64, the size the strength is calibrated at.
    @Test func handMadeDetectorsSeeTheFlawsNotTheContent() {
        func accuracies(_ strength: Double) -> FaceSanityCheck.Result {
            let configuration = SyntheticFaces.Configuration(seed: 11, size: SyntheticFaces.Size(train: 200, validation: 1, test: 200),
                                                             strength: strength)
            let train = SyntheticFaces.images(.train, configuration), test = SyntheticFaces.images(.test, configuration)
            return FaceSanityCheck.run(train: (train.map(\.pixels), train.map(\.label)), test: (test.map(\.pixels), test.map(\.label)))
        }
        let none = accuracies(0), moderate = accuracies(1), strong = accuracies(3)
        // Droplets and mismatched accessories add colour, so only a little of it separates the classes.
        for (strength, result, bound) in [(0, none, 0.6), (1, moderate, 0.65), (3, strong, 0.7)] {
            #expect(result.colorStatistics <= bound, "strength \(strength): colour statistics \(result.colorStatistics)")
        }
        #expect(none.periodTwoEnergy <= 0.6, "no trace, no signal")
        #expect(moderate.periodTwoEnergy >= none.periodTwoEnergy, "strength 1: \(moderate.periodTwoEnergy)")
        #expect(strong.periodTwoEnergy > max(moderate.periodTwoEnergy, 0.6), "strength 3: \(strong.periodTwoEnergy)")
    }

    @Test func thresholdAndLogisticRegressionFitSeparableData() {
        let threshold = Threshold(values: [5, 1, 4, 2, 3, 6], labels: [0, 1, 0, 1, 1, 0])
        #expect([0.5, 3.4, 3.6, 9].map(threshold.predict) == [1, 1, 0, 0])
        let regression = LogisticRegression(features: [[0, 1], [1, 0], [0, 3], [1, 4]], labels: [0, 0, 1, 1])
        #expect([[0, 0.5], [1, 3.5]].map(regression.predict) == [0, 1])
    }
}
