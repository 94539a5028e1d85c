import Datasets
import Engine
import Foundation
import TestSupport
@testable import Report
@testable import Study

/// A made-up study: a cached result for every run of the full plan, built in code
/// from a few knobs (no training), so tests control every number the report reads.
///
/// Curves approach their final value exponentially; seeds add `seedSpread × (seed
/// index − middle)` to accuracies. Every knob has a value shaped like a real study
/// (lr 0.001 best, lr 1 diverging at epoch 3, batch norm and sine features helping,
/// a 100-layer plain net whose first layers get no gradient).
struct FixtureStudy {
    var seeds = 1
    /// Per-seed spread of accuracies (and losses), to make intervals narrow or wide.
    var seedSpread = 0.002
    /// Final validation loss per learning rate of 6.1.2-q1 (base model).
    var learningRateLoss: [Double: Double] = [0.01: 0.42, 0.001: 0.31, 0.00001: 3.40]
    /// Learning rates whose runs diverge during epoch 3.
    var divergingRates: Set<Double> = [1]
    var baseAccuracy = 0.89
    var batchNormGain = 0.05
    /// Epoch-to-epoch noise: every trained epoch's accuracies move by ± this, alternately
    /// (losses by ten times as much the other way).
    var epochWiggle = 0.0
    var sineGain = 0.07
    /// Accuracy of the grid models relative to the base (6, 16) model.
    var gridOffset: [String: Double] = ["1x16": -0.09, "2x16": -0.04, "6x16": 0, "10x16": 0.01,
                                        "6x8": -0.03, "6x32": 0.03, "6x64": 0.02]
    /// Accuracy of the 100-layer variants.
    var deepAccuracy: [String: Double] = ["plain": 0.08, "bn": 0.45, "residual": 0.62, "both": 0.81]
    /// Whether the residual-only 100-layer net blows up: a loss of 1.5×10⁹ before training
    /// and one predicted class for every test point.
    var residualExplodes = false
    /// The epoch whose loss explodes (0: before any training).
    var residualExplosionEpoch = 0
    var classNames = ["North", "South", "<img src=x onerror=alert(1)>"]
    var dataSource = "built-in map (seed 0, fixture)"
    var dataHash = String(repeating: "ab", count: 32)
    /// Questions whose runs are left out of the cache.
    var missing: Set<String> = []
    /// Questions to use instead of the catalog's (same ids), e.g. to rename labels.
    var experiments: [any Question] = StudyCatalog.all
    /// Part 7, when the study has run it.
    var faces: FaceFixture?

    /// Whether the study ran with `--tune`, and accuracy added to chosen runs of its search
    /// (`"1x16 lr 0.01 batch 256"`).
    var tune = false
    var tuningOffset: [String: Double] = [:]
    /// Extra per-seed spread of the search's other settings (so a paired gain has noise).
    var tuningSeedJitter = 0.0

    var settings: StudySettings { StudySettings(quick: false, seeds: (0..<UInt64(seeds)).map { $0 }, tune: tune) }

    // MARK: Manifest

    /// 60 test points on a 3-class map split by longitude.
    func manifest() -> MapRecord {
        func split(_ count: Int) -> LabeledData {
            var features: [Float] = [], labels: [Int32] = []
            for index in 0..<count {
                let longitude = -10 + 50 * Float(index) / Float(count)
                features += [longitude, 35 + Float(index % 7) * 5]
                labels.append(Int32(classOf(longitude: Double(longitude))))
            }
            return try! LabeledData(features: Tensor(shape: [count, 2], values: features), labels: labels, classCount: 3)
        }
        let points = PointDataset(train: split(120), validation: split(30), test: split(60), classNames: classNames,
                                  source: dataSource, contentHash: dataHash)
        return MapRecord(settings: settings, data: points)
    }

    /// The whole study's manifest: the map, Part 7 when the fixture has it, fixed machine fields.
    func studyManifest() -> StudyManifest {
        StudyManifest(map: manifest(), faces: faces?.manifest(), machine: MachineRecord(cores: 2, blas: "OpenBLAS fixture (Haswell)"))
    }

    func classOf(longitude: Double) -> Int {
        min(max(Int((longitude + 10) / 50 * 3), 0), 2)
    }

    // MARK: Results

    /// A result for every planned Part 6 run of every question not listed in `missing`.
    func results() -> [String: any StoredRun] {
        let inputs = PlanInputs(studyManifest())
        var skip = Set<String>()
        for question in experiments where missing.contains(question.id) {
            for unit in StudyPlan([question], inputs: inputs).units { skip.insert(unit.key) }
        }
        var results: [String: any StoredRun] = [:]
        let part6 = experiments.filter { $0.part == .six }
        for (index, unit) in StudyPlan(part6, inputs: inputs).units.enumerated() where !skip.contains(unit.key) {
            results[unit.key] = result(unit.spec as! MLPRun, key: unit.key, order: index)
        }
        return results
    }

