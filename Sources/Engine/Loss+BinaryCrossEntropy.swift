/// Binary cross-entropy on logits averaged over the batch, as
/// `torch.nn.BCEWithLogitsLoss()` with 0/1 targets.
///
/// For a logit `z` and target `y ∈ {0, 1}`:
/// `loss = max(z, 0) - z·y + log(1 + exp(-|z|))`, the numerically stable form of
/// `-[y·log σ(z) + (1-y)·log(1-σ(z))]`; its gradient is `(σ(z) - y) / N`.
/// The predicted class is 1 when `z > 0` (σ(z) > 0.5), else 0.
///
/// Logits are `[N, 1]` (the output of a `Linear(d, 1)` head) or `[N]`.
public final class BinaryCrossEntropyWithLogits {
    private var gradientBuffer = Tensor(zeros: [0, 1])

    public init() {}

    /// Mean loss and number of correct predictions of `logits` against 0/1 `labels`.
    public func evaluate(logits: Tensor, labels: ArraySlice<Int32>) -> (loss: Double, correct: Int) {
        Self.check(logits: logits, labels: labels)
        return labels.withUnsafeBufferPointer { y in Self.compute(logits: logits, labels: y, gradient: nil) }
    }

    /// Mean loss, correct count, and the gradient with respect to `logits` (same
    /// shape), which stays valid until the next call.
    public func lossAndGradient(
        logits: Tensor, labels: ArraySlice<Int32>
    ) -> (loss: Double, correct: Int, gradient: Tensor) {
        Self.check(logits: logits, labels: labels)
        gradientBuffer.resize(like: logits)
        let result = labels.withUnsafeBufferPointer { y in
            gradientBuffer.withUnsafeMutableBufferPointer { g in
                Self.compute(logits: logits, labels: y, gradient: g.baseAddress)
            }
        }
        return (result.loss, result.correct, gradientBuffer)
    }

    /// σ(z) = 1 / (1 + e^-z), computed on the side that cannot overflow: the
    /// probability of class 1 a logit stands for.
    public static func sigmoid(_ z: Float) -> Float {
        z >= 0 ? 1 / (1 + expf(-z)) : expf(z) / (1 + expf(z))
    }

    private static func check(logits: Tensor, labels: ArraySlice<Int32>) {
        precondition((logits.rank == 2 && logits.shape[1] == 1) || logits.rank == 1,
                     "binary cross-entropy needs logits [N, 1] or [N], got \(logits.shape)")
        precondition(logits.count == labels.count,
                     "binary cross-entropy of \(logits.count) logits against \(labels.count) labels")
        precondition(labels.allSatisfy { $0 == 0 || $0 == 1 }, "binary cross-entropy needs 0/1 labels")
    }

    private static func compute(
        logits: Tensor, labels: UnsafeBufferPointer<Int32>, gradient: UnsafeMutablePointer<Float>?
    ) -> (loss: Double, correct: Int) {
        let count = logits.count
        let z = logits.basePointer
        let inverseCount = 1 / Float(max(count, 1))
        var total = 0.0
        var correct = 0
        for index in 0..<count {
            let logit = z[index], target = Float(labels[index])
            total += Double(max(logit, 0) - logit * target + log1pf(expf(-abs(logit))))
            if (logit > 0 ? 1 : 0) == labels[index] { correct += 1 }
            if let gradient {
                gradient[index] = (sigmoid(logit) - target) * inverseCount
            }
        }
        // A NaN logit makes the loss NaN, which the caller reports as divergence.
        return (count == 0 ? 0 : total / Double(count), correct)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
