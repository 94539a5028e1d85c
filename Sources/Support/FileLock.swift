import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory `flock(2)` lock on a file, released when the value is released
/// (or when the process dies, however it dies: the kernel drops it with the file
/// descriptor). The holder of an exclusive lock writes its process id into the
/// file, so another process can say who it waits for.
public final class FileLock: @unchecked Sendable {
    public enum Mode: Sendable { case shared, exclusive }

    public let url: URL
    private let descriptor: Int32

    /// Opens (creating it if needed) the lock file; takes no lock yet.
    public init(url: URL) throws {
        self.url = url
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileProblem(path: url.path, errno: errno, doing: "cannot open the lock file") }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Takes the lock without waiting; false when another process holds it in a conflicting mode.
    public func tryLock(_ mode: Mode) throws -> Bool {
        try lock(mode, wait: false)
    }

    /// Takes the lock, waiting as long as another process holds it.
    public func lock(_ mode: Mode) throws {
        _ = try lock(mode, wait: true)
    }

    /// Releases the lock (the file stays: removing it would let two processes lock two different files).
    public func unlock() {
        _ = flock(descriptor, LOCK_UN)
    }

    /// What the current holder wrote into the file (its process id), trimmed; nil when empty or unreadable.
    public var holder: String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    private func lock(_ mode: Mode, wait: Bool) throws -> Bool {
        let operation = (mode == .exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB)
        while flock(descriptor, operation) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return false }
            throw FileProblem(path: url.path, errno: errno, doing: "cannot lock")
        }
        if mode == .exclusive {
            // Who holds it, for a process that has to wait.
            let text = "pid \(getpid())\n"
            _ = ftruncate(descriptor, 0)
            _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        }
        return true
    }
}
