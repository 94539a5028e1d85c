import Foundation
import Images

extension FaceManifest {
    /// A manifest from its fields, without face data: for tests that build a Part 7
    /// study by hand.
    init(quick: Bool, seeds: [UInt64], epochs: Int, dataHash: String, dataSource: String, imageSize: Int,
         splitSizes: [Int], fakeCounts: [Int], testNames: [String], testLabels: [Int32], testThumbnails: Data,
         backbone: String, backboneDescription: String, pretraining: BackboneResult?, xgboostRounds: Int? = nil) {
        self.quick = quick
        self.xgboostRounds = xgboostRounds
        self.seeds = seeds
        self.epochs = epochs
        self.dataHash = dataHash
        self.dataSource = dataSource
        self.imageSize = imageSize
        self.splitSizes = splitSizes
        self.fakeCounts = fakeCounts
        self.testNames = testNames
        self.testLabels = testLabels
        self.testThumbnails = testThumbnails
        self.backbone = backbone
        self.backboneDescription = backboneDescription
        self.pretraining = pretraining
    }

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
