import Engine
import Foundation
import Images
import Support
import Testing
import TestSupport
@testable import Datasets

/// Face folders in a fresh temporary folder per test.
@Suite final class FaceFolderTests {
    private let directory: URL
    private let quick = SyntheticFaces.Configuration(seed: 5, size: .quick)

    init() throws {
        directory = TestFolder.root.appendingPathComponent("nnreport-faces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    private func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)".replacingOccurrences(of: directory.path + "/", with: "")
        }
    }

    /// A PNG of `width x height` pixels of one colour.
    private func writePNG(_ relativePath: String, width: Int = 20, height: Int = 16, value: UInt8 = 90) throws {
        let url = directory.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let pixels = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: Int(value) + $0 % 7) }
        try PNG.rgbWriter(width: width, height: height, rgb: pixels).write(to: url)
    }

    @Test func exportThenLoadGivesTheSameTensors() throws {
        let folder = directory.appendingPathComponent("faces")
        #expect(try FaceExport.write(quick, to: folder) == 160)
        let exported = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("val/1_fake").path).sorted()
        #expect(exported.count == 16)
        #expect(exported.first == "00000.png")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["faces"], "no staging folder left")

        let builtIn = try SyntheticFaces.generate(quick)
        let loaded = try FaceDataset.load(folder: folder.path)
        for (a, b) in zip(builtIn.splits, loaded.splits) {
            #expect(a.pretrained == b.pretrained)
            #expect(a.scratch == b.scratch)
            #expect(a.xgboost == b.xgboost)
            #expect(a.labels == b.labels)
            #expect(a.names == b.names)
            #expect(a.thumbnails == b.thumbnails)
        }
        #expect(loaded.source == folder.path)
        #expect(loaded.skipped == [])
        #expect(try FaceDataset.load(folder: folder.path, cores: .single).contentHash == loaded.contentHash)

        // The hash follows the files' bytes and names.
        let first = folder.appendingPathComponent("train/0_real/00000.png")
        let second = folder.appendingPathComponent("train/0_real/00001.png")
        let firstBytes = try Data(contentsOf: first), secondBytes = try Data(contentsOf: second)
        try secondBytes.write(to: first)
        try firstBytes.write(to: second)
        #expect(try FaceDataset.load(folder: folder.path).contentHash != loaded.contentHash, "swapped contents")
        try firstBytes.write(to: first)
        try secondBytes.write(to: second)
        #expect(try FaceDataset.load(folder: folder.path).contentHash == loaded.contentHash)
        try FileManager.default.moveItem(at: second, to: folder.appendingPathComponent("train/0_real/00001b.png"))
        #expect(try FaceDataset.load(folder: folder.path).contentHash != loaded.contentHash, "renamed file")
    }

    @Test(.tags(.errors)) func exportRefusesANonEmptyFolderAndFillsAnEmptyOne() throws {
        let folder = directory.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tiny = SyntheticFaces.Configuration(seed: 1, size: SyntheticFaces.Size(train: 2, validation: 1, test: 1))
        #expect(try FaceExport.write(tiny, to: folder) == 4, "an empty folder is fine")
        #expect(message { try FaceExport.write(tiny, to: folder) }
                == "taken: already exists and is not empty; remove it or choose another folder")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("test/0_real/00000.png").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("test/1_fake").path),
                "a class folder exists even when empty, so the export loads back")
        try Data([1]).write(to: directory.appendingPathComponent("file"))
        #expect(message { try FaceExport.write(tiny, to: self.directory.appendingPathComponent("file")) }
                == "file: exists and is not a folder")
    }

    /// Each view equals what Images' `ImageFolder` gives with that one pipeline.
    @Test func folderViewsMatchImageFolderWithEachPipeline() throws {
        for split in ["train", "val", "test"] {
            try writePNG("\(split)/real/a.png", width: 90, height: 70, value: 10)
            try writePNG("\(split)/real/b.png", width: 64, height: 64, value: 120)
            try writePNG("\(split)/fake/c.png", width: 70, height: 100, value: 200)
        }
        let data = try FaceDataset.load(folder: directory.path, imageSize: 64)
        #expect(data.train.names == ["train/real/a.png", "train/real/b.png", "train/fake/c.png"])
        #expect(data.test.labels == [0, 0, 1])
        for pipeline in [ImagePipeline.pretrained(size: 64), .scratch(size: 64)] {
            let reference = try ImageFolder.load(root: directory.path, split: .val, pipeline: pipeline)
            let view = pipeline == .scratch(size: 64) ? data.validation.scratch : data.validation.pretrained
            #expect(view == Tensor(reference.images))
        }
        #expect(data.train.thumbnails[2].count == 64 * 64 * 3)
    }

    @Test(.tags(.errors)) func corruptFileIsNamedOrSkipped() throws {
        for split in ["train", "val", "test"] {
            try writePNG("\(split)/0_real/a.png")
            try writePNG("\(split)/1_fake/b.png")
        }
        try Data("not an image".utf8).write(to: directory.appendingPathComponent("val/1_fake/broken.jpg"))
        #expect(message { try FaceDataset.load(folder: self.directory.path) }
                == "val/1_fake/broken.jpg: not a PNG or JPEG file (unknown signature)")
        let data = try FaceDataset.load(folder: directory.path, skipUnreadable: true)
        #expect(data.skipped.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["broken.jpg"])
        #expect(data.skipped.first?.reason == "not a PNG or JPEG file (unknown signature)")
        #expect(data.validation.names == ["val/0_real/a.png", "val/1_fake/b.png"])

        try FileManager.default.removeItem(at: directory.appendingPathComponent("test/0_real/a.png"))
        try FileManager.default.removeItem(at: directory.appendingPathComponent("test/1_fake/b.png"))
        #expect(message { try FaceDataset.load(folder: self.directory.path, skipUnreadable: true) }
                == "test: no images (expected .jpg, .jpeg or .png files in the class folders)")
    }

    @Test(.tags(.errors)) func aSplitWithOneClassOnlyIsNamed() throws {
        for split in ["train", "val"] {
            try writePNG("\(split)/0_real/a.png")
            try writePNG("\(split)/1_fake/b.png")
        }
        try writePNG("test/real/a.png")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("test/fake"), withIntermediateDirectories: true)
        #expect(message { try FaceDataset.load(folder: self.directory.path) }
                == "test: has images of one class only (1 real, 0 fake): each split needs both real and fake images")
        // Skipping unreadable images can leave one class too.
        try Data("not an image".utf8).write(to: directory.appendingPathComponent("test/fake/broken.png"))
        #expect(message { try FaceDataset.load(folder: self.directory.path, skipUnreadable: true) }
                == "test: has images of one class only (1 real, 0 fake): each split needs both real and fake images")
    }

    @Test(.tags(.errors)) func layoutProblemsNameTheFolder() throws {
        try writePNG("train/0_real/a.png")
        #expect(message { try FaceDataset.load(folder: self.directory.path) }
                == "train: no class folder for label 1 (expected one of 1_fake, fake)")
        try writePNG("train/1_fake/a.png")
        #expect(message { try FaceDataset.load(folder: self.directory.path) } == "val: missing split folder 'val'")
        #expect(message { try FaceDataset.load(folder: self.directory.path, imageSize: 32) }
            .contains("image size 32 is too small"))
    }
}
