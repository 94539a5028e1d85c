import Study

/// Time spent where it was spent: a run's own wall time, without the work it did for
/// other runs (the frozen backbone's features, computed by whichever run needs them
/// first), and that shared work as a row of its own.
enum FaceTiming {
    /// The wall time of each seed's run minus its shared work.
    static func ownSeconds(_ runs: [RunResult<FaceRun>]) -> Estimate? {
        Estimate(runs.map { $0.wallSeconds - ($0.outcome.sharedSeconds ?? 0) })
    }

    /// The seconds every cached run of the study spent on shared work, summed; nil when none recorded any.
    static func sharedSeconds(_ study: LoadedStudy) -> Double? {
        let seconds = study.units.compactMap { ($0.result as? RunResult<FaceRun>)?.outcome.sharedSeconds }
        return seconds.isEmpty ? nil : seconds.reduce(0, +)
    }

    /// A table row for the shared feature extraction, `columns` wide: its name, blanks, its time last.
    static func sharedRow(_ study: LoadedStudy, columns: Int) -> [Table.Cell]? {
        guard let seconds = sharedSeconds(study), columns >= 2 else { return nil }
        return [.text("Feature extraction, shared")] + Array(repeating: .text("–"), count: columns - 2)
            + [.estimate(Estimate([seconds]), decimals: 2)]
    }

    static let note = "Wall time: the run's own time. Extracting the frozen backbone's features of every image is done once and "
        + "shared by linear probing and logistic regression; here it has a row of its own and is in no other row's time (the "
        + "list of every run at the end of the report gives each run's whole time, the extraction included in the run that did it)."

    /// The caveat of every Part 7 wall-time column.
    static let coresNote = "Wall times are on the cores the scheduler gave each run: one, or more when a core would "
        + "otherwise have been idle; the list of every run at the end of the report gives each run's cores."
}
