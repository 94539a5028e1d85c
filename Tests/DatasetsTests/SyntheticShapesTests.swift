import Engine
import Support
import XCTest
@testable import Datasets

final class SyntheticShapesTests: XCTestCase {
    func testBalancedDeterministicQuantisedImages() throws {
        let configuration = SyntheticShapes.Configuration(seed: 2, count: 43, imageSize: 32)
        let shapes = try SyntheticShapes.generate(configuration)
        XCTAssertEqual(shapes.images.shape, [43, 3, 32, 32])
        XCTAssertEqual(shapes.classNames.count, 10)
        var counts = [Int](repeating: 0, count: 10)
        for label in shapes.labels { counts[Int(label)] += 1 }
        XCTAssertEqual(counts, [5, 5, 5, 4, 4, 4, 4, 4, 4, 4])
        shapes.images.withUnsafeBufferPointer { values in
            for value in values {
                XCTAssertTrue((0...1).contains(value))
                XCTAssertEqual(value * 255, (value * 255).rounded(), accuracy: 1e-4)
            }
        }
        let again = try SyntheticShapes.generate(configuration, cores: .single)
        XCTAssertEqual(again.images, shapes.images)
        XCTAssertEqual(again.contentHash, shapes.contentHash)
        var other = configuration
        other.seed = 3
        XCTAssertNotEqual(try SyntheticShapes.generate(other).contentHash, shapes.contentHash)
        // Image 17 alone is image 17 of the set.
        let alone = SyntheticShapes.pixels(17, configuration)
        let plane = 32 * 32
        XCTAssertEqual(Float(alone[3 * 5 + 1]) / 255, shapes.images.scalars[17 * 3 * plane + plane + 5], accuracy: 1e-6)
    }

    /// The classes differ in structure, not only in name: stripes and checkerboards have
    /// several times the edge density (strong steps between neighbouring pixels) of one disc.
    func testClassesDifferInStructure() throws {
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
        XCTAssertGreaterThan(stripes, 3 * disc, "stripes \(stripes) vs disc \(disc)")
        XCTAssertGreaterThan(checkerboard, 3 * disc, "checkerboard \(checkerboard) vs disc \(disc)")
    }

    func testInvalidConfigurationIsNamed() {
        XCTAssertThrowsError(try SyntheticShapes.generate(SyntheticShapes.Configuration(count: 0))) { error in
            XCTAssertEqual("\(error)", "built-in shapes (seed 0, 0 images, 64x64): count 0 must be at least 1")
        }
    }
}
