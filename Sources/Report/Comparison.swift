import Study

/// The report's rule for comparing two settings on a metric.
///
/// With several seeds, one setting is said to be higher than another only when
/// their 95% intervals do not overlap; otherwise the two are indistinguishable.
/// With one seed there is no interval: a difference smaller than twice the noise of
/// the difference of two readings (``noiseBand(_:_:)``, from each run's epoch-to-epoch
/// noise late in training, or from the binomial error of accuracies measured on a
/// sample of test images) is within noise; a larger one is stated, and the section
/// says once that it rests on one seed (``seedCaveat(seeds:atBestEpoch:testImages:)``).
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
    /// readings whose own noises are those of `a` and `b` (`2·√(σa² + σb²)`, about a
    /// 95% band); nil when either has no measured noise. For two accuracies on the same
    /// `n` test images this is `2·√((a(1−a) + b(1−b))/n)`; counting the two as
    /// independent samples overstates the error of a difference measured on the same
    /// images, so a difference beyond it is a safe one.
    public static func noiseBand(_ a: Estimate, _ b: Estimate) -> Double? {
        guard let na = a.noise, let nb = b.noise else { return nil }
        return 2 * (na * na + nb * nb).squareRoot()
    }

    /// The number of test images the one-seed noise of `a` or `b` comes from, if it is
    /// a sampling error.
    static func sampledImages(_ a: Estimate, _ b: Estimate) -> Int? {
        a.noiseImages ?? b.noiseImages
    }

    /// What the one-seed noise of `a` and `b` is, in words: `"the runs' epoch-to-epoch
    /// noise"` or `"the sampling error of 400 test images"`.
    static func noiseText(_ a: Estimate, _ b: Estimate) -> String {
        sampledImages(a, b).map { "the sampling error of " + NumberText.count($0) + " test images" } ?? "the runs' epoch-to-epoch noise"
    }

    /// Why two estimates that compare as ``indistinguishable`` are: `"indistinguishable
    /// at 95% confidence"` with intervals, `"a difference within the runs' epoch-to-epoch
    /// noise (±0.012)"` (or within what drawing the test images moves it by) with one
    /// seed, `"equal"` otherwise.
    public static func tieReason(_ a: Estimate, _ b: Estimate, decimals: Int = 3) -> String {
        if hasIntervals(a, b) { return "indistinguishable at 95% confidence" }
        if let within = withinNoise(a, b, decimals: decimals) { return "a difference " + within }
        return "equal"
    }

    /// `"within the runs' epoch-to-epoch noise (±0.012)"` or `"within the sampling error
    /// of 400 test images (±0.066)"`, for one seed each; nil without a noise band.
    static func withinNoise(_ a: Estimate, _ b: Estimate, decimals: Int = 3) -> String? {
        noiseBand(a, b).map { "within " + noiseText(a, b) + " (±" + NumberText.fixed($0, decimals) + ")" }
    }

    /// `"beyond the sampling error of 400 test images (±0.066)"`: what a one-seed
    /// difference stated as one exceeds; nil without a noise band.
    static func beyondNoise(_ a: Estimate, _ b: Estimate, decimals: Int = 3) -> String? {
        noiseBand(a, b).map { "beyond " + noiseText(a, b) + " (±" + NumberText.fixed($0, decimals) + ")" }
    }

    /// Whether the values behind the two estimates come from several seeds.
    public static func hasIntervals(_ estimates: Estimate?...) -> Bool {
        estimates.contains { ($0?.count ?? 0) > 1 }
    }

    /// The sentence a section shows when all its comparisons rest on one seed, or
    /// says how intervals are read when there are several.
    /// `testImages`: with one seed, accuracies measured once on that many test images
    /// are compared within their sampling error (Part 7).
    public static func seedCaveat(seeds: Int, atBestEpoch: Bool, testImages: Int? = nil) -> String {
        let read = atBestEpoch ? ", read at each run's best epoch (highest validation accuracy)" : ""
        if seeds <= 1 {
            let noise = atBestEpoch
                ? "; a difference smaller than twice the runs' epoch-to-epoch noise over their last epochs is reported as within noise"
                : testImages.map {
                    "; two test accuracies whose difference is within two standard errors of a difference of accuracies on "
                        + NumberText.count($0) + " test images are not told apart"
                } ?? ""
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
    /// confidence"`, `"within the runs' epoch-to-epoch noise of the best (±0.006)"` or
    /// `"not measurably different from the best on 400 test images (±0.066)"` with one
    /// seed, or `"equal to the best"`.
    static func tieClause(_ a: Estimate, _ b: Estimate, with other: String) -> String {
        if hasIntervals(a, b) { return "indistinguishable from \(other) at 95% confidence" }
        if let band = noiseBand(a, b) {
            if let images = sampledImages(a, b) {
                return "not measurably different from \(other) on " + NumberText.count(images) + " test images (±"
                    + NumberText.fixed(band, 3) + ")"
            }
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
