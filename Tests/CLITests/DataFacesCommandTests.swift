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

    /// `--preset course` plans the same units as its options written out (224-pixel
    /// images, XGBoost at 100 rounds), an option given beside it wins, and it cannot
    /// be combined with --quick.
    @Test func coursePresetIsItsOptionsWrittenOut() throws {
        let parent = temporaryDirectory("preset")
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = parent.appendingPathComponent("faces").path
        let export = try CommandRunner.run(["data", "export-faces", folder, "--quick"])
        #expect(export.status == 0, "\(export.error)")
        func plan(_ options: [String]) throws -> String {
            let outcome = try CommandRunner.run(["plan", "--faces", folder, "--only", "7.1-xgboost,7.1-scratch",
                                                 "--output", parent.appendingPathComponent("out").path] + options)
            #expect(outcome.status == 0, "\(outcome.error)")
            return outcome.output
        }
        let course = try plan(["--preset", "course"])
        #expect(course == (try plan(["--image-size", "224", "--xgboost-rounds", "100"])))
        #expect(course != (try plan([])), "the preset changes the plan")
        #expect(try plan(["--preset", "course", "--xgboost-rounds", "10", "--image-size", "64"]) == (try plan([])),
                "options given beside the preset win")
        let quick = try CommandRunner.run(["run", "--preset", "course", "--quick"])
        #expect(quick.status != 0 && quick.error.contains("--quick and --preset course contradict each other"), "\(quick.error)")
    }
}
