/// 6.2-q5: gradient magnitudes in a 100-layer, width-4 net (10 epochs, lr 0.001, batch 256).
public struct GradientQuestion: Question {
    public let id = "6.2-q5"
    public let title = "Vanishing gradients"
    /// Hidden layers whose gradient magnitude the report plots.
    public static let layers = [0, 30, 60, 90, 95, 99]

    static func deepNet(_ settings: StudySettings) -> MLPRun {
        var config = settings.base
        config.depth = 100
        config.width = 4
        config.epochs = settings.epochs(10)
        return config
    }

    public func runs(for settings: StudySettings) -> [QuestionRun<MLPRun>] {
        [QuestionRun("100 layers, width 4", Self.deepNet(settings))]
    }

    public func analyze(_ groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .gradients(GradientAnalysis(groups: groups, results: results, classCount: manifest.map?.classNames.count ?? 2))
    }
}

/// 6.2-q6: the same net cured with batch norm, residual connections, or both.
public struct GradientCureQuestion: Question {
    public let id = "6.2-q6"
    public let title = "A cure for vanishing gradients"

    public func runs(for settings: StudySettings) -> [QuestionRun<MLPRun>] {
        let plain = GradientQuestion.deepNet(settings)
        var normalised = plain, residual = plain, both = plain
        normalised.batchNorm = true
        residual.residual = true
        both.batchNorm = true
        both.residual = true
        return [QuestionRun("plain", plain), QuestionRun("batch norm", normalised),
                QuestionRun("residual", residual), QuestionRun("residual + batch norm", both)]
    }

    public func analyze(_ groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .gradients(GradientAnalysis(groups: groups, results: results, classCount: manifest.map?.classNames.count ?? 2))
    }
}

/// Per run, the per-epoch gradient magnitude of the plotted layers, and how much
/// smaller the first layer's is than the last's.
public struct GradientAnalysis: Codable, Equatable, Sendable {
    public struct Profile: Codable, Equatable, Sendable {
        public var label: String
        public var layers: [Int]
        /// `[epoch][layer]`: mean over iterations of ‖∂L/∂W‖² (weights only, bias
        /// excluded), as an estimate over seeds; epoch 1 first.
        public var magnitudes: [[Estimate]]
        /// Last epoch's magnitude of layer 0 divided by that of the last plotted layer,
        /// when the latter is not zero.
        public var firstToLastRatio: Estimate?
        /// Plotted layers whose gradient was exactly zero in every epoch of every seed.
        public var zeroLayers: [Int]
        /// Final validation accuracy, to show whether the net learned at all.
        public var finalValidationAccuracy: Estimate?
        /// Validation accuracy at the best epoch: what the variants are compared on.
        public var bestValidationAccuracy: Estimate?
        /// Validation loss of the untrained net (epoch 0) and after the last epoch.
        public var initialLoss: Estimate?
        public var finalLoss: Estimate?
        /// The last epoch's magnitude of every hidden layer (0 to depth − 1), over seeds.
        public var lastEpochLayers: [Estimate]
        /// What became of each seed's run (exploded, collapsed to one class, diverged).
        public var behaviours: [TrainingBehaviour]
    }

    public var profiles: [Profile]

    init(groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], classCount: Int) {
        profiles = zip(groups, results).map { group, runs in
            let layers = GradientQuestion.layers.filter { $0 < group.config.depth }
            let epochCount = runs.map(\.history.gradientNorms.count).min() ?? 0
            let magnitudes = (0..<epochCount).map { epoch in
                layers.map { layer in Estimate(runs.map { $0.history.gradientNorms[epoch][layer] })! }
            }
            var ratio: Estimate?
            if let first = layers.first, let last = layers.last, epochCount > 0 {
                let pairs = runs.map { ($0.history.gradientNorms[epochCount - 1][first], $0.history.gradientNorms[epochCount - 1][last]) }
                if pairs.allSatisfy({ $0.1 > 0 }) { ratio = Estimate(pairs.map { $0.0 / $0.1 }) }
            }
            let zeroLayers = layers.filter { layer in
                runs.allSatisfy { run in run.history.gradientNorms.allSatisfy { $0[layer] == 0 } }
            }
            return Profile(label: group.label, layers: layers, magnitudes: magnitudes, firstToLastRatio: ratio,
                           zeroLayers: zeroLayers, finalValidationAccuracy: group.final?.validationAccuracy,
                           bestValidationAccuracy: group.best?.validationAccuracy,
                           initialLoss: Estimate(runs.compactMap { $0.history.epochs.first?.validation?.loss }),
                           finalLoss: group.final?.validationLoss,
                           lastEpochLayers: epochCount == 0 ? [] : (0..<group.config.depth).compactMap { layer in
                               Estimate(runs.map { $0.history.gradientNorms[epochCount - 1][layer] })
                           },
                           behaviours: runs.map { TrainingBehaviour($0, classCount: classCount) })
        }
    }
}
