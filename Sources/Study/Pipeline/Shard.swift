/// One of `count` processes that share a plan's units (`run --shard I/N`, one Slurm
/// array task each).
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (0..<count).contains(index) else {
            throw StudyError.invalidOption("--shard \(index)/\(count): the shard must be I/N with 0 ≤ I < N")
        }
        self.index = index
        self.count = count
    }

    /// `2/4` → shard 2 of 4.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw StudyError.invalidOption("--shard \(text): expected I/N, e.g. 0/4")
        }
        try self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }
}

/// Which units of a plan a `run` trains.
public enum UnitSelection: Sendable, Equatable {
    /// Every unit the cache lacks.
    case all
    /// Only the units others depend on (Part 7's backbone): the first stage on a cluster.
    case dependencies
    /// This shard's share.
    case shard(Shard)
}

extension StudyPlan {
    /// The units others depend on (each once, in plan order).
    public var dependencies: [RunUnit] {
        let keys = Set(units.flatMap(\.dependencies))
        return units.filter { keys.contains($0.key) }
    }

    /// The units of `shard`: every unit of the plan is given, longest first (by
    /// estimated cost, ties by key), to the shard with the least cost so far (ties to
    /// the lowest index). The assignment depends on the plan alone, so every shard
    /// computes the same one, whenever it starts and whatever the cache holds; each
    /// trains what of its share the cache lacks.
    public func units(of shard: Shard) -> [RunUnit] {
        var load = [Double](repeating: 0, count: shard.count)
        var mine: Set<String> = []
        for unit in units.sorted(by: { ($0.cost, $1.key) > ($1.cost, $0.key) }) {
            let target = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            load[target] += unit.cost
            if target == shard.index { mine.insert(unit.key) }
        }
        return units.filter { mine.contains($0.key) }
    }

    /// The units `selection` asks for, in plan order.
    public func units(_ selection: UnitSelection) -> [RunUnit] {
        switch selection {
        case .all: units
        case .dependencies: dependencies
        case .shard(let shard): units(of: shard)
        }
    }
}
