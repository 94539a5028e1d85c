import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system failure as a sentence a person can act on: the path, what was
/// being done, and the reason in plain words (never `NSCocoaErrorDomain error 256`).
public struct FileProblem: Error, Equatable, CustomStringConvertible, Sendable {
    public var path: String
    /// What failed, e.g. `cannot be written`.
    public var doing: String
    public var reason: String

    public init(path: String, doing: String, reason: String) {
        (self.path, self.doing, self.reason) = (path, doing, reason)
    }

    public init(path: String, errno code: Int32, doing: String) {
        self.init(path: path, doing: doing, reason: Self.reason(errno: code))
    }

    /// `error` (a POSIX error, an `NSError` of Foundation's file functions, or anything else) as a problem with `path`.
    public init(path: String, error: Error, doing: String) {
        if let problem = error as? FileProblem {
            self = problem
            return
        }
        var reason = Self.reason(of: error)
        // Foundation often says only "the operation failed" (code 256 or 512): the path itself tells why.
        if reason == Self.unknownReason, let code = Self.probe(path) { reason = Self.reason(errno: code) }
        self.init(path: path, doing: doing, reason: reason)
    }

    static let unknownReason = "the operation failed"

    /// Why `path` cannot be read or written, found by looking at it: the `errno` of
    /// `stat` on it (or its folder), `EISDIR` for a folder, `EACCES` for a file this
    /// process may not read; nil when nothing is wrong with it.
    static func probe(_ path: String) -> Int32? {
        var status = stat()
        if stat(path, &status) != 0 {
            let code = errno
            guard code == ENOENT else { return code }
            let parent = (path as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != path else { return code }
            if stat(parent, &status) != 0 { return errno }
            if status.st_mode & S_IFMT != S_IFDIR { return ENOTDIR }
            return access(parent, W_OK | X_OK) == 0 ? code : EACCES
        }
        if status.st_mode & S_IFMT == S_IFDIR { return EISDIR }
        return access(path, R_OK) == 0 ? nil : EACCES
    }

    public var description: String { "\(path): \(doing): \(reason)" }

    /// The reason for `errno` in words.
    public static func reason(errno code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "it is a folder, not a file"
        case ENOTDIR: return "a part of the path is a file, not a folder"
        case ENOENT: return "no such file or folder"
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "the disk quota is exceeded"
        case EROFS: return "the file system is read-only"
        case ELOOP: return "too many levels of symbolic links (a symbolic link loop)"
        case ENAMETOOLONG: return "the name is too long"
        case EEXIST: return "it already exists"
        case ENOTEMPTY: return "the folder is not empty"
        case EXDEV: return "it is on another file system"
        case EMFILE, ENFILE: return "too many open files"
        case EIO: return "an input/output error of the device"
        case EBUSY: return "it is busy"
        case ETXTBSY: return "the file is in use"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    /// `error` unchanged, unless it is a Foundation file error (`NSCocoaErrorDomain`,
    /// `NSPOSIXErrorDomain`), which becomes a ``FileProblem`` naming its file: the
    /// last safety net before a message reaches a person.
    public static func plain(_ error: Error) -> Error {
        let nsError = error as NSError
        guard !(error is FileProblem), nsError.domain == NSCocoaErrorDomain || nsError.domain == NSPOSIXErrorDomain else {
            return error
        }
        let path = (nsError.userInfo[NSFilePathErrorKey] as? String) ?? (nsError.userInfo[NSURLErrorKey] as? URL)?.path
        return FileProblem(path: path ?? "a file", error: error, doing: "failed")
    }

    /// The reason behind `error` in words: its POSIX code when it has one (directly or underlying).
    public static func reason(of error: Error) -> String {
        if let problem = error as? FileProblem { return problem.reason }
        if let posix = error as? POSIXError { return reason(errno: posix.code.rawValue) }
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return reason(errno: Int32(underlying.code))
        }
        if nsError.domain == NSPOSIXErrorDomain { return reason(errno: Int32(nsError.code)) }
        if nsError.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: nsError.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "no space left on the device"
            case .fileWriteVolumeReadOnly: return "the file system is read-only"
            case .fileWriteFileExists: return "it already exists"
            case .fileReadInvalidFileName, .fileWriteInvalidFileName: return "the name is not valid"
            case .fileReadCorruptFile: return "the file is damaged or not in the expected format"
            case .fileReadInapplicableStringEncoding: return "the file is not text in the expected encoding"
            case .fileReadTooLarge: return "the file is too large"
            default: break
            }
            if let description = nsError.userInfo[NSLocalizedDescriptionKey] as? String, !description.isEmpty,
               !description.contains("NSCocoaErrorDomain") {
                return description
            }
            return unknownReason
        }
        return "\(error)"
    }
}
