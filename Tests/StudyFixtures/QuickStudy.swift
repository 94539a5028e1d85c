import Foundation
import TestSupport
import Study
import Support

/// The `--quick` study (both parts, one seed, the built-in data), trained once per test
/// process and shared by the study, report and CLI tests: they read its cache, or copy
/// it and run again (every unit is then reused), instead of training it each.
public enum QuickStudy {
    /// The options of `nnreport run --quick`.
    public static let options = StudyOptions(quick: true)

    /// The cache folder holding every unit of the quick study. Do not modify it: `copy()` first.
    public static let cache: URL = {
        let folder = temporaryDirectory("quick-study").appendingPathComponent(".cache")
        let session = StudySession(options: options, cache: ResultCache(directory: folder))
        do {
            try session.run(try session.plan(StudyCatalog.all), jobs: CoreBudget.machineCores)
        } catch {
            fatalError("the quick study fixture failed to train: \(error)")
        }
        return folder
    }()

    /// The quick study as the report reads it.
    public static let study: LoadedStudy = {
        do {
            return try LoadedStudy.load(cache: ResultCache(directory: cache))
        } catch {
            fatalError("the quick study fixture cannot be read: \(error)")
        }
    }()

    /// A copy of the trained cache, as `<output>/.cache` of a fresh output folder that a
    /// test may run in, modify or damage; returns the output folder.
    public static func copy(_ name: String) throws -> URL {
        let output = temporaryDirectory(name)
        try FileManager.default.copyItem(at: cache, to: output.appendingPathComponent(".cache"))
        return output
    }
}

/// A new empty folder under the system's temporary folder.
public func temporaryDirectory(_ name: String) -> URL {
    let url = TestFolder.root.appendingPathComponent("nnreport-\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
