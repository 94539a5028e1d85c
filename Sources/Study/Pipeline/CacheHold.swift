import Foundation
import Logging
import Support

/// A process's hold on a cache folder while it may write into it: a shared lock on
/// `<cache>/.lock`, so many processes (shards, `list`, `run`) share one cache, and a
/// process that finds itself alone (the lock free for an exclusive moment) first
/// removes the temporary files (`.<name>.<uuid>.tmp`) that killed writers left.
/// The lock is released when the hold is.
public final class CacheHold: Sendable {
    private let lock: FileLock
    private static let logger = Logger(label: "nnreport.cache")

    /// Holds `cache`, creating its folder; nil when the folder cannot be created or
    /// locked (a read-only or lock-less file system), which only skips the clean-up.
    public init?(_ cache: ResultCache) {
        do {
            try FileManager.default.createDirectory(at: cache.directory, withIntermediateDirectories: true)
            lock = try FileLock(url: cache.directory.appendingPathComponent(".lock"))
            if try lock.tryLock(.exclusive) {
                Self.removeOrphans(in: cache.directory)
            }
            // flock converts the lock in place: a process waiting for it exclusively may slip in between, which is harmless.
            try lock.lock(.shared)
        } catch {
            return nil
        }
    }

    /// Deletes temporary files of killed writers in the cache folder and its subfolders (one level).
    static func removeOrphans(in directory: URL) {
        let manager = FileManager.default
        var folders = [directory]
        folders += ((try? manager.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }
            .map { directory.appendingPathComponent($0) }
        for folder in folders {
            for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where isTemporary(name) {
                logger.info("removing \(folder.appendingPathComponent(name).path), left by an interrupted run")
                try? manager.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }

    /// `.<name>.<UUID>.tmp`, the names ``AtomicFile`` writes before renaming.
    static func isTemporary(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let parts = name.dropLast(4).split(separator: ".")
        return parts.count >= 2 && UUID(uuidString: String(parts.last!)) != nil
    }
}
