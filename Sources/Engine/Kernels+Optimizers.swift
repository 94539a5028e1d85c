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
        let count = value.count
        let g = gradient.basePointer
        let lerpWeight = 1 - beta1
        value.withUnsafeMutableBufferPointer { p in
            firstMoment.withUnsafeMutableBufferPointer { m in
                secondMoment.withUnsafeMutableBufferPointer { v in
                    for i in 0..<count {
                        var grad = g[i]
                        if weightDecay != 0 { grad += weightDecay * p[i] }
                        // torch.lerp: start + w·(end - start) for w < 0.5, else end - (end - start)·(1 - w)
                        m[i] = lerpWeight < 0.5
                            ? m[i] + lerpWeight * (grad - m[i])
                            : grad - (grad - m[i]) * (1 - lerpWeight)
                        v[i] = v[i] * beta2 + (1 - beta2) * grad * grad
                        let denominator = v[i].squareRoot() / biasCorrection2Root + epsilon
                        p[i] += -stepSize * (m[i] / denominator)
                    }
                }
            }
        }
    }
}
