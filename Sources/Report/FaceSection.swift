import Study

/// A Part 7 question: computed from the face results when all its runs are cached,
/// else "not computed" with the command that computes it.
public struct FaceSection: ReportSection {
    public let id: String
    public let title: String

    /// The section of `experiment`, under its id and title.
    public init(_ experiment: any FaceExperiment) {
        id = experiment.id
        title = experiment.title
    }

    public func state(in input: ReportInput) -> SectionState {
        guard let faces = input.faces, let result = faces.result(id) else {
            return .missing(command: RunCommandText.faceCommand(only: id, faces: input.faces?.manifest, study: input.manifest))
        }
        return .computed(FaceSectionContentBuilder.content(FaceSectionContext(result: result, faces: faces)))
    }
}

/// What a Part 7 section's builder reads: one question's result, and the rest of
/// Part 7 (the manifest with its test thumbnails, and the other questions' results).
struct FaceSectionContext {
    let result: FaceExperimentResult
    let faces: FaceReportInput

    var manifest: FaceManifest { faces.manifest }
    var id: String { result.id }
    var groups: [FaceRunGroup] { result.groups }
    var seedCount: Int { manifest.seeds.count }
    var hasSeeds: Bool { seedCount > 1 }
    var chance: ChanceLevel { ChanceLevel(manifest) }

    /// The group with this label.
    func group(_ label: String?) -> FaceRunGroup? {
        guard let label else { return nil }
        return groups.first { $0.label == label }
    }

    /// A file name for this section: `7.1-probe-test-accuracy`.
    func name(_ suffix: String) -> String { "\(id)-\(suffix)" }

    /// A chart id unique in the page: `f-7-1-probe-test-accuracy`.
    func chartID(_ suffix: String) -> String { "f-" + Anchor.make(name(suffix)) }

    /// "95% interval over N seeds", the label of every band.
    var bandLabel: String { "95% interval over \(seedCount) seeds" }
}

/// Turns a Part 7 section's context into its content, by the kind of analysis.
enum FaceSectionContentBuilder {
    static func content(_ context: FaceSectionContext) -> SectionContent {
        var content: SectionContent
        switch context.result.analysis {
        case .learningRates(let analysis): content = FaceLearningRateSection.content(context, analysis)
        case .logisticRegression(let analysis): content = FaceLogisticRegressionSection.content(context, analysis)
        case .summary(let analysis): content = FaceSummarySection.content(context, analysis)
        case .samples(let analysis): content = FaceSamplesSection.content(context, analysis)
        }
        content.settings = FaceSettingsTable.make(context)
        if content.caveat == nil && (content.compares || context.hasSeeds) {
            content.caveat = Comparison.seedCaveat(seeds: context.seedCount)
        }
        return content
    }
}
