import Datasets
import Engine
import Foundation

extension MLPRun {
    /// Trains the MLP on the map (on one core: the scheduler runs many of these side by side).
    public func execute(_ context: UnitContext) throws -> MLPOutcome {
        let data = try context.inputs.map()
        let splits = data.splits(features)
        let root = RNG(seed: seed)
        var initRNG = root.derive(1), shuffleRNG = root.derive(2)
        let model = try model(classCount: data.points.classCount).makeModel(rng: &initRNG)
        let parameters = model.allParameters
        let optimizer: any Optimizer = switch self.optimizer.kind {
        case .adam: try Adam(parameters: parameters, learningRate: Float(self.optimizer.learningRate))
        case .sgd: try SGD(parameters: parameters, learningRate: Float(self.optimizer.learningRate),
                           momentum: Float(self.optimizer.momentum))
        }
        let session = try TrainingSession(model: model, optimizer: optimizer, inputFeatures: splits.train.featureCount,
                                          classCount: data.points.classCount)
        let epochs = self.epochs
        // The model at its best epoch so far (highest validation accuracy, earliest on
        // ties), kept for the map: the map and its test predictions describe the model
        // whose numbers the report gives.
        var best: (accuracy: Double, epoch: Int, state: ModelState)?
        let history = try FloatingPointMode.withSubnormalsFlushed {
            try Trainer.fit(session, train: splits.train, validation: splits.validation, test: splits.test,
                            config: try TrainingConfig(epochs: epochs, batchSize: batchSize),
                            rng: &shuffleRNG, onEpoch: { metrics in
                                context.progress(Double(metrics.epoch) / Double(max(epochs, 1)))
                                let accuracy = metrics.validation?.accuracy ?? 0
                                if decisionGrid != nil, best == nil || accuracy > best!.accuracy {
                                    best = (accuracy, metrics.epoch, ModelState(model))
                                }
                            })
        }
        let bestEpoch = history.bestEpoch ?? 0

        var grid: DecisionGrid?, testPredictions: Data?
        if let resolution = decisionGrid, history.divergence == nil, let best {
            precondition(best.epoch == bestEpoch, "the kept model is from epoch \(best.epoch), the best is \(bestEpoch)")
            best.state.restore(into: model)
            grid = Self.decisionGrid(model, resolution: resolution, data: data, features: features)
            testPredictions = Data(model.predictClasses(splits.test.features).map { UInt8(truncatingIfNeeded: $0) })
        }
        return MLPOutcome(parameterCount: parameters.reduce(0) { $0 + $1.value.count }, history: history, bestEpoch: bestEpoch,
                          decisionGrid: grid, testPredictions: testPredictions)
    }

    /// Predicted class at the centre of every cell of a `resolution`² grid over the data.
    static func decisionGrid(_ model: any Layer, resolution: Int, data: MapData, features: FeatureMap) -> DecisionGrid {
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
