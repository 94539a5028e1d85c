import Datasets
import Engine
import Foundation
import Support

/// The content address of a run: SHA-256 over its full config, the data's hash
/// and the engine version, as canonical JSON (sorted keys). A change to any of
/// them gives another key, so exactly the affected runs are recomputed.
public enum CacheKey {
    /// Bumped when the stored result format changes.
    public static let formatVersion = 2

    private struct Material: Encodable {
        var format: Int
        var engine: String
        var data: String
        var config: RunConfig
    }

    public static func key(for config: RunConfig, dataHash: String, engineVersion: String = EngineVersion.current) -> String {
        hash(Material(format: formatVersion, engine: engineVersion, data: dataHash, config: config))
    }

    /// SHA-256 of `material` as canonical JSON (sorted keys): the one way every cache key is made.
    static func hash(_ material: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain value types cannot fail.
        return SHA256.hex(try! encoder.encode(material))
    }
}
