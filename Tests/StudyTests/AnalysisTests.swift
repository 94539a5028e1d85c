import Engine
import Foundation
import TestSupport
import Testing
@testable import Study

/// The computed answers on hand-made histories, where the right answer is known.
@Suite(.tags(.numerics)) struct AnalysisTests {
    private let settings = StudySettings()

    @Test func convergenceFindsWhereTheLossSettles() {
        // 1,000 iterations: the loss falls linearly from 3 to 1 over 400 iterations, then stays at 1.
        let losses = (0..<1_000).map { $0 < 400 ? Float(3 - 2 * Double($0) / 400) : 1 }
        let convergence = Convergence(losses: losses)
        // Within 10% of the final level 1.0 means a smoothed loss ≤ 1.1: from iteration ~380 on.
        #expect(abs(Double(convergence.iterationsToConverge!) - 385) <= 10)
        #expect(abs(convergence.finalNoise!) <= 1e-12)
        // A loss that never settles below 110% of its end never converges before the end.
        #expect(Convergence(losses: [5, 4, 3, 2, 1]).iterationsToConverge == 5)
    }

    @Test func plateauAndCheckpoints() throws {
        // Losses: 1.0, 0.5, 0.3, 0.25, 0.2, 0.199, 0.1985, ... (improves < 1% after epoch 5).
        var losses = [1.0, 0.5, 0.3, 0.25, 0.2]
        while losses.count < 100 { losses.append(losses.last! - 0.000_01) }
        let config = settings.base
        let result = StudyFixtures.result(config, history: StudyFixtures.history(validationLosses: losses))
        let group = RunGroup(label: "run", results: [result])
        let analysis = EpochsAnalysis(group: group, results: [result])
        #expect(analysis.checkpoints.map(\.epoch) == [1, 5, 10, 20, 50, 100])
        #expect(analysis.checkpoints[1].validationLoss.mean == 0.2)
        #expect(analysis.plateauEpoch?.mean == 5)
        #expect(analysis.minimumEpoch?.mean == 100)
    }

    @Test func learningRateRankingPutsDivergedRunsLast() {
        func group(_ label: String, _ finalLoss: Double, diverged: Bool = false) -> RunGroup<MLPRun> {
            var history = StudyFixtures.history(validationLosses: [2, finalLoss])
            if diverged { history.divergence = Divergence(epoch: 2, iteration: 10, quantity: "training loss") }
            return RunGroup(label: label, results: [StudyFixtures.result(settings.base, history: history)])
        }
        let analysis = LearningRateAnalysis([group("a", 0.9), group("b", 0.1, diverged: true), group("c", 0.4)])
        #expect(analysis.ranking == ["c", "a", "b"])
        #expect(analysis.best == "c")
        #expect(analysis.diverged == ["b"])
    }

    @Test func gridSelectsByBestEpochValidationAccuracy() {
        func group(depth: Int, accuracy: Double) -> RunGroup<MLPRun> {
            var config = settings.base
            config.depth = depth
            let history = StudyFixtures.history(validationLosses: [10 * (1 - accuracy)])
            return RunGroup(label: "depth \(depth)", results: [StudyFixtures.result(config, history: history, bestEpoch: 1)])
        }
        let groups = [group(depth: 1, accuracy: 0.8), group(depth: 2, accuracy: 0.95), group(depth: 6, accuracy: 0.9)]
        #expect(ModelGridAnalysis(selection: .best, groups: groups).selected == "depth 2")
        #expect(ModelGridAnalysis(selection: .worst, groups: groups).selected == "depth 1")
        let depth = ModelGridAnalysis(selection: .depth, groups: groups)
        #expect(depth.selected == nil)
        #expect(depth.sweep == [1, 2, 6])
        #expect(abs(depth.accuracyRange! - 0.15) <= 1e-9)
    }

    @Test func comparisonIsPairedBySeed() {
        func group(_ accuracies: [Double]) -> RunGroup<MLPRun> {
            RunGroup(label: "g", results: accuracies.enumerated().map { seed, accuracy in
                StudyFixtures.result(settings.base.withSeed(UInt64(seed)), history: StudyFixtures.history(validationLosses: [10 * (1 - accuracy)]))
            })
        }
        let comparison = ComparisonAnalysis(baseline: group([0.80, 0.90]), treatment: group([0.85, 0.96]))
        #expect(abs(comparison.validationAccuracyGain!.values[0] - 0.05) <= 1e-9)
        #expect(abs(comparison.validationAccuracyGain!.values[1] - 0.06) <= 1e-9)
    }

    @Test func gradientProfileRatioAndZeros() {
        var config = settings.base
        config.depth = 100
        config.width = 4
        var history = StudyFixtures.history(validationLosses: [1, 1])
        // 101 Linear layers; layer i has magnitude 10^(i/10 - 10), and layer 0 is exactly zero.
        let epoch: [Double] = (0...100).map { $0 == 0 ? 0 : pow(10, Double($0) / 10 - 10) }
        history.gradientNorms = [epoch, epoch]
        let analysis = GradientAnalysis(groups: [RunGroup(label: "plain", results: [StudyFixtures.result(config, history: history)])],
                                        results: [[StudyFixtures.result(config, history: history)]])
        let profile = analysis.profiles[0]
        #expect(profile.layers == [0, 30, 60, 90, 95, 99])
        #expect(profile.zeroLayers == [0])
        #expect(abs(profile.magnitudes[1][2].mean - pow(10, -4)) <= 1e-12)
        #expect(profile.firstToLastRatio?.mean == 0)
    }
}
