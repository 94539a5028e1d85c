import Engine
import Support
import Testing
import TestSupport
@testable import Datasets

@Suite struct SyntheticShapesTests {
    @Test func balancedDeterministicQuantisedImages() throws {
        let configuration = SyntheticShapes.Configuration(seed: 2, count: 43, imageSize: 32)
        let shapes = try SyntheticShapes.generate(configuration)
        #expect(shapes.images.shape == [43, 3, 32, 32])
        #expect(shapes.classNames.count == 34)
        #expect(shapes.classNames[10] == "black hair, no accessory" && shapes.classNames[33] == "grey hair, beard")
        var counts = [Int](repeating: 0, count: 34)
        for label in shapes.labels { counts[Int(label)] += 1 }
        // Image i has class i mod 34: the first nine classes get a second image.
        #expect(counts == [Int](repeating: 2, count: 9) + [Int](repeating: 1, count: 25))
        shapes.images.withUnsafeBufferPointer { values in
            for value in values {
                #expect((0...1).contains(value))
                expectClose(value * 255, (value * 255).rounded(), accuracy: 1e-4)
            }
        }
        let again = try SyntheticShapes.generate(configuration, cores: .single)
        #expect(again.images == shapes.images)
        #expect(again.contentHash == shapes.contentHash)
        var other = configuration
        other.seed = 3
        #expect(try SyntheticShapes.generate(other).contentHash != shapes.contentHash)
        // Image 17 alone is image 17 of the set.
        let alone = SyntheticShapes.pixels(17, configuration)
        let plane = 32 * 32
        expectClose(Float(alone[3 * 5 + 1]) / 255, shapes.images.scalars[17 * 3 * plane + plane + 5], accuracy: 1e-6)
    }

    /// The classes differ in structure, not only in name: stripes and checkerboards have
    /// several times the edge density (strong steps between neighbouring pixels) of one disc.
    @Test func classesDifferInStructure() throws {
        let shapes = try SyntheticShapes.generate(SyntheticShapes.Configuration(seed: 4, count: 200, imageSize: 32))
        func edgeDensity(_ label: Int) -> Double {
            let plane = 32 * 32, size = 3 * plane
            var total = 0.0, images = 0.0
            for index in 0..<shapes.count where shapes.labels[index] == Int32(label) {
                let values = Array(shapes.images.scalars[(index * size)..<(index * size + plane)])
                for y in 0..<32 {
                    for x in 0..<31 where abs(values[y * 32 + x + 1] - values[y * 32 + x]) > 0.15 { total += 1 }
                }
                images += 1
            }
            return total / images
        }
        let disc = edgeDensity(0), stripes = edgeDensity(5), checkerboard = edgeDensity(6)
        #expect(stripes > 3 * disc, "stripes \(stripes) vs disc \(disc)")
        #expect(checkerboard > 3 * disc, "checkerboard \(checkerboard) vs disc \(disc)")
    }

    /// A portrait class's image has its hair colour and exactly its accessory, whatever
    /// the random portrait underneath would have worn.
    @Test func portraitClassesCarryTheirAttributes() {
        var rng = RNG(seed: 9)
        for trial in 0..<200 {
            let hairColor = trial % FacePortrait.hairColors.count
            let accessory = FacePortrait.Accessory.allCases[trial % FacePortrait.Accessory.allCases.count]
            let portrait = FacePortrait(hairColor: hairColor, accessory: accessory, rng: &rng)
            #expect(portrait.hairColorIndex == hairColor && portrait.hairStyle != .bald)
            let ratio = portrait.hair / FacePortrait.hairColors[hairColor]
            #expect(abs(ratio.x - ratio.y) < 1e-5 && abs(ratio.y - ratio.z) < 1e-5 && (0.79...1.21).contains(ratio.x), "\(ratio)")
            #expect((portrait.glasses != nil) == (accessory == .glasses))
            #expect((portrait.earrings != nil) == (accessory == .earrings))
            #expect(portrait.beard == (accessory == .beard))
        }
    }

    @Test(.tags(.errors)) func invalidConfigurationIsNamed() {
        if let error = #expect(throws: (any Error).self, performing: {
            try SyntheticShapes.generate(SyntheticShapes.Configuration(count: 0))
        }) {
            #expect("\(error)" == "built-in shapes and portraits (seed 0, 0 images, 64x64): count 0 must be at least 1")
        }
    }
}
