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

    /// The stored Part 6 result for `key`, or nil when missing or unusable.
    public func load(key: String) -> RunResult? {
        load(RunResult.self, key: key)
    }

    /// The stored entry for `key`, or nil when missing or unusable.
    public func load<Entry: CacheEntry>(_ type: Entry.Type, key: String) -> Entry? {
        let url = url(forKey: key)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let result = try JSONDecoder().decode(Entry.self, from: Data(contentsOf: url))
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
    public func store(_ result: some CacheEntry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(result), to: url(forKey: result.key))
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        return "\(error)"
    }
}

/// A result stored in the cache under its own key.
public protocol CacheEntry: Codable {
    var key: String { get }
}

extension RunResult: CacheEntry {}
extension FaceRunResult: CacheEntry {}
