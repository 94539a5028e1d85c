import Foundation
import Study
import Testing
import TestSupport
import StudyFixtures

/// `nnreport run` and `list` as a user runs them: kill and resume, bad input, and the
/// golden help texts, list and results of the quick study.
@Suite(.tags(.endToEnd)) struct RunCommandTests {
    /// `results.json` without its provenance-only fields (timing).
    private func numbers(_ output: URL) throws -> NSDictionary {
        try ResultsNormalizer.numbers(Data(contentsOf: publishedReportFolder(output).appendingPathComponent("results.json")))
    }

    private func cachedRuns(_ output: URL) -> Int {
        let runs = output.appendingPathComponent(".cache/runs")
        return ((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []).filter { $0.hasSuffix(".json") }.count
    }

    /// A run killed after its third unit (by the fault-injection variable, as a crash
    /// would kill it) resumes from the cache and ends with the numbers of a run that
    /// was never interrupted: the quick study fixture's.
    @Test func aKilledRunResumesToTheSameResults() throws {
        let arguments = ["run", "--quick", "--only", "6", "--jobs", "2"]
        let interrupted = temporaryDirectory("interrupted")
        let killed = try CommandRunner.run(arguments + ["--output", interrupted.path],
                                           environment: ["NNREPORT_FAULT_KILL_AFTER": "3"])
        #expect(killed.signalled && killed.status == SIGKILL, "status \(killed.status): \(killed.error)")
        let done = cachedRuns(interrupted)
        #expect((3...4).contains(done), "\(done) units cached when the run was killed")
        #expect(!FileManager.default.fileExists(atPath: interrupted.appendingPathComponent("index.html").path))

        let resumed = try CommandRunner.run(arguments + ["--output", interrupted.path])
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(resumed.error.contains("\(done) reused from cache"), "\(resumed.error)")
        let reference = try ResultsNormalizer.numbers(QuickStudy.study.document.encoded())
        let partSix = try numbers(interrupted)
        for field in ["dataHash", "dataSource", "experiments", "missing", "quick", "seeds"] {
            #expect(partSix[field] as? NSObject == reference[field] as? NSObject, "\(field) differs")
        }
    }

    @Test(.tags(.errors)) func aBadDataFolderFailsClearlyAndWritesNothing() throws {
        let data = temporaryDirectory("bad-data")
        try ",long,lat,country\n0,1,40,A\n".write(to: data.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        try ",long,lat,country\n0,1,north,A\n".write(to: data.appendingPathComponent("validation.csv"), atomically: true, encoding: .utf8)
        try ",long,lat,country\n0,1,40,A\n".write(to: data.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
        let output = temporaryDirectory("bad-output")
        let outcome = try CommandRunner.run(["run", "--only", "6.1.2-q1", "--data", data.path, "--output", output.path])
        #expect(outcome.status != 0)
        #expect(outcome.error.contains("validation.csv:2: lat \"north\" is not a number"), "\(outcome.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == [])
    }

    @Test(.tags(.errors)) func badFaceInputsFailClearly() throws {
        let output = temporaryDirectory("bad-faces")
        let weights = output.appendingPathComponent("missing.safetensors").path
        let missing = try CommandRunner.run(["run", "--quick", "--only", "7.1-probe", "--weights", weights, "--output", output.path])
        #expect(missing.status != 0)
        #expect(missing.error.contains("\(weights): --weights cannot be read: no such file or folder"), "\(missing.error)")

        let garbage = output.appendingPathComponent("garbage.safetensors")
        try Data("not a safetensors file".utf8).write(to: garbage)
        let corrupt = try CommandRunner.run(["run", "--quick", "--only", "7.1-probe", "--weights", garbage.path, "--output", output.path])
        #expect(corrupt.status != 0)
        #expect(corrupt.error.contains(garbage.path), "\(corrupt.error)")

        let folder = try CommandRunner.run(["run", "--quick", "--only", "7.1-xgboost", "--faces", output.appendingPathComponent("nowhere").path,
                                            "--output", output.path])
        #expect(folder.status != 0)
        #expect(folder.error.contains("nowhere"), "\(folder.error)")

        let small = try CommandRunner.run(["run", "--image-size", "32"])
        #expect(small.status != 0)
        #expect(small.error.contains("--image-size must be within 64...1024"), "\(small.error)")
    }

    @Test(.tags(.errors)) func argumentErrors() throws {
        let seeds = try CommandRunner.run(["run", "--seeds", "0"])
        #expect(seeds.status != 0)
        #expect(seeds.error.contains("--seeds must be at least 1"), "\(seeds.error)")
        let only = try CommandRunner.run(["run", "--quick", "--only", "9.9", "--output", temporaryDirectory("only").path])
        #expect(only.status != 0)
        #expect(only.error.contains("no question matches \"9.9\""), "\(only.error)")
        let jobs = try CommandRunner.run(["run", "--jobs", "0"])
        #expect(jobs.status != 0)
        #expect(jobs.error.contains("--jobs must be at least 1"), "\(jobs.error)")
        let shard = try CommandRunner.run(["run", "--shard", "3/3"])
        #expect(shard.status != 0)
        #expect(shard.error.contains("--shard 3/3: the shard must be I/N with 0 ≤ I < N"), "\(shard.error)")
        let tune = try CommandRunner.run(["run", "--quick", "--only", "6.2-tune", "--output", temporaryDirectory("tune").path])
        #expect(tune.status != 0)
        #expect(tune.error.contains("6.2-tune runs only with --tune"), "\(tune.error)")
    }

    /// `run --only 7` neither generates nor reads the 2D map: with a map folder that
    /// does not exist, Part 7 still runs (from the cache) and its report is written.
    @Test func partSevenAloneNeverTouchesTheMap() throws {
        let output = try QuickStudy.copy("only-7")
        let run = try CommandRunner.run(["run", "--quick", "--only", "7", "--data", "/nonexistent/map", "--output", output.path])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.contains("0 runs to train, 20 reused from cache"), "\(run.error)")
        #expect(FileManager.default.fileExists(atPath: try publishedReportFolder(output).appendingPathComponent("results.json").path))
    }

    @Test func exportedDataTrainsLikeTheBuiltInMap() throws {
        let folder = temporaryDirectory("export")
        let export = try CommandRunner.run(["data", "export", "--quick", folder.path])
        #expect(export.status == 0, "\(export.error)")
        let fromFiles = temporaryDirectory("fromfiles")
        let run = try CommandRunner.run(["run", "--quick", "--only", "6.1.2-q3", "--data", folder.path, "--output", fromFiles.path])
        #expect(run.status == 0, "\(run.error)")
        let reference = try ResultsNormalizer.numbers(QuickStudy.study.document.encoded())
        let own = try numbers(fromFiles)
        // The same question's numbers (the cache keys differ: they hash the data's source bytes).
        func q3(_ results: NSDictionary) -> NSObject? {
            (results["experiments"] as? [NSDictionary])?.first { $0["id"] as? String == "6.1.2-q3" }.map {
                ResultsNormalizer.withoutKeys($0) as! NSObject
            }
        }
        #expect(q3(own) != nil)
        #expect(q3(own) == q3(reference))
    }
}

/// `plan` prints the units in order, and as JSON the contract of the cluster path.
@Suite(.tags(.endToEnd)) struct PlanCommandTests {
    @Test func thePlanOfTheQuickStudy() throws {
        let output = try QuickStudy.copy("plan")
        let text = try CommandRunner.run(["plan", "--quick", "--output", output.path])
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("41 units, 41 cached"), "\(text.output)")
        let json = try CommandRunner.run(["plan", "--quick", "--json", "--only", "7.1-probe", "--output", output.path])
        #expect(json.status == 0, "\(json.error)")
        let document = try JSONDecoder().decode(PlanDocument.self, from: Data(json.output.utf8))
        #expect(document.units.count == 6)
        #expect(document.units.first?.kind == "backbone")
        #expect(document.units.dropFirst().allSatisfy { $0.dependencies == [document.units[0].key] && $0.cached })
        // Every key is the quick study's.
        let keys = Set(QuickStudy.study.units.map(\.unit.key))
        #expect(document.units.allSatisfy { keys.contains($0.key) })
    }
}

/// The texts a user reads first, as golden files: the help of the tool and of `run`,
/// `list` of the quick study, and its `results.json`.
@Suite(.tags(.golden)) struct CommandGoldenTests {
    @Test func helpTexts() throws {
        let help = try CommandRunner.run(["--help"])
        #expect(help.status == 0)
        assertGoldenFile(help.output, fileName: "help.txt")
        let run = try CommandRunner.run(["run", "--help"])
        #expect(run.status == 0)
        assertGoldenFile(run.output, fileName: "run-help.txt")
    }

    /// Wall times vary from run to run; everything else of `list` is fixed by the plan.
    @Test func listOfTheQuickStudy() throws {
        let output = try QuickStudy.copy("list")
        let list = try CommandRunner.run(["list", "--quick", "--output", output.path])
        #expect(list.status == 0, "\(list.error)")
        let normalized = list.output.replacingOccurrences(of: #"cached, [0-9]+\.[0-9] s"#, with: "cached, ‹time› s",
                                                          options: .regularExpression)
        assertGoldenFile(normalized, fileName: "list-quick.txt")
        // Before anything ran, every unit is missing.
        let empty = try CommandRunner.run(["list", "--quick", "--only", "6.1.2-q3", "--output", temporaryDirectory("list-empty").path])
        #expect(empty.status == 0, "\(empty.error)")
        #expect(empty.output.contains("with batch norm: missing"), "\(empty.output)")
    }

    /// `results.json` of `nnreport run --quick` (every unit reused from the fixture's
    /// cache), as its shape and its plan: every question, group, label, config, seed,
    /// cache key and data hash as they are, every computed value by its type. The
    /// numbers themselves depend on the CPU's BLAS kernels in their last bits (CI may
    /// run on another CPU than the one that recorded the file); they are compared,
    /// exactly, between runs on one machine by the determinism and resume tests.
    @Test func resultsOfTheQuickStudy() throws {
        let output = try QuickStudy.copy("results")
        let run = try CommandRunner.run(["run", "--quick", "--output", output.path])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.contains("0 runs to train"), "\(run.error)")
        let json = try ResultsNormalizer.shape(Data(contentsOf: publishedReportFolder(output).appendingPathComponent("results.json")))
        assertGoldenFile(json, fileName: "results-quick.json")
    }
}

