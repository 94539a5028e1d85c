import Datasets
import Engine
import Foundation

/// Trains one run from its config: the only place where a `RunConfig` becomes a
/// model, an optimizer and a training loop.
public enum RunExecutor {
    /// Trains `config` on `data` and returns its result. `onEpoch` receives the index
    /// of each finished epoch (0 = initial evaluation), for progress reporting.
    public static func execute(_ config: RunConfig, data: StudyData, key: String,
                               onEpoch: (Int) -> Void = { _ in }) throws -> RunResult {
        let started = DispatchTime.now().uptimeNanoseconds
        let splits = data.splits(config.features)
        let root = RNG(seed: config.seed)
        var initRNG = root.derive(1), shuffleRNG = root.derive(2)
        let model = try config.model(classCount: data.points.classCount).makeModel(rng: &initRNG)
        let parameters = model.allParameters
        let optimizer: any Optimizer = switch config.optimizer.kind {
        case .adam: try Adam(parameters: parameters, learningRate: Float(config.optimizer.learningRate))
        case .sgd: try SGD(parameters: parameters, learningRate: Float(config.optimizer.learningRate),
                           momentum: Float(config.optimizer.momentum))
        }
        let session = try TrainingSession(model: model, optimizer: optimizer, inputFeatures: splits.train.featureCount,
                                          classCount: data.points.classCount)
        let history = try FloatingPointMode.withSubnormalsFlushed {
            try Trainer.fit(session, train: splits.train, validation: splits.validation, test: splits.test,
                            config: try TrainingConfig(epochs: config.epochs, batchSize: config.batchSize),
                            rng: &shuffleRNG, onEpoch: { onEpoch($0.epoch) })
        }
        let bestEpoch = history.epochs.max { a, b in
            (a.validation?.accuracy ?? 0, -a.epoch) < (b.validation?.accuracy ?? 0, -b.epoch)
        }?.epoch ?? 0

        var grid: DecisionGrid?, testPredictions: Data?
        if let resolution = config.decisionGrid, history.divergence == nil {
            grid = decisionGrid(model, resolution: resolution, data: data, features: config.features)
            testPredictions = Data(model.predictClasses(splits.test.features).map { UInt8(truncatingIfNeeded: $0) })
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return RunResult(key: key, config: config, dataHash: data.points.contentHash, dataSource: data.points.source,
                         engineVersion: EngineVersion.current, parameterCount: parameters.reduce(0) { $0 + $1.value.count },
                         history: history, bestEpoch: bestEpoch, decisionGrid: grid, testPredictions: testPredictions,
                         wallSeconds: seconds, finishedAt: ISO8601DateFormatter().string(from: Date()))
    }

    /// Predicted class at the centre of every cell of a `resolution`² grid over the data.
    static func decisionGrid(_ model: any Layer, resolution: Int, data: StudyData, features: FeatureMap) -> DecisionGrid {
        let bounds = data.gridBounds
        var grid = DecisionGrid(resolution: resolution, longitude: bounds.longitude, latitude: bounds.latitude, classes: Data())
        var points = [Float]()
        points.reserveCapacity(resolution * resolution * 2)
        for row in 0..<resolution {
            for column in 0..<resolution {
                let (x, y) = grid.center(row: row, column: column)
                points += [Float(x), Float(y)]
            }
        }
        var input = Tensor(shape: [resolution * resolution, 2], values: points)
        if features == .sine { input = SineFeatures.transform(input) }
        grid.classes = Data(model.predictClasses(input).map { UInt8(truncatingIfNeeded: $0) })
        return grid
    }
}
