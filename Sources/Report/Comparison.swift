import Study

/// The report's rule for comparing two settings on a metric.
///
/// With several seeds, one setting is said to be higher than another only when
/// their 95% intervals do not overlap; otherwise the two are indistinguishable.
/// With one seed there is no interval: a difference smaller than twice the noise of
/// the difference of two readings (``noiseBand(_:_:)``, from each run's epoch-to-epoch
/// noise late in training) is within noise; a larger one is stated, and the section
/// says once that it rests on one seed (``seedCaveat(seeds:atBestEpoch:)``).
public enum Comparison: Equatable, Sendable {
    case higher
    case lower
    case indistinguishable

    /// How `a` compares with `b`.
    public init(_ a: Estimate, _ b: Estimate) {
        if a.count > 1 || b.count > 1 {
            self = a.overlaps(b) ? .indistinguishable : (a.mean > b.mean ? .higher : .lower)
        } else if let band = Self.noiseBand(a, b) {
            self = abs(a.mean - b.mean) < band ? .indistinguishable : (a.mean > b.mean ? .higher : .lower)
        } else {
            self = a.mean == b.mean ? .indistinguishable : (a.mean > b.mean ? .higher : .lower)
        }
    }

    /// For one seed each: twice the standard deviation of the difference of two
    /// readings whose own epoch-to-epoch noises are those of `a` and `b`
    /// (`2·√(σa² + σb²)`, about a 95% band); nil when either has no measured noise.
    public static func noiseBand(_ a: Estimate, _ b: Estimate) -> Double? {
        guard let na = a.noise, let nb = b.noise else { return nil }
        return 2 * (na * na + nb * nb).squareRoot()
    }

    /// Why two estimates that compare as ``indistinguishable`` are: `"indistinguishable
    /// at 95% confidence"` with intervals, `"within the runs' epoch-to-epoch noise
    /// (±0.012)"` with one seed, `"equal"` otherwise.
    public static func tieReason(_ a: Estimate, _ b: Estimate, decimals: Int = 3) -> String {
        if hasIntervals(a, b) { return "indistinguishable at 95% confidence" }
        if let band = noiseBand(a, b) {
            return "a difference within the runs' epoch-to-epoch noise (±" + NumberText.fixed(band, decimals) + ")"
        }
        return "equal"
    }

    /// Whether the values behind the two estimates come from several seeds.
    public static func hasIntervals(_ estimates: Estimate?...) -> Bool {
        estimates.contains { ($0?.count ?? 0) > 1 }
    }

    /// The sentence a section shows when all its comparisons rest on one seed, or
    /// says how intervals are read when there are several.
    public static func seedCaveat(seeds: Int, atBestEpoch: Bool) -> String {
        let read = atBestEpoch ? ", read at each run's best epoch (highest validation accuracy)" : ""
        if seeds <= 1 {
            let noise = atBestEpoch
                ? "; a difference smaller than twice the runs' epoch-to-epoch noise over their last epochs is reported as within noise"
                : ""
            return "Every comparison here rests on a single training run (one seed)\(read)\(noise). "
                + "Run with --seeds 3 or more to get 95% intervals."
        }
        return "Values are means over \(seeds) seeds ± the half-width of their 95% interval\(read); "
            + "a setting is called better only when the two intervals do not overlap."
    }

    /// `"; the 95% intervals do not overlap"` or `""`, for a stated difference.
    static func intervalClause(_ a: Estimate, _ b: Estimate) -> String {
        hasIntervals(a, b) ? "; the 95% intervals do not overlap" : ""
    }

    /// Why `a` cannot be told from `other`: `"indistinguishable from the best at 95%
    /// confidence"`, `"within the runs' epoch-to-epoch noise of the best (±0.006)"` with
    /// one seed, or `"equal to the best"`.
    static func tieClause(_ a: Estimate, _ b: Estimate, with other: String) -> String {
        if hasIntervals(a, b) { return "indistinguishable from \(other) at 95% confidence" }
        if let band = noiseBand(a, b) {
            return "within the runs' epoch-to-epoch noise of \(other) (±" + NumberText.fixed(band, 3) + ")"
        }
        return "equal to \(other)"
    }

    /// A sentence on the runner-up of a ranking: `lead` and its value, then either the
    /// interval clause, when `a` compares with `b` as the ranking says (`expected`), or
    /// why the rule cannot tell it from `other` (``tieClause(_:_:with:)``).
    /// "The next best, lr 0.01, reaches 0.42, within the runs' epoch-to-epoch noise of the best (±0.004)."
    static func runnerUp(_ lead: String, _ value: Estimate, _ a: Estimate, _ b: Estimate, expected: Comparison,
                         tieWith other: String) -> String {
        lead + NumberText.estimate(value, 3) + (Comparison(a, b) == expected ? intervalClause(a, b) : ", " + tieClause(a, b, with: other)) + "."
    }
}
