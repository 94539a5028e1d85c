import Foundation
import Support

/// Content addresses of runs: SHA-256 over a run's full config, the data's hash and
/// the engine version, as canonical JSON (sorted keys). A change to any of them gives
/// another key, so exactly the affected runs are recomputed. Each kind of run says
/// what its key covers (``RunSpec/key(dataHash:engineVersion:)``).
public enum CacheKey {
    /// Bumped when the stored result format changes.
    public static let formatVersion = 2
    /// Part 6's format: 3 since the decision grid and test predictions are those of the
    /// best epoch (they were the last epoch's).
    static let mlpFormatVersion = 3

    /// What a key hashes. `part` and `kind` tell kinds of run apart where their configs
    /// could coincide; fields left nil are not encoded, so each kind's material is
    /// exactly the JSON it has always been (Part 6: format, engine, data, config;
    /// Part 7: with `part: 7`; the backbone: with `kind`, without data).
    private struct Material<Config: Encodable>: Encodable {
        var format: Int
        var part: Int?
        var kind: String?
        var engine: String
        var data: String?
        var config: Config
    }

    /// The key of `config` on data with hash `data` under `engine`.
    static func key(for config: some Encodable, format: Int = formatVersion, part: Int? = nil, kind: String? = nil, data: String?,
                    engine: String) -> String {
        hash(Material(format: format, part: part, kind: kind, engine: engine, data: data, config: config))
    }

    /// SHA-256 of `material` as canonical JSON (sorted keys): the one way every cache key is made.
    static func hash(_ material: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain value types cannot fail.
        return SHA256.hex(try! encoder.encode(material))
    }
}
