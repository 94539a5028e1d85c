import Engine
import Foundation
import TestSupport
import Testing
@testable import Study

/// The computed answers on hand-made histories, where the right answer is known.
@Suite(.tags(.numerics)) struct AnalysisTests {
    private let settings = StudySettings()

    @Test func convergenceSmoothsTheLossAndFindsWhereItReachesALevel() {
        // 1,000 iterations: the loss falls linearly from 3 to 1 over 400 iterations, then stays at 1.
        let losses = (0..<1_000).map { $0 < 400 ? Float(3 - 2 * Double($0) / 400) : 1 }
        let convergence = Convergence(losses: losses)
        #expect(convergence.finalLevel == 1)
        #expect(abs(convergence.finalNoise!) <= 1e-12)
        // The smoothed (10-iteration trailing mean) loss lags the raw one by about 5 iterations: 2.0 is
        // reached near iteration 205, 1.1 near 385, and 0.9 never.
        #expect(abs(Double(convergence.firstIteration(atOrBelow: 2)!) - 205) <= 2)
        #expect(abs(Double(convergence.firstIteration(atOrBelow: 1.1)!) - 385) <= 2)
        #expect(convergence.firstIteration(atOrBelow: 0.9) == nil)
    }

    @Test func batchSizesAreComparedOnTheExamplesTheyNeedToReachTheWorstFinalLevel() throws {
        // Batch 4 over 100 rows: 25 iterations an epoch; its loss falls to 1.0 within its first epoch.
        // Batch 50: 2 iterations an epoch; its loss falls slowly and ends at 1.5, the common level.
        var small = settings.base, large = settings.base
        small.batchSize = 4
        large.batchSize = 50
        var fast = StudyFixtures.history(validationLosses: [1, 1])
        fast.iterationLosses = (0..<50).map { Float(max(1, 3 - Double($0) / 5)) }
        var slow = StudyFixtures.history(validationLosses: [1, 1])
        slow.iterationLosses = (0..<400).map { Float(max(1.5, 3 - Double($0) / 100)) }
        let results = [[StudyFixtures.result(small, history: fast)], [StudyFixtures.result(large, history: slow)]]
        let groups = [RunGroup(label: "batch 4", results: results[0]), RunGroup(label: "batch 50", results: results[1])]
        let analysis = BatchSizeAnalysis(groups: groups, results: results, trainingRows: 100)
        #expect(analysis.level?.mean == 1.5)
        // Batch 4 reaches 1.5 near iteration 8 (32 examples); batch 50 near iteration 150 (75 epochs, 7,500 examples).
        let examples = try analysis.settings.map { try #require($0.examplesToLevel?.mean) }
        #expect(examples[0] < 100 && examples[1] > 5_000)
        #expect(analysis.fewestExamples == "batch 4")
        // Flipped: the same curves the other way round make batch 50 the faster one.
        let flipped = [[StudyFixtures.result(small, history: slow)], [StudyFixtures.result(large, history: fast)]]
        let other = BatchSizeAnalysis(groups: [RunGroup(label: "batch 4", results: flipped[0]),
                                               RunGroup(label: "batch 50", results: flipped[1])],
                                      results: flipped, trainingRows: 100)
        #expect(other.fewestExamples == "batch 50")
        #expect(BatchSizeAnalysis.examples(afterIterations: 27, batchSize: 4, trainingRows: 100) == 108)
        #expect(BatchSizeAnalysis.examples(afterIterations: 25, batchSize: 3, trainingRows: 74) == 74)
    }

    @Test func epochNoiseIgnoresATrendAndMeasuresTheWiggle() throws {
        // A steady rise has no noise; ±0.01 alternating around it moves successive differences by ±0.02: noise 0.02/√2.
        let trend = (0..<10).map { 0.5 + 0.01 * Double($0) }
        #expect(try #require(Estimate.epochNoise(trend[...])) < 1e-12)
        let wiggle = trend.enumerated().map { $1 + ($0 % 2 == 0 ? 0.01 : -0.01) }
        #expect(abs(try #require(Estimate.epochNoise(wiggle[...])) - 0.02 / 2.squareRoot()) < 0.002)
        #expect(Estimate.epochNoise([1, 2][...]) == nil)
    }

    @Test func bestEpochEstimatesCarryTheRunsNoise() throws {
        // Validation losses alternate around a plateau in the last epochs: the best-epoch estimate carries that noise.
        let losses = (0..<20).map { 1.0 + ($0 % 2 == 0 ? 0.05 : -0.05) }
        let group = RunGroup(label: "run", results: [StudyFixtures.result(settings.base, history: StudyFixtures.history(validationLosses: losses))])
        let noise = try #require(group.best?.validationAccuracy?.noise)
        // Accuracy is 1 - loss/10: it alternates by ±0.005, successive differences of 0.01, noise 0.01/√2.
        #expect(abs(noise - 0.01 / 2.squareRoot()) < 0.0005)
    }

    @Test func behaviourNamesExplodedAndCollapsedRuns() {
        var history = StudyFixtures.history(validationLosses: [3, 2])
        let ordinary = StudyFixtures.result(settings.base, history: history)
        #expect(TrainingBehaviour(ordinary, classCount: 33).isNormal)
        history.epochs[0].validation?.loss = 1.5e9
        var exploded = StudyFixtures.result(settings.base, history: history)
        let behaviour = TrainingBehaviour(exploded, classCount: 33)
        #expect(behaviour.exploded && behaviour.peakLoss == 1.5e9 && behaviour.peakEpoch == 0)
        // 100 × ln 33 ≈ 350 is the line: 340 is high but not exploded.
        history.epochs[0].validation?.loss = 340
        #expect(!TrainingBehaviour(StudyFixtures.result(settings.base, history: history), classCount: 33).exploded)
        exploded.outcome.testPredictions = Data([4, 4, 4, 4])
        #expect(TrainingBehaviour(exploded, classCount: 33).collapsedClass == 4)
        exploded.outcome.testPredictions = Data([4, 4, 5, 4])
        #expect(TrainingBehaviour(exploded, classCount: 33).collapsedClass == nil)
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
                                        results: [[StudyFixtures.result(config, history: history)]], classCount: 33)
        let profile = analysis.profiles[0]
        #expect(profile.layers == [0, 30, 60, 90, 95, 99])
        #expect(profile.zeroLayers == [0])
        #expect(abs(profile.magnitudes[1][2].mean - pow(10, -4)) <= 1e-12)
        #expect(profile.firstToLastRatio?.mean == 0)
    }
}