    /// The study as the report reads it: Part 6's results, and Part 7's when the fixture has it.
    func input() -> LoadedStudy {
        let part7 = faces?.results() ?? [:]
        return LoadedStudy(manifest: studyManifest(), results: results().merging(part7) { first, _ in first },
                           questions: experiments)
    }

    func result(_ config: MLPRun, key: String, order: Int) -> RunResult<MLPRun> {
        let seedIndex = Double(config.seed) - Double(seeds - 1) / 2
        let searched = config.optimizer.learningRate != 0.001 || config.batchSize != 256
        let offset = seedSpread * seedIndex + (searched ? tuningSeedJitter * seedIndex : 0)
        let accuracy = min(max(finalAccuracy(config) + offset, 0.01), 0.999)
        let loss = max(finalLoss(config, accuracy: accuracy) - offset, 0.01)
        let diverges = divergingRates.contains(config.optimizer.learningRate) && config.depth == 6
        var history = TrainingHistory()
        let epochs = diverges ? 2 : config.epochs
        let speed = Double(max(config.epochs, 1)) / 8
        for epoch in 0...epochs {
            let progress = 1 - exp(-Double(epoch) / speed)
            let wiggle = epoch == 0 ? 0 : epochWiggle * (epoch % 2 == 0 ? 1 : -1)
            let a = 1 / Double(classNames.count) + (accuracy - 1 / Double(classNames.count)) * progress + wiggle
            let l = 3.5 + (loss - 3.5) * progress - 10 * wiggle
            history.epochs.append(EpochMetrics(epoch: epoch, train: SplitMetrics(loss: l * 0.97, accuracy: min(a + 0.004, 1)),
                                               validation: SplitMetrics(loss: l, accuracy: a),
                                               test: SplitMetrics(loss: l * 1.01, accuracy: max(a - 0.002, 0))))
        }
        let iterationsPerEpoch = max(2, 40 / max(config.batchSize / 64, 1))
        let iterations = epochs * iterationsPerEpoch
        let noise = 0.5 / Double(config.batchSize).squareRoot()
        history.iterationLosses = (0..<iterations).map { step in
            let trend = loss + (3.5 - loss) * exp(-Double(step) / Double(max(iterations / 6, 1)))
            return Float(trend * (1 + noise * sin(Double(step) * 1.7)))
        }
        if diverges {
            history.divergence = Divergence(epoch: 3, iteration: 2 * iterationsPerEpoch + 5, quantity: "training loss")
        }
        history.gradientLayers = (0...config.depth).map { "linear\($0)" }
        history.gradientNorms = (0..<epochs).map { epoch in
            (0...config.depth).map { layer in gradientNorm(config, layer: layer, epoch: epoch) }
        }
        let explodes = residualExplodes && config.depth == 100 && config.residual && !config.batchNorm
        if explodes {
            history.epochs[residualExplosionEpoch].validation?.loss = 1.5e9
            history.epochs[residualExplosionEpoch].train.loss = 1.4e9
        }
        let bestEpoch = history.epochs.max { ($0.validation!.accuracy, -$0.epoch) < ($1.validation!.accuracy, -$1.epoch) }!.epoch
        var grid: DecisionGrid?, predictions: Data?
        if !diverges {
            grid = decisionGrid(shift: accuracy < 0.5 ? 2 : 0)
            predictions = Data(manifest().testCoordinates.enumerated().map { index, point in
                // Every fifth point is misclassified; weaker models get more wrong.
                let wrong = index % (accuracy > 0.9 ? 10 : 5) == 0
                if explodes { return 1 }
                return UInt8((classOf(longitude: point.0) + (wrong ? 1 : 0)) % classNames.count)
            })
        }
        let outcome = MLPOutcome(parameterCount: 2 * config.width + config.depth * config.width * (config.width + 1),
                                 history: history, bestEpoch: bestEpoch, decisionGrid: grid, testPredictions: predictions)
        return RunResult(key: key, config: config, dataHash: dataHash, dataSource: dataSource, engineVersion: "0.1.0",
                         outcome: outcome, wallSeconds: 1 + Double(order) / 4,
                         finishedAt: "2026-01-0\(1 + order % 9)T10:00:0\(order % 10)Z",
                         // One core each; the first as an entry stored before the cores were recorded.
                         coreSeconds: order == 0 ? nil : 1 + Double(order) / 4)
    }

    func finalAccuracy(_ config: MLPRun) -> Double {
        if config.depth == 100 {
            switch (config.batchNorm, config.residual) {
            case (false, false): return deepAccuracy["plain"]!
            case (true, false): return deepAccuracy["bn"]!
            case (false, true): return deepAccuracy["residual"]!
            case (true, true): return deepAccuracy["both"]!
            }
        }
        var accuracy = baseAccuracy + (gridOffset["\(config.depth)x\(config.width)"] ?? 0)
            + (tuningOffset["\(config.depth)x\(config.width) lr \(formatNumber(config.optimizer.learningRate)) batch \(config.batchSize)"] ?? 0)
        if config.batchNorm { accuracy += batchNormGain }
        if config.features == .sine { accuracy += sineGain }
        switch config.batchSize {
        case 1: accuracy -= 0.12
        case 16: accuracy -= 0.08
        case 128: accuracy += 0.02
        case 1024: accuracy -= 0.03
        default: break
        }
        switch config.optimizer.learningRate {
        case 0.00001: accuracy = 0.3
        case 0.01: accuracy -= 0.01
        default: break
        }
        return accuracy
    }

