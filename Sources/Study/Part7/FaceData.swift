import Datasets
import Engine
import Foundation
import Support

/// One split's images as the networks take them: checked, labelled tensors.
struct FaceNetworkViews: Sendable {
    /// `[N, 3, S, S]`, ImageNet-normalised: what the pretrained backbone sees.
    let pretrained: LabeledData
    /// `[N, 3, S, S]` in 0...1: what a network trained from scratch sees.
    let scratch: LabeledData

    init(_ split: FaceSplit) throws {
        pretrained = try LabeledData(features: split.pretrained, labels: split.labels, classCount: 2)
        scratch = try LabeledData(features: split.scratch, labels: split.labels, classCount: 2)
    }
}

/// The Part 7 data every run trains on: the face images in every view, and the
/// hash that keys their results.
public struct FaceData: Sendable {
    public let faces: FaceDataset
    let train: FaceNetworkViews
    let validation: FaceNetworkViews
    let test: FaceNetworkViews
    /// SHA-256 over the images' hash, the size the networks see them at and the
    /// version of the views' arithmetic (`FacePreprocessing.version`): part of every
    /// Part 7 cache key.
    public let contentHash: String

    public init(faces: FaceDataset) throws {
        for (name, split) in [("train", faces.train), ("val", faces.validation), ("test", faces.test)] {
            let counts = split.classCounts
            guard counts.allSatisfy({ $0 > 0 }) else {
                throw DataError(file: faces.source, "the \(name) split needs real and fake images, found \(counts[0]) real and \(counts[1]) fake")
            }
        }
        self.faces = faces
        train = try FaceNetworkViews(faces.train)
        validation = try FaceNetworkViews(faces.validation)
        test = try FaceNetworkViews(faces.test)
        contentHash = SHA256.hex(Data(
            "\(faces.contentHash) \(faces.imageSize)x\(faces.imageSize) views v\(FacePreprocessing.version)".utf8))
    }

    public var imageSize: Int { faces.imageSize }
    public var source: String { faces.source }

    /// What the plan needs to know of the images: their identity and size.
    public var shape: FaceShape {
        FaceShape(dataHash: contentHash, dataSource: source, splitSizes: faces.splits.map(\.count), imageSize: imageSize,
                  builtInStrength: faces.builtInStrength)
    }
}

/// The identity and size of the face images a plan runs on: enough to key and cost
/// every Part 7 unit without the images themselves.
public struct FaceShape: Codable, Equatable, Sendable {
    public var dataHash: String
    public var dataSource: String
    /// Train, validation and test images.
    public var splitSizes: [Int]
    public var imageSize: Int
    /// The flaws' strength when the images are the built-in faces; nil for a folder
    /// (and in manifests written before it was recorded).
    public var builtInStrength: Double?

    public init(dataHash: String, dataSource: String, splitSizes: [Int], imageSize: Int, builtInStrength: Double? = nil) {
        self.dataHash = dataHash
        self.dataSource = dataSource
        self.splitSizes = splitSizes
        self.imageSize = imageSize
        self.builtInStrength = builtInStrength
    }
}
