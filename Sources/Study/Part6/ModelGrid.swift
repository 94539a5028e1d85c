/// 6.2-q1..q4: the grid of (depth, width) models, read four ways: the best and the
/// worst model by validation accuracy, accuracy against depth (width 16) and
/// against width (depth 6). The four questions share the same runs.
public struct ModelGridQuestion: Question {
    public enum Selection: String, Codable, Sendable { case best, worst, depth, width }

    public let id: String
    public let selection: Selection
    public static let grid: [(depth: Int, width: Int)] = [(1, 16), (2, 16), (6, 16), (10, 16), (6, 8), (6, 32), (6, 64)]

    public init(id: String, selection: Selection) {
        self.id = id
        self.selection = selection
    }

    public var title: String {
        switch selection {
        case .best: "Best model"
        case .worst: "Worst model"
        case .depth: "Effect of depth"
        case .width: "Effect of width"
        }
    }

    public func runs(for settings: StudySettings) -> [QuestionRun<MLPRun>] {
        let models = Self.grid.filter { model in
            switch selection {
            case .best, .worst: true
            case .depth: model.width == 16
            case .width: model.depth == 6
            }
        }
        return models.map { model in
            var config = settings.base
            config.depth = model.depth
            config.width = model.width
            return QuestionRun("depth \(model.depth), width \(model.width)", config)
        }
    }

    public func analyze(_ groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        .modelGrid(ModelGridAnalysis(selection: selection, groups: groups))
    }
}

/// The grid models ranked by validation accuracy at their best epoch.
public struct ModelGridAnalysis: Codable, Equatable, Sendable {
    public var selection: ModelGridQuestion.Selection
    /// Labels from the highest mean best-epoch validation accuracy to the lowest.
    public var ranking: [String]
    /// The model the question is about (best or worst); nil for the depth and width questions.
    public var selected: String?
    /// For depth and width: the swept value of each model, in the order of `ranking`'s
    /// source groups (ascending depth or width).
    public var sweep: [Int]
    /// Spread between the best and worst mean validation accuracy.
    public var accuracyRange: Double?

    init(selection: ModelGridQuestion.Selection, groups: [RunGroup<MLPRun>]) {
        self.selection = selection
        func score(_ group: RunGroup<MLPRun>) -> Double { group.best?.validationAccuracy?.mean ?? -1 }
        let ordered = groups.sorted { (score($0), $1.label) > (score($1), $0.label) }
        ranking = ordered.map(\.label)
        switch selection {
        case .best: selected = ordered.first?.label
        case .worst: selected = ordered.last?.label
        case .depth, .width: selected = nil
        }
        sweep = groups.map { selection == .width ? $0.config.width : $0.config.depth }
        if let top = ordered.first, let bottom = ordered.last { accuracyRange = score(top) - score(bottom) }
    }
}
