import Datasets
import Engine
import Foundation
@testable import Study

/// Shared fixtures: the quick built-in map and throwaway cache folders.
enum StudyFixtures {
    static let points: PointDataset = try! SyntheticMap.generate(seed: 0, size: SyntheticMap.Size(train: 1_200, validation: 300, test: 300))
    static let data: StudyData = try! StudyData(points: points)

    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnreport-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A result with the given history and nothing else, for analysis tests.
    static func result(_ config: RunConfig, history: TrainingHistory, bestEpoch: Int = 0) -> RunResult {
        RunResult(key: CacheKey.key(for: config, dataHash: "test"), config: config, dataHash: "test", dataSource: "test",
                  engineVersion: EngineVersion.current, parameterCount: 0, history: history, bestEpoch: bestEpoch,
                  decisionGrid: nil, testPredictions: nil, wallSeconds: 1, finishedAt: "")
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
}

/// Counts runner events instead of printing them.
final class RecordingProgress: ProgressReporter, @unchecked Sendable {
    var finishedLabels: [String] = []
    var summary: RunSummary?
    func began(total: Int, reused: Int, estimatedWork: Double) {}
    func advanced(label: String, work: Double) {}
    func finished(_ run: FinishedRun, label: String, work: Double) { finishedLabels.append(label) }
    func ended(_ summary: RunSummary) { self.summary = summary }
}
