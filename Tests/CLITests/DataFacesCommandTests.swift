import Foundation
import XCTest

final class DataFacesCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try CommandRunner.checkBinary()
    }

    func testExportFacesThenCheckTheFolder() throws {
        let parent = CommandRunner.temporaryDirectory("faces")
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("faces")
        let export = try CommandRunner.run(["data", "export-faces", folder.path, "--quick", "--seed", "2"])
        XCTAssertEqual(export.status, 0, export.error)
        XCTAssertTrue(export.output.contains("wrote 160 images of built-in faces (seed 2, 64x64, artifact strength 1)"), export.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("test/1_fake/00015.png").path))

        let again = try CommandRunner.run(["data", "export-faces", folder.path, "--quick"])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.error.contains("\(folder.path): already exists and is not empty"), again.error)

        let check = try CommandRunner.run(["data", "faces", "--data", folder.path])
        XCTAssertEqual(check.status, 0, check.error)
        XCTAssertTrue(check.output.contains("source:      \(folder.path)"), check.output)
        XCTAssertTrue(check.output.contains("test:        32 (16 real, 16 fake)"), check.output)
        XCTAssertTrue(check.output.contains("test accuracy of period-2 energy"), check.output)

        let small = try CommandRunner.run(["data", "faces", "--quick", "--image-size", "40"])
        XCTAssertNotEqual(small.status, 0)
        XCTAssertTrue(small.error.contains("image size 40 is too small"), small.error)
    }
}
