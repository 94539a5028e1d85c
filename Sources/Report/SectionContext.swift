import Study

/// What a section's builder reads: one question's answer (its groups, the raw runs
/// behind them and its analysis), the settings its part ran with, and the whole
/// study (the manifest's records, the other questions' answers).
struct SectionContext<Spec: RunSpec> {
    let result: QuestionResult<Spec>
    let study: LoadedStudy
    let settings: StudySettings

    var id: String { result.id }
    var groups: [RunGroup<Spec>] { result.groups }
    /// `runs[group][seed]`.
    var runs: [[RunResult<Spec>]] { result.runs }
    var seedCount: Int { settings.seeds.count }
    var hasSeeds: Bool { seedCount > 1 }

    /// The group with this label.
    func group(_ label: String?) -> RunGroup<Spec>? {
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
}

extension SectionContext where Spec == MLPRun {
    /// Part 6's record: the map's class names, test points and sizes.
    var manifest: MapRecord { study.manifest.map! }

    /// The share of the largest class in the training split: the accuracy of always
    /// guessing it, a floor any useful model beats.
    var majorityShare: Double? {
        let total = manifest.trainClassCounts.reduce(0, +)
        guard total > 0, let largest = manifest.trainClassCounts.max() else { return nil }
        return Double(largest) / Double(total)
    }
}

extension SectionContext where Spec == FaceRun {
    /// Part 7's record: the images' sizes, test labels, names and thumbnails.
    var manifest: FaceRecord { study.manifest.faces! }
    var chance: ChanceLevel { ChanceLevel(manifest) }
}

/// Turns a question's answer into its section's content, by the kind of analysis;
/// adds the settings table and the seeds caveat every section shares.
enum SectionContentBuilder {
    static func content(_ answer: any AnsweredQuestion, study: LoadedStudy) -> SectionContent? {
        var content: SectionContent
        if let result = answer as? QuestionResult<MLPRun>, let map = study.manifest.map {
            let context = SectionContext(result: result, study: study, settings: map.settings)
            switch result.analysis {
            case .learningRate(let analysis): content = LearningRateSection.content(context, analysis)
            case .epochs(let analysis): content = EpochsSection.content(context, analysis)
            case .batchNorm(let analysis): content = ComparisonSection.batchNorm(context, analysis)
            case .batchSize(let analysis): content = BatchSizeSection.content(context, analysis)
            case .modelGrid(let analysis): content = ModelGridSection.content(context, analysis)
            case .gradients(let analysis): content = GradientSection.content(context, analysis)
            case .sineFeatures(let analysis): content = ComparisonSection.sineFeatures(context, analysis)
            default: return nil
            }
            content.settings = SettingsTable.make(context)
            return finished(content, seeds: context.seedCount)
        }
        if let result = answer as? QuestionResult<FaceRun>, let faces = study.manifest.faces {
            let context = SectionContext(result: result, study: study, settings: faces.settings)
            switch result.analysis {
            case .learningRates(let analysis): content = FaceLearningRateSection.content(context, analysis)
            case .logisticRegression(let analysis): content = FaceLogisticRegressionSection.content(context, analysis)
            case .summary(let analysis): content = FaceSummarySection.content(context, analysis)
            case .samples(let analysis): content = FaceSamplesSection.content(context, analysis)
            default: return nil
            }
            content.settings = SettingsTable.make(context)
            return finished(content, seeds: context.seedCount)
        }
        return nil
    }

    /// The caveat every comparing section carries: one seed, or how intervals are read.
    private static func finished(_ content: SectionContent, seeds: Int) -> SectionContent {
        var content = content
        if content.caveat == nil && (content.compares || seeds > 1) {
            content.caveat = Comparison.seedCaveat(seeds: seeds)
        }
        return content
    }
}
