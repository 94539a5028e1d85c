import Study

/// Per-class test accuracy of one model (the best grid model's map model): which
/// regions it gets right, which it confuses with which.
struct ClassAccuracy: Equatable {
    struct Row: Equatable {
        var name: String
        var points: Int
        var correct: Int
        /// The class its wrong answers name most often (first by index on ties), if any.
        var mistakenFor: (name: String, count: Int)?

        var accuracy: Double { points == 0 ? 0 : Double(correct) / Double(points) }

        static func == (a: Row, b: Row) -> Bool {
            a.name == b.name && a.points == b.points && a.correct == b.correct
                && a.mistakenFor?.name == b.mistakenFor?.name && a.mistakenFor?.count == b.mistakenFor?.count
        }
    }

    /// Classes with test points, from the lowest accuracy to the highest (then by name).
    var rows: [Row]

    /// Nil when the run stored no predictions or they do not match the test labels.
    init?(_ run: RunResult<MLPRun>, manifest: MapRecord) {
        guard let predictions = run.testPredictions.map(Array.init) else { return nil }
        let labels = [UInt8](manifest.testLabels)
        let classes = manifest.classNames.count
        guard !labels.isEmpty, labels.count == predictions.count, classes > 0 else { return nil }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (truth, predicted) in zip(labels, predictions) where Int(truth) < classes && Int(predicted) < classes {
            confusion[Int(truth)][Int(predicted)] += 1
        }
        rows = confusion.enumerated().compactMap { truth, counts -> Row? in
            let points = counts.reduce(0, +)
            guard points > 0 else { return nil }
            var wrong = counts
            wrong[truth] = 0
            let most = wrong.indices.max { (wrong[$0], -$0) < (wrong[$1], -$1) }!
            return Row(name: manifest.classNames[truth], points: points, correct: counts[truth],
                       mistakenFor: wrong[most] > 0 ? (manifest.classNames[most], wrong[most]) : nil)
        }.sorted { ($0.accuracy, $0.name) < ($1.accuracy, $1.name) }
    }

    func table(name: String, model: String) -> Table {
        Table(name: name, caption: "Test accuracy per class of the model on the map (\(model)), lowest first",
              columns: [Table.Column("Class", numeric: false), Table.Column("Test points"), Table.Column("Correct"),
                        Table.Column("Accuracy"), Table.Column("Most often mistaken for", numeric: false)],
              rows: rows.map { row in
                  [.text(row.name), .integer(row.points), .integer(row.correct), .number(row.accuracy, decimals: 3),
                   .text(row.mistakenFor.map { "\($0.name) (\(NumberText.count($0.count)))" } ?? "–")]
              })
    }

    /// `The model is least accurate on A (0.61, most often taken for B), C (…) and D (…); …`
    func finding(worst count: Int = 3) -> String? {
        let worst = rows.prefix(count).filter { $0.correct < $0.points }
        guard !worst.isEmpty, let best = rows.last else { return nil }
        let parts = worst.map { row in
            row.name + " (" + NumberText.fixed(row.accuracy, 3)
                + (row.mistakenFor.map { ", most often taken for \($0.name)" } ?? "") + ")"
        }
        let perfect = rows.filter { $0.correct == $0.points }.count
        return "Per class, the model is least accurate on " + NumberText.list(parts) + "; "
            + (perfect > 0 ? "\(perfect) of \(rows.count) classes have every test point right."
               : "its most accurate class is \(best.name) (" + NumberText.fixed(best.accuracy, 3) + ").")
    }
}
