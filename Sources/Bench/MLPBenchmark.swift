import Engine
import Foundation
import Support

/// Training throughput of the study's MLPs, for `nnreport bench mlp`.
///
/// Each case trains on random 2-feature, 16-class data with Adam. Steps are
/// timed after a warm-up that sizes every buffer, so the figure is steady-state
/// speed; allocations during the timed steps are counted when the host process
/// provides a counter.
public struct MLPBenchmark {
    /// One measured configuration.
    public struct Case: Sendable {
        public var name: String
        public var model: MLPConfig
        public var batchSize: Int
    }

    /// What one case achieved.
    public struct Measurement: Codable, Sendable {
        public var name: String
        public var batch: Int
        public var stepsPerSecond: Double
        public var samplesPerSecond: Double
        /// Heap allocations per timed step, or nil when they could not be counted.
        public var allocationsPerStep: Double?

        enum CodingKeys: String, CodingKey {
            case name, batch
            case stepsPerSecond = "steps_per_s"
            case samplesPerSecond = "samples_per_s"
            case allocationsPerStep = "allocations_per_step"
        }
    }

    /// The cases of issue #2: 6x16 at batch 1, 16, 128, 1024 with and without
    /// BatchNorm, and the 100x4 net at batch 256.
    public static let standardCases: [Case] = {
        var cases: [Case] = []
        for batchNorm in [false, true] {
            for batch in [1, 16, 128, 1024] {
                cases.append(Case(
                    name: batchNorm ? "mlp-6x16-bn" : "mlp-6x16",
                    model: MLPConfig(inputFeatures: 2, classCount: 16, depth: 6, width: 16, batchNorm: batchNorm),
                    batchSize: batch))
            }
        }
        cases.append(Case(name: "mlp-100x4", model: MLPConfig(inputFeatures: 2, classCount: 16, depth: 100, width: 4),
                          batchSize: 256))
        return cases
    }()

    public var secondsPerCase: Double
    /// Returns the process's allocation count so far, if available.
    public var allocationCounter: (() -> UInt64)?

    public init(secondsPerCase: Double = 1.0, allocationCounter: (() -> UInt64)? = nil) {
        self.secondsPerCase = secondsPerCase
        self.allocationCounter = allocationCounter
    }

    /// Trains one case for about `secondsPerCase` seconds and reports its speed.
    public func measure(_ benchCase: Case) throws -> Measurement {
        try FloatingPointMode.withSubnormalsFlushed { try measureFlushed(benchCase) }
    }

    private func measureFlushed(_ benchCase: Case) throws -> Measurement {
        var rng = RNG(seed: 1)
        let rows = max(benchCase.batchSize * 64, 16_384)
        let features = (0..<(rows * 2)).map { i in i % 2 == 0 ? rng.uniform(-10, 40) : rng.uniform(35, 71) }
        let labels = (0..<rows).map { _ in Int32(rng.index(below: benchCase.model.classCount)) }
        let data = try LabeledData(features: Tensor(shape: [rows, 2], values: features), labels: labels,
                                   classCount: benchCase.model.classCount)
        let model = try benchCase.model.makeModel(rng: &rng)
        let session = try TrainingSession(model: model, optimizer: try Adam(parameters: model.allParameters),
                                          inputFeatures: 2, classCount: benchCase.model.classCount)
        var order = Array(0..<rows)
        rng.shuffle(&order)
        let batch = benchCase.batchSize
        let batchesPerPass = rows / batch
        var cursor = 0
        func runSteps(_ count: Int) {
            for _ in 0..<count {
                _ = session.step(on: data, order: order, start: cursor * batch, count: batch)
                cursor = (cursor + 1) % batchesPerPass
            }
        }

        runSteps(min(batchesPerPass, 200))
        // Calibrate a step count for the time budget, then time it as one block.
        var probeSteps = 16
        var elapsed = 0.0
        while true {
            let started = DispatchTime.now().uptimeNanoseconds
            runSteps(probeSteps)
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            if elapsed > 0.05 { break }
            probeSteps *= 4
        }
        let steps = max(1, Int(Double(probeSteps) * secondsPerCase / elapsed))
        let allocationsBefore = allocationCounter?()
        let started = DispatchTime.now().uptimeNanoseconds
        runSteps(steps)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let allocations = allocationCounter.map { Double($0() - allocationsBefore!) / Double(steps) }
        return Measurement(name: benchCase.name, batch: batch, stepsPerSecond: Double(steps) / seconds,
                           samplesPerSecond: Double(steps * batch) / seconds, allocationsPerStep: allocations)
    }

    /// GFLOP/s of square SGEMMs of `size` on the budget's cores, timed over about
    /// `seconds`: each core multiplies its own block of columns, as the convolutions
    /// split their chunks, so the figure is the rate the model's layers could reach.
    public static func sgemmGigaflops(size: Int = 1024, seconds: Double = 1.0, cores: CoreBudget = .single) -> Double {
        var rng = RNG(seed: 2)
        let a = Tensor(shape: [size, size], values: (0..<(size * size)).map { _ in rng.uniform(-1, 1) })
        let b = Tensor(shape: [size, size], values: (0..<(size * size)).map { _ in rng.uniform(-1, 1) })
        let product = BlockProduct(a: a, b: b, size: size)
        let parts = min(cores.count, size)
        cores.run(parts: parts, product)
        var calls = 0
        let started = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            cores.run(parts: parts, product)
            calls += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        } while elapsed < seconds
        return 2 * Double(size * size * size) * Double(calls) / elapsed / 1e9
    }
}

/// `c = a · b` for square matrices, each part computing its own block of columns of `c`.
private final class BlockProduct: ParallelWork {
    let a: Tensor, b: Tensor
    let size: Int
    let c: UnsafeMutablePointer<Float>

    init(a: Tensor, b: Tensor, size: Int) {
        (self.a, self.b, self.size) = (a, b, size)
        c = .allocate(capacity: size * size)
        c.initialize(repeating: 0, count: size * size)
    }

    deinit { c.deallocate() }

    func run(part: Int, parts: Int) {
        let columns = CoreBudget.share(of: size, part: part, parts: parts)
        a.withUnsafeBufferPointer { left in
            b.withUnsafeBufferPointer { right in
                BLAS.gemm(transposeA: false, transposeB: false, m: size, n: columns.count, k: size, alpha: 1,
                          a: left.baseAddress!, lda: size, b: right.baseAddress! + columns.lowerBound, ldb: size,
                          beta: 0, c: c + columns.lowerBound, ldc: size)
            }
        }
    }
}
