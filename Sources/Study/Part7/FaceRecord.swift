import Datasets
import Engine
import Foundation

/// What the manifest keeps of Part 7's images: their identity and size, and the test
/// images (as 8-bit thumbnails) the report's sample grids show. Enough for `render` to
/// rebuild every key and figure without the images or any training.
public struct FaceRecord: Codable, Equatable, Sendable {
    /// The settings Part 7 was last run with, with the backbone's identity.
    public var settings: StudySettings
    public var shape: FaceShape
    /// Fake images per split, in train, validation, test order.
    public var fakeCounts: [Int]
    public var testNames: [String]
    public var testLabels: [Int32]
    /// `S x S x 3` bytes per test image, row-major RGB.
    public var testThumbnails: Data
    /// The file name of the `--weights` backbone; nil for our own pretrained backbone.
    public var weightsFile: String?
    /// Our own backbone's pretraining (a unit of the plan); nil with `--weights`.
    public var pretraining: BackbonePretraining?

    public var dataHash: String { shape.dataHash }
    public var dataSource: String { shape.dataSource }
    public var splitSizes: [Int] { shape.splitSizes }
    public var imageSize: Int { shape.imageSize }
    /// Identity of the pretrained backbone.
    public var backbone: String { settings.backbone }
    /// The seeds Part 7 ran with.
    public var seeds: [UInt64] { settings.seeds }
}

extension FaceRecord {
    /// The record of `data`, with the backbone `source` names.
    public init(settings: StudySettings, data: FaceData, source: BackboneSource) {
        self.init(settings: settings, shape: data.shape, fakeCounts: data.faces.splits.map { $0.classCounts[1] },
                  testNames: data.faces.test.names, testLabels: data.faces.test.labels,
                  testThumbnails: Data(data.faces.test.thumbnails.joined()))
        describe(source)
    }

    /// Records which backbone `source` is: the weights file's name, or our pretraining.
    public mutating func describe(_ source: BackboneSource) {
        switch source {
        case .weightsFile(let path): (weightsFile, pretraining) = ((path as NSString).lastPathComponent, nil)
        case .synthetic(let config): (weightsFile, pretraining) = (nil, config)
        }
    }
}
