import Study

/// What a section's builder reads: one experiment's analysis and runs, and the
/// study's manifest (class names, test points, seeds).
struct SectionContext {
    let result: ExperimentResult
    /// `runs[group][seed]`.
    let runs: [[RunResult]]
    let manifest: StudyManifest

    var id: String { result.id }
    var groups: [RunGroup] { result.groups }
    var seedCount: Int { manifest.seeds.count }
    var hasSeeds: Bool { seedCount > 1 }

    /// The group with this label.
    func group(_ label: String?) -> RunGroup? {
        guard let label else { return nil }
        return groups.first { $0.label == label }
    }

    /// The index of the group with this label.
    func index(_ label: String?) -> Int? {
        guard let label else { return nil }
        return groups.firstIndex { $0.label == label }
    }

    /// A file name for this section: `6.1.2-q1-validation-loss`.
    func name(_ suffix: String) -> String { "\(id)-\(suffix)" }

    /// A chart id unique in the page: `f-6-1-2-q1-validation-loss`.
    func chartID(_ suffix: String) -> String { "f-" + Anchor.make(name(suffix)) }

    /// "95% interval over N seeds", the label of every band.
    var bandLabel: String { "95% interval over \(seedCount) seeds" }

    /// The share of the largest class in the training split: the accuracy of always
    /// guessing it, a floor any useful model beats.
    var majorityShare: Double? {
        let total = manifest.trainClassCounts.reduce(0, +)
        guard total > 0, let largest = manifest.trainClassCounts.max() else { return nil }
        return Double(largest) / Double(total)
    }
}

/// Turns a section's context into its content, by the kind of analysis.
enum SectionContentBuilder {
    static func content(_ context: SectionContext) -> SectionContent {
        var content: SectionContent
        switch context.result.analysis {
        case .learningRate(let analysis): content = LearningRateSection.content(context, analysis)
        case .epochs(let analysis): content = EpochsSection.content(context, analysis)
        case .batchNorm(let analysis): content = ComparisonSection.batchNorm(context, analysis)
        case .batchSize(let analysis): content = BatchSizeSection.content(context, analysis)
        case .modelGrid(let analysis): content = ModelGridSection.content(context, analysis)
        case .gradients(let analysis): content = GradientSection.content(context, analysis)
        case .sineFeatures(let analysis): content = ComparisonSection.sineFeatures(context, analysis)
        }
        content.settings = SettingsTable.make(context)
        if content.caveat == nil && (content.compares || context.hasSeeds) {
            content.caveat = Comparison.seedCaveat(seeds: context.seedCount)
        }
        return content
    }
}
