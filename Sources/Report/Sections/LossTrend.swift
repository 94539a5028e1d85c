import Study

/// Whether a rise of the validation loss comes with a falling training loss (the
/// signature of overfitting) or with a rising one (noisy optimisation).
enum LossTrend {
    /// `, while the training loss kept falling (0.120 to 0.095): the net overfits.` or
    /// `; the training loss rose as well (…), so the rise is optimisation noise rather than overfitting`.
    static func trainingClause(_ group: RunGroup<MLPRun>, from index: Int) -> String {
        guard let start = group.curves.trainLoss.indices.contains(index) ? group.curves.trainLoss[index].mean : nil,
              let end = group.curves.trainLoss.last?.mean else { return "" }
        let change = NumberText.fixed(start, 3) + " to " + NumberText.fixed(end, 3)
        if end < start {
            return ", while the training loss kept falling (" + change + "): the net starts to overfit"
        }
        return "; the training loss rose as well (" + change + "), so this is noise in the optimisation rather than overfitting"
    }
}
