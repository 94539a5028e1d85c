import Foundation
import Testing
import TestSupport
@testable import Engine

/// `Sequential` runs a Linear layer followed by a ReLU as one pass
/// (`Linear.forwardReLU`): the product without the bias, then bias and ReLU together.
/// It must give the bits of the two layers one after the other, in every shape the
/// study trains, in training and in evaluation.
struct FusedLinearReLUTests {
    /// Part 6's nets: 2 inputs, widths 4 to 64 (narrow kernels and OpenBLAS), 33 classes,
    /// with and without batch norm and residual blocks.
    static let configs = [
        MLPConfig(inputFeatures: 2, classCount: 33, depth: 1, width: 4),
        MLPConfig(inputFeatures: 2, classCount: 33, depth: 3, width: 8),
        MLPConfig(inputFeatures: 2, classCount: 33, depth: 2, width: 16),
        MLPConfig(inputFeatures: 4, classCount: 33, depth: 6, width: 32),
        MLPConfig(inputFeatures: 2, classCount: 33, depth: 6, width: 64),
        MLPConfig(inputFeatures: 2, classCount: 33, depth: 4, width: 16, batchNorm: true, residual: true),
        MLPConfig(inputFeatures: 2, classCount: 33, depth: 4, width: 64, residual: true),
    ]

    /// The same layers, each in a Sequential of its own, so none is fused.
    static func unfused(_ model: Sequential) -> Sequential {
        Sequential(model.layers.map { layer in
            if let inner = layer as? Residual, let body = inner.body as? Sequential { return Residual(unfused(body)) }
            return Sequential([layer])
        })
    }

    @Test(arguments: configs)
    func forwardGivesTheBitsOfTheTwoLayers(config: MLPConfig) throws {
        var rng = RNG(seed: 7)
        let model = try config.makeModel(rng: &rng)
        let reference = Self.unfused(model)
        for rows in [1, 2, 7, 16, 256, 1000, 1024] {
            let input = Tensor(shape: [rows, config.inputFeatures],
                               values: (0..<(rows * config.inputFeatures)).map { _ in rng.uniform(-3, 3) })
            for mode in [Mode.training, .inference] {
                let fused = model.forward(input, mode: mode).withUnsafeBufferPointer { $0.map(\.bitPattern) }
                let plain = reference.forward(input, mode: mode).withUnsafeBufferPointer { $0.map(\.bitPattern) }
                #expect(fused == plain, "\(config.summary), \(rows) rows, \(mode)")
            }
        }
    }

    /// Training with the fused forward gives the history of training without it.
    @Test(arguments: [configs[2], configs[4], configs[5]])
    func trainingGivesTheSameHistory(config: MLPConfig) throws {
        func train(fusing: Bool) throws -> TrainingHistory {
            var dataRNG = RNG(seed: 3)
            let data = try TestData.spiral(count: 300, arms: 3, rng: &dataRNG)
            let shaped = try LabeledData(features: data.features, labels: data.labels, classCount: 33)
            var rng = RNG(seed: 11)
            let built = try MLPConfig(inputFeatures: 2, classCount: 33, depth: config.depth, width: config.width,
                                      batchNorm: config.batchNorm, residual: config.residual).makeModel(rng: &rng)
            let model = fusing ? built : Self.unfused(built)
            let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters, learningRate: 0.01),
                                              inputFeatures: 2, classCount: 33)
            return try Trainer.fit(session, train: shaped, validation: shaped,
                                   config: try TrainingConfig(epochs: 2, batchSize: 17), rng: &rng)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(train(fusing: true)) == encoder.encode(train(fusing: false)))
    }
}
