/// Softmax cross-entropy averaged over the batch, as `torch.nn.CrossEntropyLoss()`.
///
/// `loss = mean_i [log Σ_k exp(z_ik) - z_i,y_i]`, computed with the row maximum
/// subtracted (log-sum-exp), so large logits do not overflow. The gradient with
/// respect to the logits is `(softmax(z) - onehot(y)) / N`.
public final class SoftmaxCrossEntropy {
    private var gradientBuffer = Tensor(zeros: [0, 0])
    /// One row of exponentials when no gradient is wanted.
    private var scratch = Tensor(zeros: [0])

    public init() {}

    /// Mean loss and number of correct arg-max predictions of `logits` (`[N, K]`).
    public func evaluate(logits: Tensor, labels: ArraySlice<Int32>) -> (loss: Double, correct: Int) {
        Self.check(logits: logits, labelCount: labels.count)
        if scratch.count < logits.rowSize { scratch = Tensor(zeros: [logits.rowSize]) }
        return labels.withUnsafeBufferPointer { y in
            scratch.withUnsafeMutableBufferPointer { row in
                Kernels.softmaxCrossEntropy(logits: logits, labels: y, gradient: nil, scratch: row.baseAddress!)
            }
        }
    }

    /// Mean loss, correct count, and the gradient with respect to `logits`, which
    /// stays valid until the next call.
    public func lossAndGradient(logits: Tensor, labels: ArraySlice<Int32>) -> (loss: Double, correct: Int, gradient: Tensor) {
        Self.check(logits: logits, labelCount: labels.count)
        gradientBuffer.resize(like: logits)
        if scratch.count < logits.rowSize { scratch = Tensor(zeros: [logits.rowSize]) }
        let result = labels.withUnsafeBufferPointer { y in
            gradientBuffer.withUnsafeMutableBufferPointer { g in
                scratch.withUnsafeMutableBufferPointer { row in
                    Kernels.softmaxCrossEntropy(logits: logits, labels: y, gradient: g.baseAddress, scratch: row.baseAddress!)
                }
            }
        }
        return (result.loss, result.correct, gradientBuffer)
    }

    private static func check(logits: Tensor, labelCount: Int) {
        precondition(logits.rank == 2 && logits.rows == labelCount && logits.rowSize > 0,
                     "cross-entropy of logits \(logits.shape) against \(labelCount) labels")
    }
}

/// Fraction of rows whose arg-max equals the label.
public func accuracy(logits: Tensor, labels: ArraySlice<Int32>) -> Double {
    guard !labels.isEmpty else { return 0 }
    let correct = SoftmaxCrossEntropy().evaluate(logits: logits, labels: labels).correct
    return Double(correct) / Double(labels.count)
}
