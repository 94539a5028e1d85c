import Testing
import TestSupport
@testable import Engine

@Suite(.tags(.errors))
struct ArgumentTests {
    private func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    @Test func zeroSizesAreRejected() {
        var rng = RNG(seed: 1)
        #expect(message { _ = try Linear(0, 4, rng: &rng) }.contains("Linear(0, 4) needs positive input and output sizes"))
        #expect(message { _ = try MLPConfig(inputFeatures: 2, classCount: 3, depth: 2, width: 0).makeModel(rng: &rng) }
            .contains("width must be positive"))
        #expect(message { _ = try MLPConfig(inputFeatures: 2, classCount: 1, depth: 2, width: 4).makeModel(rng: &rng) }
            .contains("at least two classes"))
        #expect(message { _ = try TrainingConfig(epochs: 1, batchSize: 0) }.contains("batch size must be positive"))
    }

    @Test func emptyDataIsRejected() throws {
        var rng = RNG(seed: 2)
        let model = try MLPConfig(inputFeatures: 2, classCount: 2, depth: 1, width: 4).makeModel(rng: &rng)
        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters),
                                          inputFeatures: 2, classCount: 2)
        let empty = try LabeledData(features: Tensor(zeros: [0, 2]), labels: [], classCount: 2)
        #expect(message { _ = try Trainer.fit(session, train: empty, config: try TrainingConfig(epochs: 1, batchSize: 4), rng: &rng) }
                == "invalid data: the training split has no rows")
    }

    @Test func mismatchedShapesAreRejected() throws {
        var rng = RNG(seed: 3)
        #expect(message { _ = try LabeledData(features: Tensor(zeros: [3, 2]), labels: [0, 1], classCount: 2) }
                == "invalid data: 3 feature rows but 2 labels")
        #expect(message { _ = try LabeledData(features: Tensor(zeros: [2, 2]), labels: [0, 5], classCount: 3) }
                == "invalid data: label 5 of row 1 is outside 0..<3")
        #expect(message { _ = try LabeledData(features: Tensor(shape: [1, 2], values: [0, .nan]), labels: [0], classCount: 2) }
                == "invalid data: feature 1 of row 0 is not finite")

        let model = try MLPConfig(inputFeatures: 2, classCount: 3, depth: 1, width: 4).makeModel(rng: &rng)
        #expect(message { _ = try TrainingSession(model: model, optimizer: try Adam(parameters: []), inputFeatures: 3, classCount: 3) }
            .contains("layer 0 (Linear(2, 4)): Linear(2, 4) expects input [N, 2], got [1, 3]"))
        #expect(message { _ = try TrainingSession(model: model, optimizer: try Adam(parameters: []), inputFeatures: 2, classCount: 4) }
            .contains("expected [N, 4]"))

        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters), inputFeatures: 2, classCount: 3)
        let wide = try LabeledData(features: Tensor(zeros: [4, 5]), labels: [0, 1, 2, 0], classCount: 3)
        #expect(message { _ = try Trainer.fit(session, train: wide, config: try TrainingConfig(epochs: 1, batchSize: 2), rng: &rng) }
                == "shape mismatch: the training split has 5 features, the model takes 2")
    }

    @Test func residualNeedsShapePreservingBlock() throws {
        var rng = RNG(seed: 4)
        let block = Residual(try Linear(3, 4, rng: &rng))
        #expect(message { _ = try block.outputShape(for: [2, 3]) }.contains("needs a block that keeps the shape"))
    }
}
