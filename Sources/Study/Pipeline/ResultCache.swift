import Engine
import Foundation
import Logging
import Support

/// Run results stored as one JSON file per cache key, under `<directory>/runs/`.
///
/// Writes are atomic (a temporary file in the same folder, then a rename), so a
/// process killed at any moment leaves either the complete previous state or the
/// complete new file. An entry that cannot be read or decoded, or that belongs to
/// another key, is reported with a warning and treated as missing, so the run is
/// simply recomputed.
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
        let url = url(forKey: key)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let result = try JSONDecoder().decode(RunResult<Spec>.self, from: Data(contentsOf: url))
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

    /// Stores `result` under its key, atomically.
    public func store<Spec: RunSpec>(_ result: RunResult<Spec>) throws {
        try AtomicFile.writeJSON(result, to: url(forKey: result.key))
    }

    /// What `list` shows of an entry without keeping its whole result: its wall time
    /// and whether it diverged; nil when missing or unreadable.
    public func status(key: String) -> UnitStatus? {
        guard let data = try? Data(contentsOf: url(forKey: key)),
              let status = try? JSONDecoder().decode(UnitStatus.self, from: data), status.key == key else { return nil }
        return status
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
