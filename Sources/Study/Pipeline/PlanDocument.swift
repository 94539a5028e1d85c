import Foundation

/// `nnreport plan --json`: the contract the cluster path is built on. Each unit of
/// the plan in order, with what a scheduler needs to place it and whether the cache
/// already has it. Field names and meanings are documented in the README.
public struct PlanDocument: Codable, Equatable, Sendable {
    public struct Unit: Codable, Equatable, Sendable {
        /// The cache key: `runs/<key>.json` in the cache once the unit is trained.
        public var key: String
        /// `mlp`, `resnet`, `xgboost`, `logreg` or `backbone`.
        public var kind: String
        /// `6` or `7`.
        public var part: String
        /// The questions that use the unit, first use first.
        public var questions: [String]
        /// Every label it appears under (`6.1.2-q1 lr 0.001`).
        public var labels: [String]
        /// The run's settings in a few words.
        public var summary: String
        public var seed: UInt64
        /// Estimated cost in core-seconds (one core of the machine the estimate was calibrated on).
        public var cost: Double
        /// `1` (an MLP or a ResNet18 run) or `all` (every core the run is given when
        /// nothing else could use them, else one: see ``Scheduler/cores(for:)``).
        public var cores: String
        /// Whether the run also takes cores that the scheduler lends while no waiting
        /// unit could use them (a ResNet18 run; see `UnitKind.growsIntoIdleCores`).
        public var growsIntoIdleCores: Bool
        /// Keys of the units that must be trained first.
        public var dependencies: [String]
        public var cached: Bool
    }

    /// Bumped when a field changes meaning.
    public var format = 1
    public var units: [Unit]
    /// Total estimated cost of the units not cached yet, core-seconds.
    public var missingCost: Double
    public var cachedCount: Int

    /// The document of `plan`, with `isCached` saying which units the cache holds.
    public init(_ plan: StudyPlan, isCached: (RunUnit) -> Bool) {
        units = plan.units.map { unit in
            Unit(key: unit.key, kind: unit.kind.rawValue, part: unit.part.rawValue, questions: unit.questions,
                 labels: unit.labels, summary: unit.summary, seed: unit.seed, cost: (unit.cost * 100).rounded() / 100,
                 cores: unit.kind.usesEveryCore ? "all" : "1", growsIntoIdleCores: unit.kind.growsIntoIdleCores,
                 dependencies: unit.dependencies, cached: isCached(unit))
        }
        missingCost = (units.filter { !$0.cached }.reduce(0) { $0 + $1.cost } * 100).rounded() / 100
        cachedCount = units.filter(\.cached).count
    }

    /// Pretty, key-sorted JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
