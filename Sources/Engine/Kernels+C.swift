// The engine's kernels written in C (Sources/CKernels): compiled for SSE2 and AVX2 and
// chosen when the program loads (on x86-64 Linux; one portable copy elsewhere), with
// bit-identical results. This is the one file that imports them.

import CKernels
import Support

extension Kernels {
    /// Mean softmax cross-entropy of `logits` (`[N, K]`) against `labels`, and optionally
    /// its gradient `(softmax - onehot) / N` written to `gradient`.
    ///
    /// Uses log-sum-exp with the row maximum subtracted, so large logits do not overflow.
    /// Returns the mean loss (accumulated in Double) and the number of rows whose
    /// arg-max (first maximum on ties, as `torch.argmax`) equals the label.
    /// `scratch` holds at least K floats when `gradient` is nil.
    static func softmaxCrossEntropy(
        logits: Tensor, labels: UnsafeBufferPointer<Int32>, gradient: UnsafeMutablePointer<Float>?,
        scratch: UnsafeMutablePointer<Float>
    ) -> (loss: Double, correct: Int) {
        // In C, compiled for SSE2 and AVX2 with bit-identical results (CKernels.h): the
        // exponentials of every logit are the bulk of a Part 6 run's own arithmetic.
        var total = 0.0
        var correct: Int64 = 0
        nnreport_softmax_cross_entropy(logits.basePointer, Int64(logits.rows), Int64(logits.rowSize), labels.baseAddress,
                                       gradient, scratch, &total, &correct)
        // A NaN or infinite logit makes the row's loss NaN, so the trainer sees the divergence.
        return (logits.rows == 0 ? 0 : total / Double(logits.rows), Int(correct))
    }

    /// One Adam step on one tensor (Kingma & Ba, arXiv:1412.6980, PyTorch's form):
    /// `g += λ·p`; `m = lerp(m, g, 1-β₁)`; `v = β₂·v + (1-β₂)·g²`;
    /// `p += -stepSize · m / (√v / √(1-β₂ᵗ) + ε)` with `stepSize = lr / (1-β₁ᵗ)`.
    static func adamStep(
        value: inout Tensor, gradient: Tensor, firstMoment: inout Tensor, secondMoment: inout Tensor,
        stepSize: Float, biasCorrection2Root: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float,
        work: AdamWork
    ) {
        let count = value.count
        precondition(gradient.count == count && firstMoment.count == count && secondMoment.count == count,
                     "Adam step on \(value.shape) with gradient \(gradient.shape)")
        value.withUnsafeMutableBufferPointer { p in
            firstMoment.withUnsafeMutableBufferPointer { m in
                secondMoment.withUnsafeMutableBufferPointer { v in
                    let step = AdamWork.Step(p: p.baseAddress!, g: gradient.basePointer, m: m.baseAddress!,
                                             v: v.baseAddress!, count: count, stepSize: stepSize,
                                             biasCorrection2Root: biasCorrection2Root, beta1: beta1, beta2: beta2,
                                             epsilon: epsilon, weightDecay: weightDecay)
                    work.run(step)
                }
            }
        }
    }
}

/// Splits one tensor's Adam update into contiguous shares of its elements on a core
/// budget (each element's update is independent, so the bits do not depend on the
/// split); one per optimizer, reused, so a step allocates nothing.
final class AdamWork: ParallelWork {
    struct Step {
        let p: UnsafeMutablePointer<Float>
        let g: UnsafePointer<Float>
        let m: UnsafeMutablePointer<Float>
        let v: UnsafeMutablePointer<Float>
        let count: Int
        let stepSize, biasCorrection2Root, beta1, beta2, epsilon, weightDecay: Float

        func run(_ range: Range<Int>) {
            let i = range.lowerBound
            nnreport_adam_step(p + i, g + i, m + i, v + i, Int64(range.count), stepSize, biasCorrection2Root,
                               beta1, beta2, epsilon, weightDecay)
        }
    }

    /// Elements per part at least (a smaller update is not worth handing to a thread).
    static let minimumPerPart = 1 << 16

    var cores: CoreBudget
    private var step: Step?
    /// The calling thread's subnormal mode, which the worker threads take for the call.
    private var flushesSubnormals = false

    init(cores: CoreBudget) { self.cores = cores }

    /// Runs `step` over its elements in as many parts as the budget and the size allow.
    func run(_ step: Step) {
        // A tensor too small for two parts (every MLP's) without reading the budget: at
        // batch 1 an MLP's step updates 14 of them in ~8 µs.
        guard step.count >= 2 * Self.minimumPerPart else { return step.run(0..<step.count) }
        let parts = CoreBudget.parts(work: step.count, cores: cores.count, minimumPerPart: Self.minimumPerPart)
        guard parts > 1 else { return step.run(0..<step.count) }
        self.step = step
        flushesSubnormals = FloatingPointMode.flushesSubnormalsToZero
        defer { self.step = nil }
        cores.run(parts: parts, self)
    }

    func run(part: Int, parts: Int) {
        guard let step else { return }
        FloatingPointMode.with(flushingSubnormals: flushesSubnormals) {
            step.run(CoreBudget.share(of: step.count, part: part, parts: parts))
        }
    }
}
