import Foundation
import Support

/// The digest a cache entry carries of its own body, so bit rot or a hand edit is
/// noticed and the run recomputed, like a truncated entry.
///
/// The entry stays one JSON object: the body as encoded (key-sorted, compact),
/// with `,"entrySHA256":"<hex>"` inserted before its final `}`; the hex digest is
/// the SHA-256 of the body bytes. Readers that do not know the field ignore it, and
/// an entry written before digests existed (no such suffix) is read as it is.
enum CacheEntryDigest {
    static let field = "entrySHA256"

    /// What reading an entry's bytes found.
    enum Check: Equatable {
        /// The digest matches: the body is as written.
        case verified
        /// No digest: an entry from before digests, accepted.
        case legacy
        /// The body does not match its digest.
        case mismatch
    }

    /// `body` (a JSON object) with its digest appended as the last member.
    static func sealed(_ body: Data) -> Data {
        var bytes = [UInt8](body)
        guard bytes.last == UInt8(ascii: "}") else { return body }
        let hex = SHA256.hex(body)
        bytes.removeLast()
        bytes += Array(((bytes.count > 1 ? "," : "") + "\"\(field)\":\"\(hex)\"}").utf8)
        return Data(bytes)
    }

    /// Checks `entry` against the digest it carries.
    static func check(_ entry: Data) -> Check {
        let bytes = [UInt8](entry)
        let suffixLength = field.utf8.count + 64 + 7  // ,"field":"<64 hex>"}
        let prefix = Array(",\"\(field)\":\"".utf8)
        guard bytes.count >= suffixLength + 1 else { return .legacy }
        let start = bytes.count - suffixLength
        guard Array(bytes[start..<(start + prefix.count)]) == prefix else {
            // A digest field elsewhere than where the writer puts it is damage, not an old entry.
            return entry.range(of: Data("\"\(field)\"".utf8)) == nil ? .legacy : .mismatch
        }
        let hex = String(decoding: bytes[(start + prefix.count)..<(bytes.count - 2)], as: UTF8.self)
        guard bytes.suffix(2) == Array("\"}".utf8) else { return .mismatch }
        let body = Data(bytes[..<start] + [UInt8(ascii: "}")])
        return SHA256.hex(body) == hex ? .verified : .mismatch
    }
}
