import Foundation
@testable import ChartGallery
@testable import Charts
import Images

/// Small, exactly representable data for golden files (no transcendental
/// functions, so the same numbers on every machine).
enum ExampleData {
    static let epochs = (1...10).map(Double.init)

    /// A tiny PNG: 4×2 pixels, a red-to-blue ramp.
    static var tinyPNG: Data {
        var rgb: [UInt8] = []
        for _ in 0..<2 {
            for x in 0..<4 { rgb += [UInt8(255 - 60 * x), 40, UInt8(60 * x)] }
        }
        return try! PNG.rgbWriter(width: 4, height: 2, rgb: rgb)
    }

    /// A 12×8 grid of three classes with a hole and a diagonal pinch, and a fourth
    /// class id without cells.
    static var smallGrid: ClassGrid {
        let rows = [
            "000000111111",
            "000000111111",
            "002200111111",
            "002200111111",
            "000000011111",
            "222222221111",
            "222222222211",
            "222222222221",
        ]
        // Rows are listed top first; the grid's row 0 is the bottom.
        let classes = rows.reversed().flatMap { $0.map { Int(String($0))! } }
        return ClassGrid(columns: 12, rows: 8, classes: classes, xRange: -10...50, yRange: 30...70)
    }
}

/// The gallery, made once for all tests that only read it (it is the slowest
/// thing the tests build).
enum CachedGallery {
    static let files = try! Gallery.files(pngWriter: PNG.rgbWriter)
    /// The charts as rendered, for inline use (the files are standalone documents).
    static let figures: [(String, String)] = try! Gallery.figures(pngWriter: PNG.rgbWriter).map { ($0.name, $0.svg) }
}
