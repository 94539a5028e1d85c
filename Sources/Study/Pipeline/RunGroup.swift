import Engine

/// A labelled run of a question repeated over the settings' seeds, with what the
/// report needs of it aggregated over the seeds (see ``RunSpec/aggregate(_:)``).
///
/// Encoded as one JSON object: these fields with the aggregate's beside them; the
/// aggregate's fields read through the group (`group.curves`).
@dynamicMemberLookup
public struct RunGroup<Spec: RunSpec>: Codable, Equatable, Sendable {
    public var label: String
    /// The configuration of the first seed (the others differ only in `seed`).
    public var config: Spec
    public var keys: [String]
    public var seeds: [UInt64]
    /// Where each diverged seed stopped; empty when none diverged.
    public var divergences: [Divergence]
    public var wallSeconds: [Double]
    public var aggregate: Spec.Aggregate

    /// The group of `results`, one per seed in seed order (at least one).
    public init(label: String, results: [RunResult<Spec>]) {
        self.label = label
        config = results[0].config
        keys = results.map(\.key)
        seeds = results.map(\.config.seed)
        divergences = results.compactMap(\.outcome.divergence)
        wallSeconds = results.map(\.wallSeconds)
        aggregate = Spec.aggregate(results)
    }

    public subscript<Value>(dynamicMember path: KeyPath<Spec.Aggregate, Value>) -> Value {
        aggregate[keyPath: path]
    }

    public var diverged: Bool { !divergences.isEmpty }

    private enum CodingKeys: String, CodingKey {
        case label, config, keys, seeds, divergences, wallSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        label = try container.decode(String.self, forKey: .label)
        config = try container.decode(Spec.self, forKey: .config)
        keys = try container.decode([String].self, forKey: .keys)
        seeds = try container.decode([UInt64].self, forKey: .seeds)
        divergences = try container.decode([Divergence].self, forKey: .divergences)
        wallSeconds = try container.decode([Double].self, forKey: .wallSeconds)
        aggregate = try Spec.Aggregate(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(label, forKey: .label)
        try container.encode(config, forKey: .config)
        try container.encode(keys, forKey: .keys)
        try container.encode(seeds, forKey: .seeds)
        try container.encode(divergences, forKey: .divergences)
        try container.encode(wallSeconds, forKey: .wallSeconds)
        try aggregate.encode(to: encoder)
    }
}
