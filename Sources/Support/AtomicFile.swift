import Foundation

/// Whole-file writes that never leave a partial file behind.
public enum AtomicFile {
    /// Writes `data` to a unique temporary file next to `url`, then renames it over `url`:
    /// a process killed at any moment leaves either the old file or the new one.
    /// - Throws: ``FileProblem`` naming `url` and the reason in words.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FileProblem(path: folder.path, error: error, doing: "cannot create the folder")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                throw FileProblem(path: url.path, errno: errno, doing: "cannot be replaced")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw FileProblem(path: url.path, error: error, doing: "cannot be written")
        }
    }

    /// Writes `value` as key-sorted JSON (stable bytes for equal values), atomically.
    /// - Throws: an `EncodingError` for a value JSON cannot hold, a ``FileProblem`` for the file.
    public static func writeJSON(_ value: some Encodable, to url: URL, pretty: Bool = false) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        try write(try encoder.encode(value), to: url)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
