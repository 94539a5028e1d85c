/// Orders groups by mean test accuracy, highest first; ties go to the lower test
/// loss, then to the earlier group. Diverged groups come last.
func rankedByTestAccuracy(_ groups: [RunGroup<FaceRun>]) -> [RunGroup<FaceRun>] {
    groups.enumerated().sorted { a, b in
        func key(_ group: RunGroup<FaceRun>) -> (Int, Double, Double) {
            (group.diverged ? 1 : 0, -(group.testAccuracy?.mean ?? -1), group.testLoss?.mean ?? .infinity)
        }
        let (ka, kb) = (key(a.element), key(b.element))
        return ka != kb ? ka < kb : a.offset < b.offset
    }.map(\.element)
}

/// One method over its learning rates: which rate is best on test and on validation data.
public struct FaceLearningRateAnalysis: Codable, Equatable, Sendable {
    public var method: FaceMethod
    /// Labels by mean test accuracy, highest first; diverged runs last.
    public var ranking: [String]
    /// Highest mean test accuracy (the course's selection rule).
    public var bestByTest: String?
    /// Highest mean validation accuracy, ties to the lower validation loss: the choice
    /// a study that never looked at the test set would make.
    public var bestByValidation: String?
    /// Lowest mean test accuracy among runs that did not diverge.
    public var worstByTest: String?
    /// Runs where at least one seed diverged.
    public var diverged: [String]

    init(method: FaceMethod, groups: [RunGroup<FaceRun>]) {
        self.method = method
        let ranked = rankedByTestAccuracy(groups)
        ranking = ranked.map(\.label)
        let trained = ranked.filter { !$0.diverged && $0.testAccuracy != nil }
        bestByTest = trained.first?.label
        worstByTest = trained.count > 1 ? trained.last?.label : nil
        bestByValidation = groups.filter { !$0.diverged && $0.validationAccuracy != nil }.enumerated().min { a, b in
            let ka = (-(a.element.validationAccuracy?.mean ?? 0), a.element.validationLoss?.mean ?? .infinity, a.offset)
            let kb = (-(b.element.validationAccuracy?.mean ?? 0), b.element.validationLoss?.mean ?? .infinity, b.offset)
            return ka < kb
        }?.element.label
        diverged = groups.filter(\.diverged).map(\.label)
    }
}

/// Logistic regression on frozen features: how well it fits and how well it generalises.
public struct FaceLogisticRegressionAnalysis: Codable, Equatable, Sendable {
    public var label: String
    /// Train minus test accuracy, per seed: the generalisation gap.
    public var generalizationGap: Estimate?

    init(_ group: RunGroup<FaceRun>) {
        label = group.label
        if let train = group.trainAccuracy, let test = group.testAccuracy, train.count == test.count {
            generalizationGap = Estimate(zip(train.values, test.values).map { $0 - $1 })
        }
    }
}

/// Every method at its best run, compared on test accuracy.
public struct FaceSummaryAnalysis: Codable, Equatable, Sendable {
    /// A method's best run (by mean test accuracy).
    public struct MethodBest: Codable, Equatable, Sendable {
        public var method: FaceMethod
        /// Label of the best run in the summary's groups (`Fine-tuning, lr 0.0001`).
        public var label: String
        /// Learning rate of that run (0 for logistic regression).
        public var learningRate: Double
        public var testAccuracy: Estimate?
        /// The run a validation-based choice would have picked, when it differs.
        public var validationChoice: String?
    }

    /// Methods ordered by their best test accuracy, highest first.
    public var methods: [MethodBest]
    public var bestMethod: FaceMethod?
    public var worstMethod: FaceMethod?

