import Engine
import Foundation
@testable import Report
@testable import Study

/// A made-up Part 7 study: a cached result for every run of the plan, built in code
/// from a few knobs (no images decoded, no training), so tests control every number
/// the Part 7 sections read.
///
/// A run with test accuracy `a` gets exactly `round(a · n)` of the `n` test images
/// right: the first ones in an order of its own (a rotation of the test set that
/// depends on the method and learning rate), so two runs disagree on some images.
/// Seeds add `seedSpread × (seed index − middle)` to every accuracy.
struct FaceFixture {
    var seeds = 1
    var seedSpread = 0.01
    /// A method's own spread, instead of `seedSpread`.
    var methodSpread: [FaceMethod: Double] = [:]
    /// Test images; half real, half fake. The thumbnails are `imageSize`² RGB.
    var testCount = 100
    var imageSize = 8
    /// Test accuracy per method and learning rate (logistic regression under 0).
    var accuracy: [FaceMethod: [Double: Double]] = [
        .xgboost: [0.1: 0.70, 0.01: 0.64, 0.00001: 0.50],
        .scratch: [0.1: 0.50, 0.01: 0.55, 0.001: 0.68, 0.0001: 0.62, 0.00001: 0.51],
        .probe: [0.1: 0.74, 0.01: 0.81, 0.001: 0.77, 0.0001: 0.66, 0.00001: 0.53],
        .logisticRegression: [0: 0.79],
        .finetune: [0.1: 0.50, 0.01: 0.80, 0.001: 0.90, 0.0001: 0.86, 0.00001: 0.72],
    ]
    /// Added to the test accuracy to give the validation accuracy (default +0.01).
    var validationOffset: [String: Double] = ["probe 0.001": 0.06]
    /// Runs (`method rate`) that diverge in their first epoch.
    var diverging: Set<String> = ["scratch 0.1"]
    /// Every run gets the same images right (the first ones in test order), so a run
    /// never gets an image right that a better one misses.
    var sharedOrder = false
    /// Seconds the first linear probe run spent extracting the backbone's features for everyone.
    var featureSeconds: Double?
    var dataSource = "folder <b>faces</b> & co"
    /// Set to describe the images as the built-in faces at this strength.
    var builtInStrength: Double?
    var dataHash = String(repeating: "cd", count: 32)
    /// The backbone: our own pretraining (a unit of the plan, with a record in the
    /// cache), or with `weightsFile` a user's weights file of that (hostile) name.
    var pretraining = BackbonePretraining(trainImages: 96, validationImages: 32, imageSize: 8, epochs: 1, batchSize: 32,
                                          learningRate: 0.001, seed: 0)
    var weightsFile: String?
    /// Training images a network's train accuracy was measured on (nil: all of them).
    var trainSample: Int?
    /// Part 7 questions whose runs are left out of the cache.
    var missing: Set<String> = []

    var backbone: String { weightsFile == nil ? pretraining.identity : "weights:" + String(repeating: "ef", count: 32) }

    var settings: StudySettings { StudySettings(quick: false, seeds: (0..<UInt64(seeds)).map { $0 }, backbone: backbone) }

    /// Test labels: the first half real (0), the second fake (1).
    var testLabels: [Int32] { (0..<testCount).map { $0 < testCount / 2 ? 0 : 1 } }

    /// Test file names from a user's folder, every one of them hostile markup.
    var testNames: [String] {
        testLabels.enumerated().map { index, label in
            "test/\(label == 0 ? "0_real" : "1_fake")/<img src=x onerror=alert(\(index))>.png"
        }
    }

