import Study

/// The "settings used" table of a section: every setting of its runs, one value when
/// all runs share it, the list of values when the question varies it, then the seeds
/// and the data. Rows that no run of the section uses are left out.
enum SettingsTable {
    static func make(_ context: SectionContext<MLPRun>) -> Table {
        let configs = context.groups.map(\.config)
        func yesNo(_ flag: Bool) -> String { flag ? "yes" : "no" }
        let manifest = context.manifest
        let splits = manifest.splitSizes.map(NumberText.count)
        let data = splits.count == 3
            ? "\(splits[0]) train / \(splits[1]) validation / \(splits[2]) test points, \(manifest.classNames.count) classes"
            : "\(manifest.classNames.count) classes"
        let rows: [[Table.Cell]] = row("Hidden layers", configs) { "\($0.depth)" }
            + row("Units per hidden layer", configs) { "\($0.width)" }
            + row("Batch norm", configs) { yesNo($0.batchNorm) }
            + row("Residual connections", configs) { yesNo($0.residual) }
            + row("Inputs", configs) { $0.features == .sine ? "sin(a·x), a = 0.1 … 1.0, 20 features" : "longitude, latitude (degrees)" }
            + row("Optimizer", configs) { $0.optimizer.kind == .adam ? "Adam" : "SGD" }
            + row("Learning rate", configs) { NumberText.rate($0.optimizer.learningRate) }
            + row("Batch size", configs) { "\($0.batchSize)" }
            + row("Epochs", configs) { "\($0.epochs)" }
            + parameterRow(context)
        return table(context, rows: rows, data: manifest.dataSource + ": " + data)
    }

    static func make(_ context: SectionContext<FaceRun>) -> Table {
        let configs = context.groups.map(\.config)
        let manifest = context.manifest
        let methods = unique(configs.map(\.method))
        let networks = configs.filter { $0.method.isNetwork }
        var rows: [[Table.Cell]] = row("Method", configs) { $0.method.displayName }
        if methods.count == 1, let method = methods.first {
            rows.append([.text("Model"), .text(model(method))])
            rows.append([.text("Inputs"), .text(inputs(method, imageSize: manifest.imageSize))])
        }
        rows += row("Optimizer", configs.filter { $0.method != .logisticRegression }) {
            $0.method == .xgboost ? "gradient boosting (XGBoost defaults apart from eta)" : "Adam (β 0.9 / 0.999, ε 1e-8)"
        }
        rows += row("Loss", configs) { $0.method == .xgboost ? "log loss" : $0.method == .logisticRegression
            ? "log loss + L2 penalty" : "binary cross-entropy with logits" }
        rows += row("Learning rate", networks) { NumberText.rate($0.learningRate) }
        rows += row("Learning rate (eta)", configs.filter { $0.method == .xgboost }) { NumberText.rate($0.learningRate) }
        rows += row("Boosting rounds", configs.filter { $0.method == .xgboost }) { "\($0.rounds)" }
        rows += row("Regularisation", configs.filter { $0.method == .logisticRegression }) { "L2, C = " + NumberText.rate($0.regularization) }
        rows += row("Batch size", networks) { "\($0.batchSize)" }
        rows += row("Epochs", networks) { "\($0.epochs)" }
        if configs.contains(where: { $0.method.usesBackbone }) {
            rows.append([.text("Pretrained backbone"), .text(context.study.backboneDescription ?? "")])
        }
        return table(context, rows: rows, data: manifest.dataSource + ": " + faceDataSummary(manifest))
    }

    /// Trainable parameters of each model (weights, biases, batch-norm scales and shifts):
    /// one number when every run has the same, else one per run in the section's order.
    private static func parameterRow(_ context: SectionContext<MLPRun>) -> [[Table.Cell]] {
        let counts = context.runs.compactMap { $0.first?.parameterCount }
        guard !counts.isEmpty else { return [] }
        let distinct = unique(counts)
        let text = distinct.count == 1 ? NumberText.count(distinct[0])
            : zip(context.groups, counts).map { "\($0.label): " + NumberText.count($1) }.joined(separator: "; ")
        return [[.text("Trainable parameters"), .text(text)]]
    }

    /// The table of `rows`, with the seeds and the data every section states.
    private static func table<Spec>(_ context: SectionContext<Spec>, rows: [[Table.Cell]], data: String) -> Table {
        let rows = rows + [[.text("Seeds"), .text(context.settings.seeds.map(String.init).joined(separator: ", "))],
                           [.text("Data"), .text(data)]]
        return Table(name: context.name("settings"), caption: "Settings used",
                     columns: [Table.Column("Setting", numeric: false), Table.Column("Value", numeric: false)], rows: rows)
    }

    /// One row: the value all `configs` share, or their values followed by "(varied)";
    /// no row when no config uses the setting.
    private static func row<Config>(_ title: String, _ configs: [Config], _ value: (Config) -> String) -> [[Table.Cell]] {
        guard !configs.isEmpty else { return [] }
        let values = unique(configs.map(value))
        let text = values.count == 1 ? values[0] : values.joined(separator: ", ") + " (varied)"
        return [[.text(title), .text(text)]]
    }

    /// What the model is, for a section about one method.
    static func model(_ method: FaceMethod) -> String {
        switch method {
        case .xgboost: "gradient-boosted trees (XGBoost's C library), binary logistic objective"
        case .scratch: "ResNet18 from random weights, head Linear(512, 1)"
        case .probe: "pretrained ResNet18 backbone frozen in eval mode; only the head Linear(512, 1) is trained"
        case .logisticRegression: "L2-regularised logistic regression (LIBLINEAR)"
        case .finetune: "pretrained ResNet18 with a new head Linear(512, 1); every weight is trained"
        }
    }

    /// What the method sees of each image.
    static func inputs(_ method: FaceMethod, imageSize size: Int) -> String {
        switch method {
        case .xgboost: "the centre 64×64 crop of each image, flattened to 12,288 values in 0…1"
        case .scratch: "\(size)×\(size) RGB images with values in 0…1, not normalised"
        case .probe, .finetune:
            "\(size)×\(size) RGB images in the pretrained view: resized and centre-cropped (256/224), "
                + "normalised with ImageNet's mean and standard deviation"
        case .logisticRegression: "the 512-d pooled output of the frozen backbone for each image (pretrained view)"
        }
    }

    /// `1,400 train / 200 validation / 400 test images (700 / 100 / 200 fake), 64×64`.
    static func faceDataSummary(_ manifest: FaceRecord) -> String {
        let size = "\(manifest.imageSize)×\(manifest.imageSize)"
        guard manifest.splitSizes.count == 3 else { return size }
        let splits = manifest.splitSizes.map(NumberText.count)
        var text = "\(splits[0]) train / \(splits[1]) validation / \(splits[2]) test images"
        if manifest.fakeCounts.count == 3 {
            text += " (" + manifest.fakeCounts.map(NumberText.count).joined(separator: " / ") + " fake)"
        }
        return text + ", " + size
    }

    private static func unique<T: Equatable>(_ values: [T]) -> [T] {
        var out: [T] = []
        for value in values where !out.contains(value) { out.append(value) }
        return out
    }
}
