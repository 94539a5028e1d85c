import Testing
@testable import Datasets

@Suite struct ContactSheetTests {
    @Test func tilesAreZoomedAndPlacedRowByRow() {
        // Three 2x2 images with distinct pixels, two per row, zoom 2, gap 1.
        let images = (0..<3).map { image in (0..<12).map { UInt8(image * 20 + $0) } }
        let sheet = ContactSheet(images: images, side: 2, columns: 2, zoom: 2, gap: 1)
        #expect(sheet.width == 2 * 4 + 3)
        #expect(sheet.height == 2 * 4 + 3)
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(sheet.rgb[(3 * (y * sheet.width + x))..<(3 * (y * sheet.width + x) + 3)]) }
        #expect(pixel(0, 0) == [255, 255, 255], "gap")
        #expect(pixel(1, 1) == [0, 1, 2], "image 0, pixel (0, 0)")
        #expect(pixel(2, 2) == [0, 1, 2], "zoomed")
        #expect(pixel(3, 1) == [3, 4, 5], "image 0, pixel (1, 0)")
        #expect(pixel(4, 4) == [9, 10, 11], "image 0, pixel (1, 1)")
        #expect(pixel(6, 1) == [20, 21, 22], "image 1 starts after the gap")
        #expect(pixel(1, 6) == [40, 41, 42], "image 2 starts the second row")
        #expect(pixel(7, 7) == [255, 255, 255], "no fourth image")
    }
}
