import Engine
import Foundation
import Images
import Support
import Testing
import TestSupport
@testable import Datasets

/// SHA-256 of the shape and float bit patterns of the face tensors, recorded with the
/// image code still in Vision on Engine's tensors (commit 687a112): moving it to
/// Images and its own `Image` type changed no bit. The built-in faces and the shapes
/// task were re-recorded once, for their second version (fakes with several kinds of
/// flaws, portrait classes in the backbone's task; #12). Faces and folders were
/// re-recorded together when 8-bit images began to be resized in 8 bits as PIL
/// resizes them and samples to be divided by 255 as `ToTensor` does (#12, views v2:
/// torchvision's exact tensors); the shapes task, not resized, did not move. The
/// folder was re-recorded alone when its 16-bit PNG (`c.png`) began to be reduced to
/// 8 bits as Pillow reduces it (image folder hash v2).
@Suite(.tags(.numerics)) struct FaceTensorBitPatternTests {
    func digest(_ tensor: Tensor) -> String {
        var hasher = SHA256()
        hasher.update(Array("\(tensor.shape)".utf8))
        tensor.withUnsafeBufferPointer { hasher.update(floats: $0) }
        return hasher.finalizeHex()
    }

    /// One digest over every tensor and thumbnail of `data`.
    func digest(_ data: FaceDataset) -> String {
        var hasher = SHA256()
        for split in data.splits {
            for tensor in [split.pretrained, split.scratch, split.xgboost] { hasher.update(Array(digest(tensor).utf8)) }
            for thumbnail in split.thumbnails { hasher.update(thumbnail) }
        }
        return hasher.finalizeHex()
    }

    @Test func builtInFaces() throws {
        let at64 = try SyntheticFaces.generate(SyntheticFaces.Configuration(seed: 3, size: .quick))
        let at80 = try SyntheticFaces.generate(SyntheticFaces.Configuration(seed: 7, size: .quick, imageSize: 80, strength: 2))
        #expect(digest(at64) == "4a493b67c160476e0fdbdffb0bdd3d11113dd33240e576ae0a93939e27ba3972")
        #expect(digest(at80) == "526c6aac6ec3f2264e061576a79d47b9ddacb2b4287496f76a7fd2cb81d57025")
    }

    @Test func folderOfOddSizes() throws {
        let directory = TestFolder.root.appendingPathComponent("nnreport-pin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ relativePath: String, width: Int, height: Int, seed: Int, bitDepth: Int = 8) throws {
            let url = directory.appendingPathComponent(relativePath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let maximum = (1 << bitDepth) - 1
            let samples = (0..<(width * height * 3)).map { UInt16(($0 * 7919 + seed * 104_729) % (maximum + 1)) }
            try Data(PNG.encode(samples: samples, width: width, height: height, colorType: .rgb, bitDepth: bitDepth)).write(to: url)
        }
        for split in ["train", "val", "test"] {
            try write("\(split)/0_real/a.png", width: 90, height: 70, seed: 1)
            try write("\(split)/0_real/b.png", width: 64, height: 64, seed: 2)
            try write("\(split)/1_fake/c.png", width: 70, height: 100, seed: 3, bitDepth: 16)
            try write("\(split)/1_fake/d.png", width: 300, height: 257, seed: 4)
        }
        let at64 = digest(try FaceDataset.load(folder: directory.path, imageSize: 64))
        let at96 = digest(try FaceDataset.load(folder: directory.path, imageSize: 96))
        #expect(at64 == "60e4e8e10a3f7c357b7301dda13ab94ebcb7b3714fd10f857f1bf25868092f6c")
        #expect(at96 == "0e0fcd21bb59d08b1fc8cedcc7e8585fdc312c8f85c37f8095ee13d349741108")
    }

    /// The source task of the pretrained backbone: ImageNet-normalised shapes `[N, 3, S, S]`.
    @Test func normalisedShapes() throws {
        let shapes = try SyntheticShapes.generate(SyntheticShapes.Configuration(seed: 2, count: 43, imageSize: 32))
        #expect(digest(ImageTransforms.normalize(shapes.images))
                == "79ff07554e11a15b589ca3359e895e8fdb80cffb50a632b4d033dd941dfefd34")
    }
}
