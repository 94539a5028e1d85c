import Foundation
import Images

extension FaceRecord {
    /// Test image `index` as a PNG file's bytes (8-bit RGB, `S x S`), or nil when the
    /// manifest holds no thumbnail for it. The report's sample grids embed these;
    /// the encoder lives in Images, below the report.
    public func thumbnailPNG(_ index: Int) -> Data? {
        let size = imageSize * imageSize * 3
        guard index >= 0, imageSize > 0, (index + 1) * size <= testThumbnails.count else { return nil }
        let start = testThumbnails.startIndex + index * size
        return try? PNG.rgbWriter(width: imageSize, height: imageSize, rgb: [UInt8](testThumbnails[start..<(start + size)]))
    }

    /// Number of test images.
    public var testCount: Int { splitSizes.count == 3 ? splitSizes[2] : testLabels.count }
}