    init(_ groups: [RunGroup<FaceRun>]) {
        var bests: [MethodBest] = []
        for method in FaceMethod.allCases {
            let runs = groups.filter { $0.method == method }
            guard let best = rankedByTestAccuracy(runs).first(where: { !$0.diverged }) else { continue }
            let byValidation = FaceLearningRateAnalysis(method: method, groups: runs).bestByValidation
            bests.append(MethodBest(method: method, label: best.label, learningRate: best.config.learningRate,
                                    testAccuracy: best.testAccuracy,
                                    validationChoice: byValidation == best.label ? nil : byValidation))
        }
        let order = FaceMethod.allCases
        methods = bests.sorted { a, b in
            let (ta, tb) = (a.testAccuracy?.mean ?? -1, b.testAccuracy?.mean ?? -1)
            return ta != tb ? ta > tb : order.firstIndex(of: a.method)! < order.firstIndex(of: b.method)!
        }
        bestMethod = methods.first?.method
        worstMethod = methods.count > 1 ? methods.last?.method : nil
    }
}

/// Test images one run classifies correctly and another misclassifies.
public struct FaceSamplesAnalysis: Codable, Equatable, Sendable {
    public struct Sample: Codable, Equatable, Sendable {
        /// Index in the test set.
        public var index: Int
        /// True class: 0 real, 1 fake.
        public var label: Int32
        /// Probability of "fake" given by the better and the worse run.
        public var betterProbability: Float
        public var worseProbability: Float
    }

    public struct Comparison: Codable, Equatable, Sendable {
        public enum Kind: String, Codable, Sendable {
            /// The best run of the best method against the best run of the worst method.
            case bestAgainstWorstMethod
            /// A method's two best runs.
            case twoBestOfMethod
        }

        public var kind: Kind
        public var better: String
        public var worse: String
        /// How many test images the better run gets right and the worse gets wrong.
        public var candidates: Int
        /// The worse run's most confident mistakes among those, at most `count`.
        public var samples: [Sample]
    }

    public var comparisons: [Comparison]

    init(_ groups: [RunGroup<FaceRun>], testLabels: [Int32], count: Int) {
        var comparisons: [Comparison] = []
        let summary = FaceSummaryAnalysis(groups)
        if let best = summary.methods.first, let worst = summary.methods.last, summary.methods.count > 1,
           let better = groups.first(where: { $0.label == best.label }),
           let worse = groups.first(where: { $0.label == worst.label }) {
            comparisons.append(Self.compare(better, worse, kind: .bestAgainstWorstMethod, labels: testLabels, count: count))
        }
        for method in FaceMethod.allCases {
            let ranked = rankedByTestAccuracy(groups.filter { $0.method == method }).filter { !$0.diverged }
            guard ranked.count >= 2 else { continue }
            comparisons.append(Self.compare(ranked[0], ranked[1], kind: .twoBestOfMethod, labels: testLabels, count: count))
        }
        self.comparisons = comparisons
    }

    /// Images `better` gets right and `worse` gets wrong (first seed's predictions),
    /// the worse run's most confident mistakes first, then in test order.
    static func compare(_ better: RunGroup<FaceRun>, _ worse: RunGroup<FaceRun>, kind: Comparison.Kind, labels: [Int32],
                        count: Int) -> Comparison {
        var candidates: [Sample] = []
        let n = min(better.testProbabilities.count, worse.testProbabilities.count, labels.count)
        for index in 0..<n {
            let truth = labels[index]
            let betterClass: Int32 = better.testProbabilities[index] > 0.5 ? 1 : 0
            let worseClass: Int32 = worse.testProbabilities[index] > 0.5 ? 1 : 0
            guard betterClass == truth, worseClass != truth else { continue }
            candidates.append(Sample(index: index, label: truth, betterProbability: better.testProbabilities[index],
                                     worseProbability: worse.testProbabilities[index]))
        }
        func confidence(_ sample: Sample) -> Float { abs(sample.worseProbability - 0.5) }
        let chosen = candidates.enumerated().sorted { a, b in
            confidence(a.element) != confidence(b.element) ? confidence(a.element) > confidence(b.element) : a.offset < b.offset
        }.prefix(count).map(\.element)
        return Comparison(kind: kind, better: better.label, worse: worse.label, candidates: candidates.count,
                          samples: chosen)
    }
}