/// `results.json` reduced to what a comparison or a golden file should see.
enum ResultsNormalizer {
    /// The document without its wall times and what is derived from them.
    static func numbers(_ data: Data) throws -> NSDictionary {
        strip(try JSONSerialization.jsonObject(with: data), removing: ["wallSeconds", "secondsToLevel", "sharedSeconds"]) as! NSDictionary
    }

    /// `value` without its cache keys.
    static func withoutKeys(_ value: Any) -> Any { strip(value, removing: ["keys"]) }

    private static func strip(_ value: Any, removing fields: Set<String>) -> Any {
        if let dictionary = value as? [String: Any] {
            return dictionary.filter { !fields.contains($0.key) }.mapValues { strip($0, removing: fields) } as NSDictionary
        }
        if let array = value as? [Any] { return array.map { strip($0, removing: fields) } as NSArray }
        return value
    }

    /// Fields that describe the plan rather than what training computed: kept as they are.
    static let planFields: Set<String> = ["id", "title", "label", "keys", "seeds", "config", "dataHash", "dataSource",
                                          "quick", "missing", "imageSize", "epochs", "backbone", "method", "kind"]

    /// Pretty, key-sorted JSON of the document's shape: plan fields as they are; every
    /// other value by its type (`‹number›`, `‹text›`); an array whose items share one
    /// shape as `‹N × shape›`; an object with no plan field inside as the list of its
    /// fields (`‹high, low, mean, values›`).
    static func shape(_ data: Data) throws -> String {
        func isPlaceholder(_ value: JSONValue) -> Bool {
            if case .string(let text) = value { return text.hasPrefix("‹") }
            return false
        }
        func normalize(_ value: JSONValue, key: String?) -> JSONValue {
            if let key, planFields.contains(key) { return value }
            switch value {
            case .object(let fields):
                let normalized = fields.reduce(into: [String: JSONValue]()) { $0[$1.key] = normalize($1.value, key: $1.key) }
                guard !normalized.isEmpty, normalized.values.allSatisfy(isPlaceholder) else { return .object(normalized) }
                return .string("‹" + normalized.keys.sorted().joined(separator: ", ") + "›")
            case .array(let items):
                let shapes = items.map { normalize($0, key: nil) }
                guard let first = shapes.first, shapes.allSatisfy({ $0 == first }), case .string(let text) = first,
                      isPlaceholder(first) else { return .array(shapes) }
                return .string("‹\(items.count) × \(text.dropFirst().dropLast())›")
            case .number: return .string("‹number›")
            case .string: return .string("‹text›")
            case .bool, .null: return value
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let normalized = normalize(try JSONDecoder().decode(JSONValue.self, from: data), key: nil)
        return String(decoding: try encoder.encode(normalized), as: UTF8.self) + "\n"
    }
}

/// Any JSON value, telling booleans from numbers (which `JSONSerialization` on Linux does not).
indirect enum JSONValue: Codable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let string = try? container.decode(String.self) { self = .string(string) }
        else if let array = try? container.decode([JSONValue].self) { self = .array(array) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .object(let fields): try container.encode(fields)
        case .array(let items): try container.encode(items)
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        case .null: try container.encodeNil()
        }
    }
}
