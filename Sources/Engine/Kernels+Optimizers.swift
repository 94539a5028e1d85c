// Parameter-update loops. Each follows the element-wise expression of PyTorch's
// single-tensor implementation (torch/optim/sgd.py, torch/optim/adam.py) in the
// same operation order, so a step rounds the way PyTorch's does.

extension Kernels {
    /// One SGD step on one tensor:
    /// `d = g + λ·p`; with momentum `b = μ·b + (1-τ)·d` (`b = d` on the first step),
    /// `d = b` or, Nesterov, `d = d + μ·b`; then `p -= lr·d`.
    static func sgdStep(
        value: inout Tensor, gradient: Tensor, momentumBuffer: inout Tensor, isFirstStep: Bool,
        learningRate: Float, momentum: Float, dampening: Float, weightDecay: Float, nesterov: Bool
    ) {
        let count = value.count
        let g = gradient.basePointer
        value.withUnsafeMutableBufferPointer { p in
            momentumBuffer.withUnsafeMutableBufferPointer { b in
                for i in 0..<count {
                    var d = g[i]
                    if weightDecay != 0 { d += weightDecay * p[i] }
                    if momentum != 0 {
                        b[i] = isFirstStep ? d : b[i] * momentum + (1 - dampening) * d
                        d = nesterov ? d + momentum * b[i] : b[i]
                    }
                    p[i] += -learningRate * d
                }
            }
        }
    }

    /// One Adam step on one tensor (Kingma & Ba, arXiv:1412.6980, PyTorch's form):
    /// `g += λ·p`; `m = lerp(m, g, 1-β₁)`; `v = β₂·v + (1-β₂)·g²`;
    /// `p += -stepSize · m / (√v / √(1-β₂ᵗ) + ε)` with `stepSize = lr / (1-β₁ᵗ)`.
    static func adamStep(
        value: inout Tensor, gradient: Tensor, firstMoment: inout Tensor, secondMoment: inout Tensor,
        stepSize: Float, biasCorrection2Root: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    ) {
        let count = value.count, end = vectorEnd(count)
        let g = gradient.basePointer
        let w = 1 - beta1
        // torch.lerp(start, end, w): start + w·(end - start) for w < 0.5, else end - (end - start)·(1 - w)
        let lerpFromStart = w < 0.5
        value.withUnsafeMutableBufferPointer { pBuffer in
            firstMoment.withUnsafeMutableBufferPointer { mBuffer in
                secondMoment.withUnsafeMutableBufferPointer { vBuffer in
                    let p = pBuffer.baseAddress!, m = mBuffer.baseAddress!, v = vBuffer.baseAddress!
                    var i = 0
                    while i < end {
                        var grad = load(g, i)
                        if weightDecay != 0 { grad += weightDecay * load(p, i) }
                        let m0 = load(m, i)
                        let m1 = lerpFromStart ? m0 + w * (grad - m0) : grad - (grad - m0) * (1 - w)
                        let v1 = load(v, i) * beta2 + (1 - beta2) * grad * grad
                        let denominator = v1.squareRoot() / biasCorrection2Root + epsilon
                        store(m1, m, i)
                        store(v1, v, i)
                        store(load(p, i) + -stepSize * (m1 / denominator), p, i)
                        i += lanes
                    }
                    while i < count {
                        var grad = g[i]
                        if weightDecay != 0 { grad += weightDecay * p[i] }
                        m[i] = lerpFromStart ? m[i] + w * (grad - m[i]) : grad - (grad - m[i]) * (1 - w)
                        v[i] = v[i] * beta2 + (1 - beta2) * grad * grad
                        let denominator = v[i].squareRoot() / biasCorrection2Root + epsilon
                        p[i] += -stepSize * (m[i] / denominator)
                        i += 1
                    }
                }
            }
        }
    }
}
