import Foundation
import Support

/// Content addresses of runs: SHA-256 over a run's full config, the data's hash and
/// the engine version, as canonical JSON (sorted keys). A change to any of them gives
/// another key, so exactly the affected runs are recomputed. Each kind of run says
/// what its key covers (``RunSpec/key(dataHash:engineVersion:)``).
public enum CacheKey {
    /// Bumped when the stored result format changes.
    public static let formatVersion = 2

    /// SHA-256 of `material` as canonical JSON (sorted keys): the one way every cache key is made.
    static func hash(_ material: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain value types cannot fail.
        return SHA256.hex(try! encoder.encode(material))
    }
}
