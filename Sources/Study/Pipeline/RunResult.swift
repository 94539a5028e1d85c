import Engine
import Foundation

/// The outcome of one run with everything needed to trace it: its key and config,
/// the data and engine it ran on, and when and how long.
///
/// Stored in the cache as one JSON object: these fields with the outcome's fields
/// beside them (not nested), so the stored format of every kind of run is the one
/// it had before the kinds shared this type. The outcome's fields read through the
/// result (`result.history`).
@dynamicMemberLookup
public struct RunResult<Spec: RunSpec>: Codable, Equatable, Sendable {
    /// Cache key: see ``RunSpec/key(dataHash:engineVersion:)``.
    public var key: String
    public var config: Spec
    /// The hash and description of the data the run trained on; nil for runs whose
    /// data their config determines (the backbone's synthetic source task).
    public var dataHash: String?
    public var dataSource: String?
    public var engineVersion: String
    public var outcome: Spec.Outcome
    /// Seconds the run took, and when it finished (ISO 8601, UTC): provenance only,
    /// never part of any computed number.
    public var wallSeconds: Double
    public var finishedAt: String
    /// The cores the run had over its wall time, summed (core-seconds): one core per
    /// second, or more while the scheduler gave it more. Provenance only; nil in entries
    /// stored before it was recorded.
    public var coreSeconds: Double?

    public init(key: String, config: Spec, dataHash: String?, dataSource: String?, engineVersion: String = EngineVersion.current,
                outcome: Spec.Outcome, wallSeconds: Double, finishedAt: String, coreSeconds: Double? = nil) {
        self.key = key
        self.config = config
        self.dataHash = dataHash
        self.dataSource = dataSource
        self.engineVersion = engineVersion
        self.outcome = outcome
        self.wallSeconds = wallSeconds
        self.finishedAt = finishedAt
        self.coreSeconds = coreSeconds
    }

    /// The cores the run had on average (core-seconds over wall seconds), nil when not recorded.
    public var meanCores: Double? {
        guard let coreSeconds, wallSeconds > 0 else { return nil }
        return coreSeconds / wallSeconds
    }

    public subscript<Value>(dynamicMember path: KeyPath<Spec.Outcome, Value>) -> Value {
        outcome[keyPath: path]
    }

    public var diverged: Bool { outcome.divergence != nil }

    /// The same result without its timing fields, for comparing the numbers of two runs.
    public var withoutTiming: RunResult {
        var copy = self
        copy.wallSeconds = 0
        copy.finishedAt = ""
        copy.coreSeconds = nil
        return copy
    }

    /// The progress line's view of this result.
    public var finishedRun: FinishedRun {
        let status = outcome.divergence.map { "diverged at epoch \($0.epoch), iteration \($0.iteration)" } ?? outcome.status
        return FinishedRun(summary: config.summary, status: status, wallSeconds: wallSeconds)
    }

    private enum CodingKeys: String, CodingKey {
        case key, config, dataHash, dataSource, engineVersion, wallSeconds, finishedAt, coreSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        config = try container.decode(Spec.self, forKey: .config)
        dataHash = try container.decodeIfPresent(String.self, forKey: .dataHash)
        dataSource = try container.decodeIfPresent(String.self, forKey: .dataSource)
        engineVersion = try container.decode(String.self, forKey: .engineVersion)
        wallSeconds = try container.decode(Double.self, forKey: .wallSeconds)
        finishedAt = try container.decode(String.self, forKey: .finishedAt)
        coreSeconds = try container.decodeIfPresent(Double.self, forKey: .coreSeconds)
        outcome = try Spec.Outcome(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(config, forKey: .config)
        try container.encodeIfPresent(dataHash, forKey: .dataHash)
        try container.encodeIfPresent(dataSource, forKey: .dataSource)
        try container.encode(engineVersion, forKey: .engineVersion)
        try container.encode(wallSeconds, forKey: .wallSeconds)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encodeIfPresent(coreSeconds, forKey: .coreSeconds)
        try outcome.encode(to: encoder)
    }
}
