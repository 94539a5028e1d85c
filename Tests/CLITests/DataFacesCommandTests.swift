import Foundation
import Testing
import TestSupport
import StudyFixtures

@Suite(.tags(.endToEnd)) struct DataFacesCommandTests {
    @Test func exportFacesThenCheckTheFolder() throws {
        let parent = temporaryDirectory("faces")
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("faces")
        let export = try CommandRunner.run(["data", "export-faces", folder.path, "--quick", "--seed", "2"])
        #expect(export.status == 0, "\(export.error)")
        #expect(export.output.contains("wrote 160 images of built-in faces (seed 2, 64x64, flaw strength 1)"), "\(export.output)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("test/1_fake/00015.png").path))

        let again = try CommandRunner.run(["data", "export-faces", folder.path, "--quick"])
        #expect(again.status != 0)
        #expect(again.error.contains("\(folder.path): already exists and is not empty"), "\(again.error)")

        let check = try CommandRunner.run(["data", "faces", "--data", folder.path])
        #expect(check.status == 0, "\(check.error)")
        #expect(check.output.contains("source:      \(folder.path)"), "\(check.output)")
        #expect(check.output.contains("test:        32 (16 real, 16 fake)"), "\(check.output)")
        #expect(check.output.contains("test accuracy of period-2 energy"), "\(check.output)")

        let small = try CommandRunner.run(["data", "faces", "--quick", "--image-size", "40"])
        #expect(small.status != 0)
        #expect(small.error.contains("--image-size must be within 64...1024"), "\(small.error)")
    }
}
