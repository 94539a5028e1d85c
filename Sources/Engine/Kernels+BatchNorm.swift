// Batch-normalisation loops over a tensor viewed as [N, C, S]: N samples, C
// channels, S positions per channel (S = 1 for BatchNorm1d, H·W for BatchNorm2d).
// The formulation follows PyTorch's CPU kernels (aten/src/ATen/native/Normalization.cpp
// and batch_norm_kernel.cpp): statistics in Double, the affine transform folded
// into one multiply-add per element, and the same backward expression.

extension Kernels {
    /// Per-channel mean and biased variance of `x` (two passes, accumulated in Double).
    static func channelStatistics(
        _ x: Tensor, channels: Int, mean: inout [Double], variance: inout [Double]
    ) {
        let samples = x.rows, positions = x.rowSize / channels
        let count = Double(samples * positions)
        let p = x.basePointer
        for c in 0..<channels {
            var sum = 0.0
            for n in 0..<samples {
                let line = p + (n * channels + c) * positions
                for s in 0..<positions { sum += Double(line[s]) }
            }
            let m = sum / count
            var squares = 0.0
            for n in 0..<samples {
                let line = p + (n * channels + c) * positions
                for s in 0..<positions { let d = Double(line[s]) - m; squares += d * d }
            }
            mean[c] = m
            variance[c] = squares / count
        }
    }

    /// `y = (x - mean[c]) · invStd[c] · γ[c] + β[c]`, computed as `x·α + b` with
    /// `α = invStd·γ` and `b = β - mean·α`.
    static func batchNormTransform(
        _ x: Tensor, channels: Int, mean: [Float], invStd: [Float],
        gamma: Tensor, beta: Tensor, into y: inout Tensor
    ) {
        let samples = x.rows, positions = x.rowSize / channels
        y.withUnsafeMutableBufferPointer { out in
            let p = x.basePointer, g = gamma.basePointer, b = beta.basePointer
            for c in 0..<channels {
                let alpha = invStd[c] * g[c]
                let shift = b[c] - mean[c] * alpha
                for n in 0..<samples {
                    let offset = (n * channels + c) * positions
                    for s in 0..<positions { out[offset + s] = p[offset + s] * alpha + shift }
                }
            }
        }
    }

    /// Gradients of batch normalisation.
    ///
    /// With batch statistics (`usedBatchStatistics`), per channel over its M values:
    /// `dx = (dy - mean(dy) - (x - μ)·k)·invStd·γ`, `k = Σ(x-μ)dy · invStd² / M`.
    /// With fixed (running) statistics: `dx = dy·invStd·γ`.
    /// In both cases `dγ += Σ(x-μ)dy · invStd` and `dβ += Σ dy`.
    /// `dx` is written only when `computeInputGradient` is set.
    static func batchNormBackward(
        _ dy: Tensor, input x: Tensor, channels: Int, mean: [Float], invStd: [Float],
        gamma: Tensor, usedBatchStatistics: Bool,
        gammaGradient: inout Tensor, betaGradient: inout Tensor,
        inputGradient: inout Tensor, computeInputGradient: Bool
    ) {
        let samples = x.rows, positions = x.rowSize / channels
        let count = Double(samples * positions)
        let p = x.basePointer, g = dy.basePointer, w = gamma.basePointer
        gammaGradient.withUnsafeMutableBufferPointer { dGamma in
            betaGradient.withUnsafeMutableBufferPointer { dBeta in
                inputGradient.withUnsafeMutableBufferPointer { dx in
                for c in 0..<channels {
                    let mu = mean[c]
                    var sumDy = 0.0, dot = 0.0
                    for n in 0..<samples {
                        let offset = (n * channels + c) * positions
                        for s in 0..<positions {
                            let d = Double(g[offset + s])
                            sumDy += d
                            dot += Double(p[offset + s] - mu) * d
                        }
                    }
                    dGamma[c] += Float(dot * Double(invStd[c]))
                    dBeta[c] += Float(sumDy)
                    guard computeInputGradient else { continue }
                    let scale = invStd[c] * w[c]
                    if usedBatchStatistics {
                        let meanDy = Float(sumDy / count)
                        let k = Float(dot * Double(invStd[c]) * Double(invStd[c]) / count)
                        for n in 0..<samples {
                            let offset = (n * channels + c) * positions
                            for s in 0..<positions {
                                dx[offset + s] = (g[offset + s] - meanDy - (p[offset + s] - mu) * k) * scale
                            }
                        }
                    } else {
                        for n in 0..<samples {
                            let offset = (n * channels + c) * positions
                            for s in 0..<positions { dx[offset + s] = g[offset + s] * scale }
                        }
                    }
                }
                }
            }
        }
    }
}
