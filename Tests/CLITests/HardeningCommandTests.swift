import Foundation
import Testing
import TestSupport
import StudyFixtures

/// Bad command-line values and paths: one clear sentence each, before any training.
@Suite(.tags(.errors)) struct HardeningCommandTests {
    /// Arguments and the words the error must contain.
    static func cases() -> [([String], String)] {
        let folder = temporaryDirectory("bad-paths")
        let file = folder.appendingPathComponent("file")
        try? Data("x".utf8).write(to: file)
        let longID = String(repeating: "9", count: 500)
        return [
            (["run", "--jobs", "-1"], "--jobs must be at least 1"),
            (["run", "--seeds", "-3"], "--seeds must be at least 1"),
            // Every numeric option reads a negative value as its value, never as "missing value".
            (["slurm", "submit", "--tasks", "-1"], "--tasks must be at least 1"),
            (["slurm", "submit", "--tasks", "2", "--cpus-per-task", "-2"], "--cpus-per-task must be at least 1"),
            (["bench", "resnet18", "--batch", "-4"], "--batch must be positive"),
            (["bench", "mlp", "--seconds", "-1"], "--seconds must be positive"),
            (["data", "preview", folder.appendingPathComponent("preview").path, "--zoom", "-1"], "--zoom must be within 1...16"),
            (["run", "--quick", "--only", ",", "--output", folder.path], "--only \",\" names no question"),
            (["run", "--quick", "--only", "6.1.2-q1", "--output", file.path], "\(file.path): --output cannot be used: it is a file, not a folder"),
            (["run", "--quick", "--only", "6.1.2-q1", "--output", folder.path, "--cache", file.appendingPathComponent("c").path],
             "\(file.path)/c: --cache cannot be used: a part of the path is a file, not a folder"),
            (["run", "--quick", "--only", "7", "--output", folder.path, "--weights", folder.path],
             "\(folder.path): --weights cannot be read: it is a folder, not a file"),
            (["run", "--quick", "--only", "7", "--output", folder.path, "--weights", folder.appendingPathComponent("none").path],
             "--weights cannot be read: no such file or folder"),
            (["render", "--output", file.path], "\(file.path): --output cannot be used: it is a file, not a folder"),
            (["run", "--quick", "--only", "6.1.2-q1", "--output", folder.path, "--templates", file.path],
             "\(file.path): is a file, not a folder"),
            // The cluster commands check the same paths before writing scripts or submitting anything.
            (["slurm", "submit", "--tasks", "2", "--dry-run", "--quick", "--only", "6.1.2-q1", "--output", file.path],
             "\(file.path): --output cannot be used: it is a file, not a folder"),
            (["slurm", "submit", "--tasks", "2", "--dry-run", "--quick", "--only", "6.1.2-q1", "--output", folder.path,
              "--cache", file.appendingPathComponent("c").path],
             "\(file.path)/c: --cache cannot be used: a part of the path is a file, not a folder"),
            (["slurm", "submit", "--tasks", "2", "--dry-run", "--quick", "--only", "7", "--output", folder.path, "--weights", folder.path],
             "\(folder.path): --weights cannot be read: it is a folder, not a file"),
            (["slurm", "submit", "--tasks", "2", "--dry-run", "--quick", "--only", "6.1.2-q1", "--output", folder.path,
              "--templates", file.path], "\(file.path): is a file, not a folder"),
            (["slurm", "status", "--quick", "--only", "6.1.2-q1", "--output", file.path],
             "\(file.path): --output cannot be used: it is a file, not a folder"),
            (["slurm", "status", "--quick", "--only", "7", "--output", folder.path, "--weights", folder.appendingPathComponent("none").path],
             "--weights cannot be read: no such file or folder"),
            (["run", "--quick", "--only", longID, "--output", folder.path], String(repeating: "9", count: 80) + "…"),
        ]
    }

    /// The weights file's content, not only its readability, is checked before the first run trains.
    @Test func aDamagedWeightsFileStopsTheRunBeforeAnyTraining() throws {
        let folder = temporaryDirectory("bad-weights")
        let weights = folder.appendingPathComponent("resnet18.pth")
        try Data("not a weights file".utf8).write(to: weights)
        let outcome = try CommandRunner.run(["run", "--quick", "--only", "7", "--output", folder.appendingPathComponent("out").path,
                                             "--weights", weights.path])
        #expect(outcome.status != 0 && !outcome.signalled, "\(outcome.status)")
        #expect(outcome.error.contains("\(weights.path): "), "\(outcome.error)")
        #expect(!outcome.output.contains("[1/") && !outcome.error.contains("[1/"), "\(outcome.output)")
    }

    @Test(arguments: cases()) func refusedWithOneSentence(_ arguments: [String], _ expected: String) throws {
        let outcome = try CommandRunner.run(arguments)
        #expect(outcome.status != 0 && !outcome.signalled, "\(arguments): \(outcome.status)")
        #expect(outcome.error.contains(expected), "\(arguments): \(outcome.error)")
        #expect(!outcome.error.contains("NSCocoaErrorDomain") && !outcome.error.contains(String(repeating: "9", count: 81)),
                "\(outcome.error)")
    }
}