    func finalLoss(_ config: MLPRun, accuracy: Double) -> Double {
        let rate = config.optimizer.learningRate
        if config.depth == 6, config.width == 16, !config.batchNorm, config.features == .coordinates, config.batchSize == 256,
           let loss = learningRateLoss[rate] {
            return loss
        }
        return 3 * (1 - accuracy) + 0.05
    }

    /// Plain 100-layer nets: layers below 70 get exactly zero; others decay toward the input.
    func gradientNorm(_ config: MLPRun, layer: Int, epoch: Int) -> Double {
        guard config.depth == 100 else { return 0.01 / Double(layer + 1) }
        let distance = Double(config.depth - layer)
        switch (config.batchNorm, config.residual) {
        case (false, false): return layer < 70 ? 0 : pow(10, -3 - distance / 6) * (1 + 0.1 * Double(epoch))
        case (true, false): return pow(10, -2 - distance / 40)
        case (false, true): return pow(10, -2 - distance / 200)
        case (true, true): return pow(10, -2 + distance / 300)
        }
    }

    /// An 8×8 grid over the map, classes in vertical bands.
    func decisionGrid(shift: Int) -> DecisionGrid {
        let resolution = 8
        let classes = (0..<(resolution * resolution)).map { cell in UInt8((cell % resolution * 3 / resolution + shift) % 3) }
        return DecisionGrid(resolution: resolution, longitude: -12.5...42.5, latitude: 33...73, classes: Data(classes))
    }
}

/// 6.1.2-q3 with labels that carry markup, to prove every label is escaped.
struct HostileBatchNormQuestion: Question {
    let id = "6.1.2-q3"
    let title = "Batch normalisation"

    func runs(for settings: StudySettings) -> [QuestionRun<MLPRun>] {
        BatchNormQuestion().runs(for: settings).enumerated().map { index, run in
            QuestionRun(index == 0 ? "<script>alert(1)</script> without" : "with \"batch\" & 'norm'", run.config)
        }
    }

    func analyze(_ groups: [RunGroup<MLPRun>], results: [[RunResult<MLPRun>]], manifest: StudyManifest) -> QuestionAnalysis {
        BatchNormQuestion().analyze(groups, results: results, manifest: manifest)
    }
}

/// Paths and helpers shared by the tests.
enum ReportFixtures {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Templates").standardizedFileURL

    static let build = BuildInfo(toolVersion: "nnreport 0.1.0", gitCommit: "0123456789abcdef0123456789abcdef01234567", gitDirty: true)

    static func temporaryDirectory(_ name: String) -> URL {
        let url = TestFolder.root.appendingPathComponent("nnreport-report-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A copy of the project's templates that a test may edit.
    static func templatesCopy(_ name: String) throws -> URL {
        let folder = temporaryDirectory(name).appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: templates, to: folder)
        return folder
    }

    static func loadTemplates(_ folder: URL = templates) throws -> TemplateSet {
        try TemplateSet.load(from: folder, displayPath: "Templates")
    }

    /// Renders `study` with the project's templates into a site in memory.
    static func site(_ study: FixtureStudy) throws -> Site {
        try ReportRenderer(templates: loadTemplates(), build: build).render(study.input())
    }

    /// The findings of section `id` in `site`'s page, as plain text.
    static func findings(_ site: Site, _ id: String) -> [String] {
        guard let section = section(site.file("index.html")!.text, id),
              let start = section.range(of: "<div class=\"findings\">"),
              let end = section.range(of: "</ul>", range: start.upperBound..<section.endIndex) else { return [] }
        let list = section[start.upperBound..<end.lowerBound]
        return list.components(separatedBy: "<li>").dropFirst().map {
            SiteChecks.unescape(String($0.prefix { $0 != "<" }))
        }
    }

    /// The `<section class="question …" id="q-…">` of question `id`, up to its closing tag.
    static func section(_ html: String, _ id: String) -> String? {
        guard let start = html.range(of: "id=\"q-\(Anchor.make(id))\">") else { return nil }
        let opening = html[..<start.lowerBound].range(of: "<section", options: .backwards)!.lowerBound
        var depth = 0
        var index = opening
        while index < html.endIndex {
            if html[index...].hasPrefix("<section") { depth += 1 }
            if html[index...].hasPrefix("</section>") {
                depth -= 1
                if depth == 0 { return String(html[opening..<html.index(index, offsetBy: 10)]) }
            }
            index = html.index(after: index)
        }
        return nil
    }
}
