/// How large a study to run: the full one, or the seconds-long `--quick` preset,
/// with one or several seeds.
public struct StudyPlan: Sendable, Equatable {
    /// Smaller data (set by the caller) and far fewer epochs: for tests and previews.
    public var quick: Bool
    /// The seeds every run is repeated with (`--seed`, `--seeds`).
    public var seeds: [UInt64]

    public init(quick: Bool = false, seed: UInt64 = 0, seedCount: Int = 1) {
        self.quick = quick
        seeds = (0..<UInt64(max(seedCount, 1))).map { seed &+ $0 }
    }

    /// The epoch count to use for a question that asks for `epochs`: unchanged, or
    /// about a twelfth (at least 1) in quick mode.
    public func epochs(_ epochs: Int) -> Int {
        quick ? max(1, (epochs + 6) / 12) : epochs
    }

    /// Resolution of stored decision-boundary grids.
    public var decisionGrid: Int { quick ? 60 : 300 }

    /// The base configuration of Part 6.1: depth 6, width 16, Adam lr 0.001, batch 256, 50 epochs.
    ///
    /// Every run stores a decision grid: it costs a fraction of a second, and it makes
    /// the base run of 6.1.2-q1, q3, the (6, 16) grid model and 6.2-q7's baseline one
    /// and the same cached run.
    public var base: RunConfig {
        RunConfig(depth: 6, width: 16, optimizer: .adam(0.001), batchSize: 256, epochs: epochs(50), seed: seeds[0],
                  decisionGrid: decisionGrid)
    }
}
