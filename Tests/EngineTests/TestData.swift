@testable import Engine

/// Small seeded data sets for training tests.
enum TestData {
    /// Points in [-1, 1]² labelled by the sign of x·y (XOR of the two signs).
    static func xor(count: Int, rng: inout RNG) throws -> LabeledData {
        var features: [Float] = [], labels: [Int32] = []
        for _ in 0..<count {
            let x = rng.uniform(-1, 1), y = rng.uniform(-1, 1)
            features += [x, y]
            labels.append(x * y > 0 ? 1 : 0)
        }
        return try LabeledData(features: Tensor(shape: [count, 2], values: features), labels: labels, classCount: 2)
    }

    /// Two or more interleaved spiral arms, `count` points in all.
    static func spiral(count: Int, arms: Int, noise: Float = 0.05, rng: inout RNG) throws -> LabeledData {
        var features: [Float] = [], labels: [Int32] = []
        for index in 0..<count {
            let arm = index % arms
            let t = rng.uniform(0.1, 1)
            let angle = Double(t) * 3.5 + Double(arm) * 2 * Double.pi / Double(arms)
            features.append(t * Float(cos(angle)) + noise * rng.uniform(-1, 1))
            features.append(t * Float(sin(angle)) + noise * rng.uniform(-1, 1))
            labels.append(Int32(arm))
        }
        return try LabeledData(features: Tensor(shape: [count, 2], values: features), labels: labels, classCount: arms)
    }
}

#if canImport(Glibc)
import Glibc
#endif
