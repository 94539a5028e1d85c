import CAllocationCounter
import Testing
import TestSupport
@testable import Engine

/// A training step in steady state allocates nothing: the layers, loss and
/// optimizer reuse buffers sized by the first steps.
///
/// The counter is process-wide: it counts every malloc of every thread. swift-testing
/// runs the other tests of the process (every test target shares one executable) in
/// parallel with this one, so their allocations would land in the measured window;
/// `.serialized` would not help, as it only orders the tests of its own suite. Each
/// case therefore measures inside an exit test, a child process of its own that runs
/// nothing else.
@Suite(
    .tags(.endToEnd),
    .enabled(if: nnr_allocation_counting_available() != 0, "allocation counting needs glibc"),
    // Unoptimised builds keep temporaries optimised builds elide; `make test` builds in release.
    .disabled(if: _isDebugAssertConfiguration(), "meaningful in optimised builds only")
)
struct AllocationTests {
    @Test(arguments: [(false, false, 1), (false, false, 64), (true, true, 64), (true, false, 1)])
    func trainingStepsDoNotAllocate(batchNorm: Bool, residual: Bool, batch: Int) async {
        await #expect(processExitsWith: .success, "batchNorm \(batchNorm) residual \(residual) batch \(batch)") {
            [batchNorm, residual, batch] in
            let allocations = try AllocationTests.allocationsInSteadyState(batchNorm: batchNorm, residual: residual, batch: batch)
            // An issue recorded in the child reaches the parent with its comment but not the
            // values of the expression, so the comment carries the count.
            #expect(allocations == 0, "\(allocations) allocations in 100 steps")
        }
    }

    /// Keeping the test outputs (`Trainer.fit(...keepingTestOutputs:)`) allocates its
    /// buffers once per fit, never per epoch or step: it adds as many allocations to a
    /// fit of 2 epochs as to one of 6.
    @Test func keepingTestOutputsAllocatesOncePerFit() async {
        await #expect(processExitsWith: .success) {
            _ = try AllocationTests.allocationsOfFit(epochs: 1, keepingTestOutputs: true)  // warm-up
            let extra = try [2, 6].map { epochs in
                try Int64(AllocationTests.allocationsOfFit(epochs: epochs, keepingTestOutputs: true))
                    - Int64(AllocationTests.allocationsOfFit(epochs: epochs, keepingTestOutputs: false))
            }
            #expect(extra[0] == extra[1], "\(extra[0]) extra allocations in 2 epochs, \(extra[1]) in 6")
        }
    }

    /// Allocations of one `Trainer.fit` of an MLP on spiral data (test split of 100 rows).
    static func allocationsOfFit(epochs: Int, keepingTestOutputs: Bool) throws -> UInt64 {
        var rng = RNG(seed: 52)
        let train = try TestData.spiral(count: 256, arms: 4, rng: &rng)
        let test = try TestData.spiral(count: 100, arms: 4, rng: &rng)
        let model = try MLPConfig(inputFeatures: 2, classCount: 4, depth: 2, width: 16).makeModel(rng: &rng)
        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters),
                                          inputFeatures: 2, classCount: 4)
        let config = try TrainingConfig(epochs: epochs, batchSize: 32, evaluationBatchSize: 64)
        let before = nnr_allocation_count()
        if keepingTestOutputs {
            _ = try Trainer.fit(session, train: train, validation: test, test: test, keepingTestOutputs: .bestValidationAccuracy,
                                config: config, rng: &rng)
        } else {
            _ = try Trainer.fit(session, train: train, validation: test, test: test, config: config, rng: &rng)
        }
        return nnr_allocation_count() - before
    }

    /// Allocations during 100 training steps after 50 warm-up steps.
    static func allocationsInSteadyState(batchNorm: Bool, residual: Bool, batch: Int) throws -> UInt64 {
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
        return nnr_allocation_count() - before
    }
}
