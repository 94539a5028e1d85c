/// The mean of a quantity over seeds with its 95% confidence interval
/// (Student's t with n-1 degrees of freedom; a single seed gives a zero-width
/// interval, which the report presents as "one seed" rather than as certainty).
public struct Estimate: Codable, Equatable, Sendable {
    public var mean: Double
    public var low: Double
    public var high: Double
    /// The per-seed values, in seed order.
    public var values: [Double]
    /// How far the value moves by chance with one seed, as a standard deviation: for a
    /// metric read at one epoch of a training run, how much it moves from one epoch to
    /// the next late in training (``epochNoise(_:)`` of the run's last epochs, averaged
    /// over seeds); for an accuracy measured once on a sample of images
    /// (``noiseImages``), its binomial standard error (``samplingNoise(accuracy:images:)``).
    /// With one seed there is no interval, and a difference within this noise is not a
    /// difference; nil where not measured.
    public var noise: Double?
    /// Set when ``noise`` is the sampling error of an accuracy measured on this many
    /// images; nil when it is epoch-to-epoch noise (or there is none).
    public var noiseImages: Int?

    public init?(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty, finite.count == values.count else { return nil }
        self.values = values
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        self.mean = mean
        guard values.count > 1 else { low = mean; high = mean; return }
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        let halfWidth = Self.tCritical(degreesOfFreedom: values.count - 1) * (variance / n).squareRoot()
        low = mean - halfWidth
        high = mean + halfWidth
    }

    /// The same estimate with its epoch-to-epoch noise.
    public func withNoise(_ noise: Double?) -> Estimate {
        var copy = self
        copy.noise = noise
        copy.noiseImages = nil
        return copy
    }

    /// The same estimate of an accuracy with the sampling noise of measuring it on
    /// `images` images (``samplingNoise(accuracy:images:)`` at its mean); unchanged when
    /// there are no images.
    public func sampledOn(images: Int) -> Estimate {
        guard images > 0 else { return self }
        var copy = self
        copy.noise = Self.samplingNoise(accuracy: mean, images: images)
        copy.noiseImages = images
        return copy
    }

    /// The binomial standard error of an accuracy `p` measured on `n` images,
    /// `√(p(1−p)/n)`: how far the share of images classified right moves when another
    /// sample of `n` images of the same kind is drawn.
    public static func samplingNoise(accuracy p: Double, images n: Int) -> Double {
        (max(0, p * (1 - p)) / Double(max(n, 1))).squareRoot()
    }

    /// The epoch-to-epoch noise of a curve's last values: the standard deviation of its
    /// successive differences over √2, which is the standard deviation of independent
    /// noise around a straight trend (a steady rise or fall moves every difference by the
    /// same amount, so it does not count as noise). Nil for fewer than 3 values.
    public static func epochNoise(_ values: ArraySlice<Double>) -> Double? {
        guard values.count >= 3, values.allSatisfy(\.isFinite) else { return nil }
        let differences = zip(values, values.dropFirst()).map { $1 - $0 }
        let mean = differences.reduce(0, +) / Double(differences.count)
        let variance = differences.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(differences.count)
        return (variance / 2).squareRoot()
    }

    /// Number of seeds behind the estimate.
    public var count: Int { values.count }

    /// Whether the two 95% intervals share any value. With a single seed each, the
    /// intervals are points and overlap only when equal.
    public func overlaps(_ other: Estimate) -> Bool {
        low <= other.high && other.low <= high
    }

    /// Two-sided 97.5% quantile of Student's t distribution.
    static func tCritical(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                               2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                               2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        return df <= table.count ? table[df - 1] : df <= 60 ? 2.000 : df <= 120 ? 1.980 : 1.960
    }
}
