import Engine
import Foundation
import Logging
import Support

/// Run results stored as one JSON file per cache key, under `<directory>/runs/`.
///
/// Writes are atomic (a temporary file in the same folder, then a rename), so a
/// process killed at any moment leaves either the complete previous state or the
/// complete new file. Each entry carries the SHA-256 of its body
/// (``CacheEntryDigest``; entries written before that carry none and are read as
/// they are). An entry that cannot be read or decoded, whose body does not match
/// its digest, that is not a regular file (a folder in its place), or that belongs
/// to another key, is reported with a warning and treated as missing, so the run
/// is simply recomputed.
public struct ResultCache: Sendable {
    public let directory: URL
    private let logger = Logger(label: "nnreport.cache")

    public init(directory: URL) {
        self.directory = directory
    }

    var runsDirectory: URL { directory.appendingPathComponent("runs", isDirectory: true) }

    public func url(forKey key: String) -> URL {
        runsDirectory.appendingPathComponent("\(key).json")
    }

    /// Whether an entry file exists (it may still turn out unreadable).
    public func contains(key: String) -> Bool {
        FileManager.default.fileExists(atPath: url(forKey: key).path)
    }

    /// The stored result for `key`, or nil when missing or unusable.
    public func load<Spec: RunSpec>(_ type: RunResult<Spec>.Type, key: String) -> RunResult<Spec>? {
        guard let (url, data) = entry(key: key) else { return nil }
        do {
            let result = try JSONDecoder().decode(RunResult<Spec>.self, from: data)
            guard result.key == key else {
                logger.warning("cache entry \(url.path) holds key \(result.key); recomputing")
                return nil
            }
            return result
        } catch {
            logger.warning("cache entry \(url.path) is unreadable (\(Self.describe(error))); recomputing")
            return nil
        }
    }

    /// Stores `result` under its key, atomically, with the digest of its body.
    public func store<Spec: RunSpec>(_ result: RunResult<Spec>) throws {
        let url = url(forKey: result.key)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            logger.warning("cache entry \(url.path) is a folder, not a file; replacing it")
            try? FileManager.default.removeItem(at: url)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try AtomicFile.write(CacheEntryDigest.sealed(try encoder.encode(result)), to: url)
        } catch {
            throw FileProblem(path: url.path, error: error, doing: "cannot store the run's result")
        }
    }

    /// What `list` shows of an entry without keeping its whole result: its wall time
    /// and whether it diverged; nil when missing or unusable.
    public func status(key: String) -> UnitStatus? {
        guard let (_, data) = entry(key: key),
              let status = try? JSONDecoder().decode(UnitStatus.self, from: data), status.key == key else { return nil }
        return status
    }

    /// The bytes of the entry for `key` when it is a regular file whose body matches its
    /// digest (or that has none); nil, with a warning for a damaged one, otherwise.
    private func entry(key: String) -> (URL, Data)? {
        let url = url(forKey: key)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue {
            logger.warning("cache entry \(url.path) is a folder, not a file; recomputing")
            return nil
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            logger.warning("cache entry \(url.path) cannot be read (\(FileProblem.reason(of: error))); recomputing")
            return nil
        }
        if CacheEntryDigest.check(data) == .mismatch {
            logger.warning("cache entry \(url.path) does not match its digest (damaged or edited); recomputing")
            return nil
        }
        return (url, data)
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        return "\(error)"
    }
}

/// The few fields of a stored result that say what became of the run.
public struct UnitStatus: Decodable, Sendable {
    public var key: String
    public var wallSeconds: Double
    private var history: History?

    /// Whether the run's training diverged.
    public var diverged: Bool { history?.divergence != nil }

    private struct History: Decodable {
        var divergence: Divergence?
    }
}
