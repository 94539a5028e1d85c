import Foundation
import MarkupValidation
import Testing
@testable import ChartGallery
@testable import Charts
import Images

@Suite struct GalleryTests {
    @Test func galleryHasEveryKindParsesAndIsDeterministic() throws {
        let files = CachedGallery.files
        let names = files.map(\.name)
        for kind in ["line-log-diverged.svg", "line-bands.svg", "line-gradients-zeros.svg", "line-iterations-downsampled.svg",
                     "line-marked-epochs.svg", "metric-vs-depth.svg", "metric-vs-width.svg", "bars-grouped.svg",
                     "decision-map.svg", "image-grid.svg", "index.html"] {
            #expect(names.contains(kind), "gallery lacks \(kind)")
        }
        for file in files where file.name.hasSuffix(".svg") {
            assertWellFormed(file.contents, name: file.name)
        }
        let index = try #require(files.first { $0.name == "index.html" })
        try MarkupValidator.validateHTML(index.contents, name: "index.html")
        for file in files where file.name.hasSuffix(".svg") {
            #expect(index.contents.contains("href=\"\(file.name)\""), "index.html does not link \(file.name)")
        }
        let map = try #require(files.first { $0.name == "decision-map.svg" })
        #expect(map.contents.utf8.count <= 300_000)
        #expect(try Gallery.files(pngWriter: PNG.rgbWriter) == files, "a second run gave different bytes")
    }
}
