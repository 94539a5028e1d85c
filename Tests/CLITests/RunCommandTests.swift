import Foundation
import XCTest

final class RunCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try CommandRunner.checkBinary()
    }

    /// `results.json` without its provenance-only fields (timing, and the cache keys,
    /// which hash the data's source bytes).
    private func numbers(_ output: URL) throws -> NSDictionary {
        let data = try Data(contentsOf: output.appendingPathComponent("results.json"))
        func strip(_ value: Any) -> Any {
            if let dictionary = value as? [String: Any] {
                return dictionary.filter { $0.key != "wallSeconds" && $0.key != "keys" }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        return strip(try JSONSerialization.jsonObject(with: data)) as! NSDictionary
    }

    private func cachedRuns(_ output: URL) -> Int {
        let runs = output.appendingPathComponent(".cache/runs")
        return ((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []).filter { $0.hasSuffix(".json") }.count
    }

    func testKilledRunResumesToTheSameResults() throws {
        let arguments = ["run", "--quick", "--only", "6", "--seeds", "3", "--jobs", "2"]
        let reference = CommandRunner.temporaryDirectory("reference")
        let complete = try CommandRunner.run(arguments + ["--output", reference.path])
        XCTAssertEqual(complete.status, 0, complete.error)
        let total = cachedRuns(reference)
        XCTAssertGreaterThan(total, 20)

        let interrupted = CommandRunner.temporaryDirectory("interrupted")
        let (process, _, _) = try CommandRunner.start(arguments + ["--output", interrupted.path])
        while cachedRuns(interrupted) < 2 && process.isRunning { usleep(1_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let done = cachedRuns(interrupted)
        XCTAssertLessThan(done, total, "the run finished before it could be interrupted")
        XCTAssertFalse(FileManager.default.fileExists(atPath: interrupted.appendingPathComponent("results.json").path))

        let resumed = try CommandRunner.run(arguments + ["--output", interrupted.path])
        XCTAssertEqual(resumed.status, 0, resumed.error)
        XCTAssertTrue(resumed.error.contains("reused from cache"), resumed.error)
        XCTAssertFalse(resumed.error.contains("0 reused from cache"), resumed.error)
        XCTAssertEqual(try numbers(interrupted), try numbers(reference))
    }

    func testBadDataFolderFailsClearlyAndWritesNothing() throws {
        let data = CommandRunner.temporaryDirectory("bad-data")
        try ",long,lat,country\n0,1,40,A\n".write(to: data.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        try ",long,lat,country\n0,1,north,A\n".write(to: data.appendingPathComponent("validation.csv"), atomically: true, encoding: .utf8)
        try ",long,lat,country\n0,1,40,A\n".write(to: data.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
        let output = CommandRunner.temporaryDirectory("bad-output")
        let outcome = try CommandRunner.run(["run", "--only", "6.1.2-q1", "--data", data.path, "--output", output.path])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.error.contains("validation.csv:2: lat \"north\" is not a number"), outcome.error)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output.path), [])
    }

    func testBadFaceInputsFailClearly() throws {
        let output = CommandRunner.temporaryDirectory("bad-faces")
        let weights = output.appendingPathComponent("missing.safetensors").path
        let missing = try CommandRunner.run(["run", "--quick", "--only", "7.1-probe", "--weights", weights, "--output", output.path])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("\(weights): cannot be read"), missing.error)

        let garbage = output.appendingPathComponent("garbage.safetensors")
        try Data("not a safetensors file".utf8).write(to: garbage)
        let corrupt = try CommandRunner.run(["run", "--quick", "--only", "7.1-probe", "--weights", garbage.path, "--output", output.path])
        XCTAssertNotEqual(corrupt.status, 0)
        XCTAssertTrue(corrupt.error.contains(garbage.path), corrupt.error)

        let folder = try CommandRunner.run(["run", "--quick", "--only", "7.1-xgboost", "--faces", output.appendingPathComponent("nowhere").path,
                                            "--output", output.path])
        XCTAssertNotEqual(folder.status, 0)
        XCTAssertTrue(folder.error.contains("nowhere"), folder.error)

        let small = try CommandRunner.run(["run", "--image-size", "32"])
        XCTAssertNotEqual(small.status, 0)
        XCTAssertTrue(small.error.contains("--image-size must be within 64...1024"), small.error)
    }

    func testArgumentErrors() throws {
        let seeds = try CommandRunner.run(["run", "--seeds", "0"])
        XCTAssertNotEqual(seeds.status, 0)
        XCTAssertTrue(seeds.error.contains("--seeds must be at least 1"), seeds.error)
        let only = try CommandRunner.run(["run", "--quick", "--only", "9.9", "--output", CommandRunner.temporaryDirectory("only").path])
        XCTAssertNotEqual(only.status, 0)
        XCTAssertTrue(only.error.contains("no experiment matches \"9.9\""), only.error)
    }

    func testListShowsCacheState() throws {
        let output = CommandRunner.temporaryDirectory("list")
        XCTAssertEqual(try CommandRunner.run(["run", "--quick", "--only", "6.1.2-q3", "--output", output.path]).status, 0)
        let list = try CommandRunner.run(["list", "--quick", "--output", output.path])
        XCTAssertEqual(list.status, 0, list.error)
        XCTAssertTrue(list.output.contains("6.1.2-q3  Batch normalisation"), list.output)
        XCTAssertTrue(list.output.contains("with batch norm: cached"), list.output)
        XCTAssertTrue(list.output.contains("lr 0.01: missing"), list.output)
    }

    func testExportedDataTrainsLikeTheBuiltInMap() throws {
        let folder = CommandRunner.temporaryDirectory("export")
        let export = try CommandRunner.run(["data", "export", "--quick", folder.path])
        XCTAssertEqual(export.status, 0, export.error)
        let builtIn = CommandRunner.temporaryDirectory("builtin")
        let fromFiles = CommandRunner.temporaryDirectory("fromfiles")
        XCTAssertEqual(try CommandRunner.run(["run", "--quick", "--only", "6.1.2-q3", "--output", builtIn.path]).status, 0)
        XCTAssertEqual(try CommandRunner.run(["run", "--quick", "--only", "6.1.2-q3", "--data", folder.path, "--output", fromFiles.path]).status, 0)
        let a = try numbers(builtIn), b = try numbers(fromFiles)
        XCTAssertEqual(a["experiments"] as? NSArray, b["experiments"] as? NSArray)
    }
}
