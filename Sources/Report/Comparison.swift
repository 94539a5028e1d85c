import Study

/// The report's rule for comparing two settings on a metric.
///
/// With several seeds, one setting is said to be higher than another only when
/// their 95% intervals do not overlap; otherwise the two are indistinguishable.
/// With one seed there is no interval: the comparison is stated, and the section
/// says once that it rests on one seed (``seedCaveat(seeds:)``).
public enum Comparison: Equatable, Sendable {
    case higher
    case lower
    case indistinguishable

    /// How `a` compares with `b`.
    public init(_ a: Estimate, _ b: Estimate) {
        if a.count > 1 || b.count > 1 {
            self = a.overlaps(b) ? .indistinguishable : (a.mean > b.mean ? .higher : .lower)
        } else {
            self = a.mean == b.mean ? .indistinguishable : (a.mean > b.mean ? .higher : .lower)
        }
    }

    /// Whether the values behind the two estimates come from several seeds.
    public static func hasIntervals(_ estimates: Estimate?...) -> Bool {
        estimates.contains { ($0?.count ?? 0) > 1 }
    }

    /// The sentence a section shows when all its comparisons rest on one seed, or
    /// says how intervals are read when there are several.
    public static func seedCaveat(seeds: Int) -> String {
        if seeds <= 1 {
            return "Every comparison here rests on a single training run (one seed); "
                + "run with --seeds 3 or more to get 95% intervals."
        }
        return "Values are means over \(seeds) seeds ± the half-width of their 95% interval; "
            + "a setting is called better only when the two intervals do not overlap."
    }

    /// `"; the 95% intervals do not overlap"` or `""`, for a stated difference.
    static func intervalClause(_ a: Estimate, _ b: Estimate) -> String {
        hasIntervals(a, b) ? "; the 95% intervals do not overlap" : ""
    }

    /// A sentence on the runner-up of a ranking: `lead` and its value, then either the
    /// interval clause, when `a` compares with `b` as the ranking says (`expected`), or
    /// `tie` when the rule cannot tell them apart. "The next best, lr 0.01, ends at 0.42."
    static func runnerUp(_ lead: String, _ value: Estimate, _ a: Estimate, _ b: Estimate, expected: Comparison,
                         tie: String) -> String {
        lead + NumberText.estimate(value, 3) + (Comparison(a, b) == expected ? intervalClause(a, b) : ": " + tie) + "."
    }
}
