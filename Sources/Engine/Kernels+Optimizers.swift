// Parameter-update loops (Adam's is in C, see Kernels+C.swift). Each follows the
// element-wise expression of PyTorch's single-tensor implementation
// (torch/optim/sgd.py, torch/optim/adam.py) in the same operation order, so a step
// rounds the way PyTorch's does.

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
}
