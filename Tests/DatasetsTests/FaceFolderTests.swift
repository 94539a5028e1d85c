import Engine
import Foundation
import Images
import Support
import XCTest
@testable import Datasets

final class FaceFolderTests: XCTestCase {
    private var directory: URL!
    private let quick = SyntheticFaces.Configuration(seed: 5, size: .quick)

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nnreport-faces-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
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

    func testExportThenLoadGivesTheSameTensors() throws {
        let folder = directory.appendingPathComponent("faces")
        XCTAssertEqual(try FaceExport.write(quick, to: folder), 160)
        let exported = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("val/1_fake").path).sorted()
        XCTAssertEqual(exported.count, 16)
        XCTAssertEqual(exported.first, "00000.png")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["faces"], "no staging folder left")

        let builtIn = try SyntheticFaces.generate(quick)
        let loaded = try FaceDataset.load(folder: folder.path)
        for (a, b) in zip(builtIn.splits, loaded.splits) {
            XCTAssertEqual(a.pretrained, b.pretrained)
            XCTAssertEqual(a.scratch, b.scratch)
            XCTAssertEqual(a.xgboost, b.xgboost)
            XCTAssertEqual(a.labels, b.labels)
            XCTAssertEqual(a.names, b.names)
            XCTAssertEqual(a.thumbnails, b.thumbnails)
        }
        XCTAssertEqual(loaded.source, folder.path)
        XCTAssertEqual(loaded.skipped, [])
        XCTAssertEqual(try FaceDataset.load(folder: folder.path, cores: .single).contentHash, loaded.contentHash)

        // The hash follows the files' bytes and names.
        let first = folder.appendingPathComponent("train/0_real/00000.png")
        let second = folder.appendingPathComponent("train/0_real/00001.png")
        let firstBytes = try Data(contentsOf: first), secondBytes = try Data(contentsOf: second)
        try secondBytes.write(to: first)
        try firstBytes.write(to: second)
        XCTAssertNotEqual(try FaceDataset.load(folder: folder.path).contentHash, loaded.contentHash, "swapped contents")
        try firstBytes.write(to: first)
        try secondBytes.write(to: second)
        XCTAssertEqual(try FaceDataset.load(folder: folder.path).contentHash, loaded.contentHash)
        try FileManager.default.moveItem(at: second, to: folder.appendingPathComponent("train/0_real/00001b.png"))
        XCTAssertNotEqual(try FaceDataset.load(folder: folder.path).contentHash, loaded.contentHash, "renamed file")
    }

    func testExportRefusesANonEmptyFolderAndFillsAnEmptyOne() throws {
        let folder = directory.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tiny = SyntheticFaces.Configuration(seed: 1, size: SyntheticFaces.Size(train: 2, validation: 1, test: 1))
        XCTAssertEqual(try FaceExport.write(tiny, to: folder), 4, "an empty folder is fine")
        XCTAssertEqual(message { try FaceExport.write(tiny, to: folder) },
                       "taken: already exists and is not empty; remove it or choose another folder")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("test/0_real/00000.png").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("test/1_fake").path),
                      "a class folder exists even when empty, so the export loads back")
        try Data([1]).write(to: directory.appendingPathComponent("file"))
        XCTAssertEqual(message { try FaceExport.write(tiny, to: self.directory.appendingPathComponent("file")) },
                       "file: exists and is not a folder")
    }

    /// Each view equals what Images' `ImageFolder` gives with that one pipeline.
    func testFolderViewsMatchImageFolderWithEachPipeline() throws {
        for split in ["train", "val", "test"] {
            try writePNG("\(split)/real/a.png", width: 90, height: 70, value: 10)
            try writePNG("\(split)/real/b.png", width: 64, height: 64, value: 120)
            try writePNG("\(split)/fake/c.png", width: 70, height: 100, value: 200)
        }
        let data = try FaceDataset.load(folder: directory.path, imageSize: 64)
        XCTAssertEqual(data.train.names, ["train/real/a.png", "train/real/b.png", "train/fake/c.png"])
        XCTAssertEqual(data.test.labels, [0, 0, 1])
        for pipeline in [ImagePipeline.pretrained(size: 64), .scratch(size: 64)] {
            let reference = try ImageFolder.load(root: directory.path, split: .val, pipeline: pipeline)
            XCTAssertEqual(pipeline == .scratch(size: 64) ? data.validation.scratch : data.validation.pretrained,
                           Tensor(reference.images))
        }
        XCTAssertEqual(data.train.thumbnails[2].count, 64 * 64 * 3)
    }

    func testCorruptFileIsNamedOrSkipped() throws {
        for split in ["train", "val", "test"] {
            try writePNG("\(split)/0_real/a.png")
            try writePNG("\(split)/1_fake/b.png")
        }
        try Data("not an image".utf8).write(to: directory.appendingPathComponent("val/1_fake/broken.jpg"))
        XCTAssertEqual(message { try FaceDataset.load(folder: self.directory.path) },
                       "val/1_fake/broken.jpg: not a PNG or JPEG file (unknown signature)")
        let data = try FaceDataset.load(folder: directory.path, skipUnreadable: true)
        XCTAssertEqual(data.skipped.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["broken.jpg"])
        XCTAssertEqual(data.skipped.first?.reason, "not a PNG or JPEG file (unknown signature)")
        XCTAssertEqual(data.validation.names, ["val/0_real/a.png", "val/1_fake/b.png"])

        try FileManager.default.removeItem(at: directory.appendingPathComponent("test/0_real/a.png"))
        try FileManager.default.removeItem(at: directory.appendingPathComponent("test/1_fake/b.png"))
        XCTAssertEqual(message { try FaceDataset.load(folder: self.directory.path, skipUnreadable: true) },
                       "test: no images (expected .jpg, .jpeg or .png files in the class folders)")
    }

    func testLayoutProblemsNameTheFolder() throws {
        try writePNG("train/0_real/a.png")
        XCTAssertEqual(message { try FaceDataset.load(folder: self.directory.path) },
                       "train: no class folder for label 1 (expected one of 1_fake, fake)")
        try writePNG("train/1_fake/a.png")
        XCTAssertEqual(message { try FaceDataset.load(folder: self.directory.path) }, "val: missing split folder 'val'")
        XCTAssertTrue(message { try FaceDataset.load(folder: self.directory.path, imageSize: 32) }
            .contains("image size 32 is too small"))
    }
}
