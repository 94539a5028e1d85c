import Engine
import Foundation
import TestSupport
import Testing
@testable import Study

/// The Part 7 analyses on hand-made results: which run is best, what the samples show.
@Suite(.tags(.numerics)) struct FaceAnalysisTests {
    private func group(_ label: String, _ config: FaceRun, validation: Double, test: Double, testLoss: Double = 0.6,
                       probabilities: [Float] = [], diverged: Bool = false) -> RunGroup<FaceRun> {
        var history: TrainingHistory?
        if diverged {
            history = TrainingHistory()
            history?.divergence = Divergence(epoch: 1, iteration: 3, quantity: "training loss")
        }
        let metrics = EpochMetrics(epoch: 1, train: SplitMetrics(loss: 0.5, accuracy: 0.9),
                                   validation: SplitMetrics(loss: 1 - validation, accuracy: validation),
                                   test: SplitMetrics(loss: testLoss, accuracy: test))
        let result = RunResult(key: label, config: config, dataHash: "d", dataSource: "s", engineVersion: "e",
                               outcome: FaceOutcome(history: history, metrics: metrics, testScores: probabilities),
                               wallSeconds: 1, finishedAt: "")
        return RunGroup(label: label, results: [result])
    }

    private func network(_ method: FaceMethod, _ rate: Double) -> FaceRun {
        .network(method, learningRate: rate, backbone: "b", seed: 0)
    }

    @Test func theBestRateOnTestAndOnValidationAreFoundSeparately() {
        let groups = [
            group("lr 0.1", network(.scratch, 0.1), validation: 0.5, test: 0.5, diverged: true),
            group("lr 0.01", network(.scratch, 0.01), validation: 0.80, test: 0.70),
            group("lr 0.001", network(.scratch, 0.001), validation: 0.70, test: 0.75),
            group("lr 0.0001", network(.scratch, 0.0001), validation: 0.60, test: 0.55),
        ]
        let analysis = FaceLearningRateAnalysis(method: .scratch, groups: groups)
        #expect(analysis.bestByTest == "lr 0.001")
        #expect(analysis.bestByValidation == "lr 0.01")
        #expect(analysis.worstByTest == "lr 0.0001")
        #expect(analysis.diverged == ["lr 0.1"])
        #expect(analysis.ranking == ["lr 0.001", "lr 0.01", "lr 0.0001", "lr 0.1"])
    }

    @Test func tiesInTestAccuracyGoToTheLowerTestLoss() {
        let groups = [
            group("a", network(.probe, 0.1), validation: 0.7, test: 0.8, testLoss: 0.5),
            group("b", network(.probe, 0.01), validation: 0.7, test: 0.8, testLoss: 0.4),
        ]
        #expect(rankedByTestAccuracy(groups).map(\.label) == ["b", "a"])
    }

    @Test func theSummaryOrdersMethodsByTheirBestRun() {
        let groups = [
            group("XGBoost, eta 0.1", .xgboost(learningRate: 0.1, seed: 0), validation: 0.7, test: 0.72),
            group("XGBoost, eta 0.01", .xgboost(learningRate: 0.01, seed: 0), validation: 0.75, test: 0.70),
            group("Fine-tuning, lr 0.001", network(.finetune, 0.001), validation: 0.9, test: 0.88),
            group("Fine-tuning, lr 0.1", network(.finetune, 0.1), validation: 0.5, test: 0.5, diverged: true),
            group("Logistic regression, C 1", .logisticRegression(backbone: "b", seed: 0), validation: 0.6, test: 0.61),
        ]
        let summary = FaceSummaryAnalysis(groups)
        #expect(summary.methods.map(\.method) == [.finetune, .xgboost, .logisticRegression])
        #expect(summary.methods[1].label == "XGBoost, eta 0.1")
        #expect(summary.methods[1].validationChoice == "XGBoost, eta 0.01")
        #expect(summary.methods[0].validationChoice == nil)
        #expect(summary.bestMethod == .finetune)
        #expect(summary.worstMethod == .logisticRegression)
    }

    @Test func samplesAreImagesTheBetterRunGetsRightAndTheWorseGetsWrong() throws {
        let labels: [Int32] = [0, 1, 0, 1, 1, 0, 1, 0]
        // better: right everywhere but image 7; worse: wrong on 0, 1, 3, 5, 7 with varying confidence.
        let better: [Float] = [0.2, 0.9, 0.1, 0.8, 0.7, 0.3, 0.6, 0.9]
        let worse: [Float] = [0.6, 0.4, 0.2, 0.05, 0.9, 0.99, 0.7, 0.8]
        let groups = [
            group("Fine-tuning, lr 0.001", network(.finetune, 0.001), validation: 0.9, test: 0.9, probabilities: better),
            group("XGBoost, eta 0.1", .xgboost(learningRate: 0.1, seed: 0), validation: 0.6, test: 0.6, probabilities: worse),
        ]
        let samples = FaceSamplesAnalysis(groups, testLabels: labels, count: 3)
        let comparison = try #require(samples.comparisons.first)
        #expect(comparison.kind == .bestAgainstWorstMethod)
        #expect(comparison.better == "Fine-tuning, lr 0.001")
        #expect(comparison.candidates == 4)  // 0, 1, 3, 5 (image 7: both wrong)
        #expect(comparison.samples.map(\.index) == [5, 3, 0])  // most confident mistakes first
        #expect(comparison.samples.map(\.label) == [0, 1, 0])
    }
}
