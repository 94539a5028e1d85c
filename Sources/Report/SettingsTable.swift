import Study

/// The "settings used" table of a section: every configuration field of its runs,
/// one value when all runs share it, the list of values when the question varies it.
enum SettingsTable {
    static func make(_ context: SectionContext) -> Table {
        let configs = context.groups.map(\.config)
        let manifest = context.manifest
        func row(_ title: String, _ value: (RunConfig) -> String) -> [Table.Cell] {
            var values: [String] = []
            for config in configs where !values.contains(value(config)) { values.append(value(config)) }
            let text = values.count == 1 ? values[0] : values.joined(separator: ", ") + " (varied)"
            return [.text(title), .text(text)]
        }
        func yesNo(_ flag: Bool) -> String { flag ? "yes" : "no" }
        let splits = manifest.splitSizes.map(NumberText.count)
        let data = splits.count == 3
            ? "\(splits[0]) train / \(splits[1]) validation / \(splits[2]) test points, \(manifest.classNames.count) classes"
            : "\(manifest.classNames.count) classes"
        let rows: [[Table.Cell]] = [
            row("Hidden layers") { "\($0.depth)" },
            row("Units per hidden layer") { "\($0.width)" },
            row("Batch norm") { yesNo($0.batchNorm) },
            row("Residual connections") { yesNo($0.residual) },
            row("Inputs") { $0.features == .sine ? "sin(a·x), a = 0.1 … 1.0, 20 features" : "longitude, latitude (degrees)" },
            row("Optimizer") { $0.optimizer.kind == .adam ? "Adam" : "SGD" },
            row("Learning rate") { NumberText.rate($0.optimizer.learningRate) },
            row("Batch size") { "\($0.batchSize)" },
            row("Epochs") { "\($0.epochs)" },
            [.text("Seeds"), .text(manifest.seeds.map(String.init).joined(separator: ", "))],
            [.text("Data"), .text(manifest.dataSource + ": " + data)],
        ]
        return Table(name: context.name("settings"), caption: "Settings used",
                     columns: [Table.Column("Setting", numeric: false), Table.Column("Value", numeric: false)], rows: rows)
    }
}
