import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks of the paths a command was given, made before any work, so a typo or a
/// read-only folder stops the command at once rather than after an hour of training.
public enum PathCheck {
    /// `url` is a folder this process can write into, or can be created as one
    /// (its nearest existing ancestor is a writable folder).
    /// - Parameter role: how the command names it, e.g. `--output`.
    public static func writableFolder(_ url: URL, role: String) throws {
        var candidate = url.standardizedFileURL
        var missing = false
        while true {
            var status = stat()
            if lstat(candidate.path, &status) == 0 || errno != ENOENT {
                break
            }
            missing = true
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { break }
            candidate = parent
        }
        var status = stat()
        guard stat(candidate.path, &status) == 0 else {
            throw FileProblem(path: url.path, errno: errno, doing: "\(role) cannot be used")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            let what = candidate.path == url.standardizedFileURL.path ? url.path : candidate.path
            throw FileProblem(path: what, doing: "\(role) cannot be used", reason: "it is a file, not a folder")
        }
        guard access(candidate.path, W_OK | X_OK) == 0 else {
            throw FileProblem(path: candidate.path, doing: missing ? "\(role) cannot be created in it" : "\(role) cannot be written",
                              reason: Self.reasonOrDenied(errno))
        }
    }

    /// `url` is a regular file (or a link to one) that this process can read.
    public static func readableFile(_ url: URL, role: String) throws {
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            throw FileProblem(path: url.path, errno: errno, doing: "\(role) cannot be read")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw FileProblem(path: url.path, doing: "\(role) cannot be read", reason: "it is a folder, not a file")
        default: throw FileProblem(path: url.path, doing: "\(role) cannot be read", reason: "it is not a regular file")
        }
        guard access(url.path, R_OK) == 0 else {
            throw FileProblem(path: url.path, doing: "\(role) cannot be read", reason: Self.reasonOrDenied(errno))
        }
    }

    /// `url` is a folder (or a link to one).
    public static func folder(_ url: URL, role: String) throws {
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            throw FileProblem(path: url.path, errno: errno, doing: "\(role) cannot be used")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw FileProblem(path: url.path, doing: "\(role) cannot be used", reason: "it is a file, not a folder")
        }
    }

    private static func reasonOrDenied(_ code: Int32) -> String {
        code == 0 ? "permission denied" : FileProblem.reason(errno: code)
    }
}
