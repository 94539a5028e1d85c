import Foundation
import Study

/// The accuracy of guessing on the test split, and how far chance alone moves an
/// accuracy measured on that many images.
///
/// Guessing is answering the test split's larger class every time (0.5 on balanced
/// data). On `n` test images, an accuracy whose true value is `p` has a binomial
/// standard error of `sqrt(p(1−p)/n)`; an accuracy within two of those of the guessing
/// level is "no better than guessing".
struct ChanceLevel {
    /// Accuracy of always answering the larger class of the test split.
    let accuracy: Double
    /// Two binomial standard errors at `accuracy` on `testCount` images.
    let margin: Double
    let testCount: Int

    init(_ manifest: FaceRecord) {
        let count = manifest.testCount
        let fake = manifest.fakeCounts.count == 3 && count > 0
            ? Double(manifest.fakeCounts[2]) / Double(count)
            : Double(manifest.testLabels.filter { $0 == 1 }.count) / Double(max(manifest.testLabels.count, 1))
        accuracy = max(fake, 1 - fake)
        testCount = count
        margin = 2 * (accuracy * (1 - accuracy) / Double(max(count, 1))).squareRoot()
    }

    enum Verdict { case above, atChance, below }

    /// Whether `estimate` beats guessing: its mean is within the margin, or (with
    /// several seeds) its 95% interval reaches the guessing level.
    func verdict(_ estimate: Estimate) -> Verdict {
        let within = abs(estimate.mean - accuracy) < margin
            || (estimate.count > 1 && estimate.low <= accuracy && accuracy <= estimate.high)
        if within { return .atChance }
        return estimate.mean > accuracy ? .above : .below
    }

    /// `0.5 ± 0.050 on 400 test images`.
    var text: String {
        NumberText.fixed(accuracy, accuracy == 0.5 ? 1 : 3) + " ± " + NumberText.fixed(margin, 3) + " on "
            + NumberText.count(testCount) + " test images"
    }
}

/// How the training loss of a network moved: the mean of the first 10% of its
/// iterations against the mean of the last 10% (finite values only, so a diverged
/// run is judged up to where it stopped).
struct IterationLossTrend {
    enum Direction { case fell, flat, rose }

    let start: Double
    let end: Double
    let iterations: Int

    /// A change of less than this fraction of the start counts as flat.
    static let flatTolerance = 0.05
    /// The binary cross-entropy of predicting 0.5 for every image: ln 2.
    static let coinFlipLoss = log(2.0)

    init?(_ losses: [Float]) {
        let finite = Array(losses.prefix { $0.isFinite }.map(Double.init))
        guard finite.count >= 2 else { return nil }
        let window = max(1, finite.count / 10)
        start = finite.prefix(window).reduce(0, +) / Double(window)
        end = finite.suffix(window).reduce(0, +) / Double(window)
        iterations = finite.count
    }

    var direction: Direction {
        guard start > 0 else { return end > start ? .rose : .flat }
        let change = (end - start) / start
        return change < -Self.flatTolerance ? .fell : change > Self.flatTolerance ? .rose : .flat
    }

    /// `0.712 to 0.403`.
    var change: String { NumberText.fixed(start, 3) + " to " + NumberText.fixed(end, 3) }
}

/// Sentences shared by the Part 7 sections.
enum FaceText {
    /// An accuracy over seeds: `0.853` or `0.853 ± 0.012`.
    static func accuracy(_ estimate: Estimate?) -> String {
        estimate.map { NumberText.estimate($0, 3) } ?? "n/a"
    }

    /// `"; the 95% intervals do not overlap"` (or nothing, with one seed) after a stated
    /// difference; when the report's rule cannot tell `a` from `b`, why: `": the 95%
    /// intervals overlap, so the two are indistinguishable"`, or with one seed `": the
    /// difference is within the sampling error of 400 test images (±0.066)"`.
    static func difference(_ a: Estimate, _ b: Estimate) -> (clause: String, distinct: Bool) {
        switch Comparison(a, b) {
        case .higher, .lower: return (Comparison.intervalClause(a, b), true)
        case .indistinguishable:
            if Comparison.hasIntervals(a, b) { return (": the 95% intervals overlap, so the two are indistinguishable", false) }
            if let within = Comparison.withinNoise(a, b) { return (": the difference is " + within, false) }
            return (": the two are equal", false)
        }
    }

    /// A sentence on the runs whose test accuracy does not beat guessing, or nil when all do.
    static func chanceSentence(_ groups: [RunGroup<FaceRun>], chance: ChanceLevel, subject: String,
                               name: (RunGroup<FaceRun>) -> String = \.label) -> String? {
        let scored = groups.filter { !$0.diverged }.compactMap { group in group.testAccuracy.map { (group, $0) } }
        guard !scored.isEmpty else { return nil }
        let atChance = scored.filter { chance.verdict($0.1) == .atChance }
        let below = scored.filter { chance.verdict($0.1) == .below }
        var sentences: [String] = []
        if atChance.isEmpty && below.isEmpty {
            sentences.append(scored.count == 1
                ? name(scored[0].0) + " does better than guessing: its test accuracy (" + accuracy(scored[0].1) + ") is above the chance level of "
                    + chance.text + "."
                : "Every \(subject) does better than guessing: each test accuracy is above the chance level of " + chance.text + ".")
        } else if atChance.count == scored.count && scored.count > 1 {
            sentences.append("No \(subject) does better than guessing: every test accuracy is within the chance level of "
                             + chance.text + ".")
        } else if !atChance.isEmpty {
            let names = atChance.map { name($0.0) + " (" + accuracy($0.1) + ")" }
            sentences.append("\(NumberText.list(names)) \(atChance.count == 1 ? "is" : "are") no better than guessing: within the chance level of "
                             + chance.text + ".")
        }
        if !below.isEmpty {
            let names = below.map { name($0.0) + " (" + accuracy($0.1) + ")" }
            sentences.append("\(NumberText.list(names)) \(below.count == 1 ? "falls" : "fall") below the chance level of " + chance.text
                             + ": worse than always answering the larger class.")
        }
        return sentences.isEmpty ? nil : sentences.joined(separator: " ")
    }
}
