import CAllocationCounter
import XCTest
@testable import Engine

/// A training step in steady state allocates nothing: the layers, loss and
/// optimizer reuse buffers sized by the first steps.
final class AllocationTests: XCTestCase {
    func testTrainingStepsDoNotAllocate() throws {
        guard nnr_allocation_counting_available() != 0 else { throw XCTSkip("allocation counting needs glibc") }
        // Unoptimised builds keep temporaries optimised builds elide; `make test` builds in release.
        guard !_isDebugAssertConfiguration() else { throw XCTSkip("meaningful in optimised builds only") }
        for (batchNorm, residual, batch) in [(false, false, 1), (false, false, 64), (true, true, 64), (true, false, 1)] {
            var rng = RNG(seed: 51)
            let data = try TestData.spiral(count: 256, arms: 4, rng: &rng)
            let model = try MLPConfig(inputFeatures: 2, classCount: 4, depth: 4, width: 16, batchNorm: batchNorm, residual: residual)
                .makeModel(rng: &rng)
            let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters),
                                              inputFeatures: 2, classCount: 4)
            let order = Array(0..<256)
            // The warm-up sizes every buffer and lets OpenBLAS start its worker threads.
            for step in 0..<50 { _ = session.step(on: data, order: order, start: step * batch % 192, count: batch) }
            let before = nnr_allocation_count()
            for step in 0..<100 { _ = session.step(on: data, order: order, start: step * batch % 192, count: batch) }
            let allocations = nnr_allocation_count() - before
            XCTAssertEqual(allocations, 0, "batchNorm \(batchNorm) residual \(residual) batch \(batch)")
        }
    }
}
