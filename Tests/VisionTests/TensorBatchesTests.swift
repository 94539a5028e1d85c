import Engine
import Testing
@testable import Vision

@Suite struct TensorBatchesTests {
    @Test func gatheringBatches() {
        let images = Tensor(shape: [3, 1, 1, 2], values: [0, 1, 2, 3, 4, 5])
        var batch = Tensor(zeros: [0])
        images.gatherItems([2, 0], into: &batch)
        #expect(batch.shape == [2, 1, 1, 2])
        #expect(batch.scalars == [4, 5, 0, 1])
    }
}
