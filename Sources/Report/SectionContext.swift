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
        switch answer.analysis {
        case .learningRate(let analysis): section(answer, study) { LearningRateSection.content($0, analysis) }
        case .epochs(let analysis): section(answer, study) { EpochsSection.content($0, analysis) }
        case .batchNorm(let analysis): section(answer, study) { ComparisonSection.batchNorm($0, analysis) }
        case .batchSize(let analysis): section(answer, study) { BatchSizeSection.content($0, analysis) }
        case .modelGrid(let analysis): section(answer, study) { ModelGridSection.content($0, analysis) }
        case .gradients(let analysis): section(answer, study) { GradientSection.content($0, analysis) }
        case .sineFeatures(let analysis): section(answer, study) { ComparisonSection.sineFeatures($0, analysis) }
        case .tuning(let analysis): section(answer, study) { TuningSection.content($0, analysis) }
        case .learningRates(let analysis): section(answer, study) { FaceLearningRateSection.content($0, analysis) }
        case .logisticRegression(let analysis): section(answer, study) { FaceLogisticRegressionSection.content($0, analysis) }
        case .summary(let analysis): section(answer, study) { FaceSummarySection.content($0, analysis) }
        case .samples(let analysis): section(answer, study) { FaceSamplesSection.content($0, analysis) }
        }
    }

    /// The content `build` makes of `answer` when its runs are of kind `Spec` and its part
    /// has a record, with the settings table and the caveat every comparing section
    /// carries: one seed, or how intervals are read.
    private static func section<Spec: SectionSpec>(_ answer: any AnsweredQuestion, _ study: LoadedStudy,
                                                   _ build: (SectionContext<Spec>) -> SectionContent) -> SectionContent? {
        guard let result = answer as? QuestionResult<Spec>, let settings = study.manifest.settings(Spec.part) else { return nil }
        let context = SectionContext(result: result, study: study, settings: settings)
        var content = build(context)
        content.settings = Spec.settingsTable(context)
        if content.caveat == nil && (content.compares || context.hasSeeds) {
            // Part 7's accuracies are measured once on the test images: one seed compares them within that sampling.
            content.caveat = Comparison.seedCaveat(seeds: context.seedCount, atBestEpoch: Spec.self == MLPRun.self,
                                                   testImages: (context as? SectionContext<FaceRun>)?.chance.testCount)
        }
        return content
    }
}

/// A kind of run whose questions the report has sections for.
protocol SectionSpec: RunSpec {
    /// The "settings used" table of a section about runs of this kind.
    static func settingsTable(_ context: SectionContext<Self>) -> Table
}

extension MLPRun: SectionSpec {
    static func settingsTable(_ context: SectionContext<MLPRun>) -> Table { SettingsTable.make(context) }
}

extension FaceRun: SectionSpec {
    static func settingsTable(_ context: SectionContext<FaceRun>) -> Table { SettingsTable.make(context) }
}
