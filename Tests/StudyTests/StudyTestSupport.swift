import Datasets
import Engine
import Foundation
@testable import Study
import StudyFixtures

/// Hand-made results for analysis tests, and a progress reporter that records.
enum StudyFixtures {
    /// An MLP result with the given history and nothing else.
    /// A result with `history`; its best epoch is that of the highest validation accuracy
    /// (earliest on ties), as training computes it, unless given.
    static func result(_ config: MLPRun, history: TrainingHistory, bestEpoch: Int? = nil) -> RunResult<MLPRun> {
        let best = bestEpoch ?? history.epochs.max { a, b in
            (a.validation?.accuracy ?? 0, -a.epoch) < (b.validation?.accuracy ?? 0, -b.epoch)
        }?.epoch ?? 0
        return RunResult(key: config.key(dataHash: "test", engineVersion: EngineVersion.current), config: config, dataHash: "test",
                  dataSource: "test", outcome: MLPOutcome(parameterCount: 0, history: history, bestEpoch: best),
                  wallSeconds: 1, finishedAt: "")
    }

    /// A history whose validation loss follows `losses` (epoch 1 onwards) and accuracy `1 - loss/10`.
    static func history(validationLosses losses: [Double]) -> TrainingHistory {
        var history = TrainingHistory()
        for (index, loss) in ([losses[0] * 1.5] + losses).enumerated() {
            let split = SplitMetrics(loss: loss, accuracy: 1 - loss / 10)
            history.epochs.append(EpochMetrics(epoch: index, train: split, validation: split, test: split))
        }
        return history
    }

    /// Options for a Part 6 study on a small built-in map (quick epochs).
    static let quick = StudyOptions(quick: true)
}

/// Counts the session's events instead of printing them.
final class RecordingProgress: ProgressReporter, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var finishedLabels: [String] = []
    private(set) var summary: RunSummary?
    func began(total: Int, reused: Int, estimatedWork: Double) {}
    func advanced(label: String, work: Double) {}
    func finished(_ run: FinishedRun, label: String, work: Double) {
        lock.lock()
        finishedLabels.append(label)
        lock.unlock()
    }
    func ended(_ summary: RunSummary) { self.summary = summary }
}