    func manifest() -> FaceRecord {
        let size = imageSize * imageSize * 3
        let thumbnails = Data((0..<(testCount * size)).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 / size * 31) })
        return FaceRecord(settings: settings,
                          shape: FaceShape(dataHash: dataHash, dataSource: dataSource,
                                           splitSizes: [4 * testCount, testCount / 2, testCount], imageSize: imageSize,
                                           builtInStrength: builtInStrength),
                          fakeCounts: [2 * testCount, testCount / 4, testCount / 2], testNames: testNames,
                          testLabels: testLabels, testThumbnails: thumbnails, weightsFile: weightsFile,
                          pretraining: weightsFile == nil ? pretraining : nil)
    }

    /// A result for every planned unit of every question not listed in `missing`, the
    /// backbone's pretraining among them.
    func results() -> [String: any StoredRun] {
        let inputs = PlanInputs(StudyManifest(faces: manifest()))
        let questions = StudyCatalog.all.filter { $0.part == .seven }
        var skip = Set<String>()
        for question in questions where missing.contains(question.id) {
            for unit in StudyPlan([question], inputs: inputs).units where unit.kind != .backbone { skip.insert(unit.key) }
        }
        var results: [String: any StoredRun] = [:]
        var order = -1
        for unit in StudyPlan(questions, inputs: inputs).units {
            if unit.kind != .backbone { order += 1 }
            guard !skip.contains(unit.key) else { continue }
            if let pretraining = unit.spec as? BackbonePretraining {
                results[unit.key] = RunResult(key: unit.key, config: pretraining, dataHash: nil, dataSource: nil,
                                              engineVersion: "0.1.0",
                                              outcome: BackboneOutcome(classNames: ["disc", "square"], history: TrainingHistory()),
                                              wallSeconds: 12.5, finishedAt: "2026-01-01T09:00:00Z")
            } else {
                results[unit.key] = result(unit.spec as! FaceRun, key: unit.key, order: order)
            }
        }
        return results
    }

    /// `probe 0.001`.
    static func name(_ config: FaceRun) -> String {
        "\(config.method.rawValue) \(NumberText.rate(config.learningRate))"
    }

    func result(_ config: FaceRun, key: String, order: Int) -> RunResult<FaceRun> {
        let name = Self.name(config)
        let seedIndex = Double(config.seed) - Double(seeds - 1) / 2
        let spread = methodSpread[config.method] ?? seedSpread
        let test = min(max((accuracy[config.method]?[config.learningRate] ?? 0.5) + spread * seedIndex, 0), 1)
        let validation = min(max(test + (validationOffset[name] ?? 0.01), 0), 1)
        let train = min(test + 0.08, 1)
        func split(_ accuracy: Double) -> SplitMetrics { SplitMetrics(loss: 0.7 - 0.6 * (accuracy - 0.5), accuracy: accuracy) }
        let untrained = EpochMetrics(epoch: 0, train: split(0.5), validation: split(0.5), test: split(0.5))
        let trained = EpochMetrics(epoch: 1, train: split(train), validation: split(validation), test: split(test))
        let diverges = diverging.contains(name)
        var history: TrainingHistory?
        if config.method.isNetwork {
            var record = TrainingHistory()
            let iterations = diverges ? 6 : 13
            let end = split(test).loss
            record.iterationLosses = (0..<iterations).map { step in
                Float(end + (0.7 - end) * exp(-Double(step) / 4) + 0.02 * sin(Double(step)))
            }
            record.epochs = diverges ? [untrained] : [untrained, trained]
            if diverges { record.divergence = Divergence(epoch: 1, iteration: 7, quantity: "training loss") }
            history = record
        }
        let probabilities = diverges ? [] : self.probabilities(config, accuracy: test)
        return RunResult(key: key, config: config, dataHash: dataHash, dataSource: dataSource, engineVersion: "0.1.0",
                         outcome: FaceOutcome(history: history, metrics: diverges ? untrained : trained, testScores: probabilities,
                                              sharedSeconds: config.method == .probe && config.learningRate == StudySettings.networkLearningRates[0]
                                                  && config.seed == 0 ? featureSeconds : nil,
                                              trainImagesEvaluated: config.method.isNetwork ? trainSample : nil),
                         wallSeconds: 2 + Double(order) / 8, finishedAt: "2026-01-02T10:00:\(10 + order % 50)Z",
                         // XGBoost on two cores, the networks lent a second core for a quarter of their time.
                         coreSeconds: (2 + Double(order) / 8) * (config.method == .xgboost ? 2 : config.method.isNetwork ? 1.25 : 1))
    }

    /// Probabilities of "fake" that get exactly `round(accuracy · n)` test images right,
    /// with confidences that vary from image to image.
    func probabilities(_ config: FaceRun, accuracy: Double) -> [Float] {
        let labels = testLabels
        let right = Int((accuracy * Double(testCount)).rounded())
        let methodIndex = FaceMethod.allCases.firstIndex(of: config.method)!
        let rateIndex = (StudySettings.networkLearningRates + StudySettings.xgboostLearningRates).firstIndex(of: config.learningRate) ?? 0
        let shift = sharedOrder ? 0 : (methodIndex * 17 + rateIndex * 5) % testCount
        return (0..<testCount).map { index in
            let position = (index - shift + testCount) % testCount
            let correct = position < right
            let confidence = Float(0.05 + 0.4 * Double((index * 13) % 10) / 10)
            let saysFake = (labels[index] == 1) == correct
            return saysFake ? 0.5 + confidence : 0.5 - confidence
        }
    }
}
