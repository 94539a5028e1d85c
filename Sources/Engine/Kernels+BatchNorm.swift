// Batch-normalisation loops over a tensor viewed as [N, C, S]: N samples, C
// channels, S positions per channel (S = 1 for BatchNorm1d, H·W for BatchNorm2d).
// The formulation follows PyTorch's CPU kernels (aten/src/ATen/native/
// batch_norm.cpp and cpu/batch_norm_kernel.cpp): statistics in Double, the
// affine transform folded into one multiply-add per element, and the same
// backward expression. With S = 1 the loops run along rows, vectorised over
// channels; otherwise along each channel's contiguous positions.

/// Per-channel scratch space for batch normalisation, allocated once per layer.
struct BatchNormWorkspace {
    var sumA: [Double]
    var sumB: [Double]
    var alpha: [Float]
    var shift: [Float]
    var coefficient: [Float]
    /// Splits the per-channel loops of BatchNorm2d over the layer's cores.
    let work = BatchNormWork(cores: .single)

    init(channels: Int) {
        sumA = Array(repeating: 0, count: channels)
        sumB = Array(repeating: 0, count: channels)
        alpha = Array(repeating: 0, count: channels)
        shift = Array(repeating: 0, count: channels)
        coefficient = Array(repeating: 0, count: channels)
    }
}

extension Kernels {
    /// Per-channel mean and biased variance of `x` (two passes, accumulated in Double).
    static func channelStatistics(
        _ x: Tensor, channels: Int, work: BatchNormWork, mean: inout [Double], variance: inout [Double]
    ) {
        let samples = x.rows, positions = x.rowSize / channels
        let count = Double(samples * positions)
        let p = x.basePointer
        mean.withUnsafeMutableBufferPointer { meanBuffer in
            variance.withUnsafeMutableBufferPointer { varianceBuffer in
                let mu = meanBuffer.baseAddress!, squares = varianceBuffer.baseAddress!
                if positions == 1 {
                    mu.update(repeating: 0, count: channels)
                    squares.update(repeating: 0, count: channels)
                    for n in 0..<samples { accumulateRow(p + n * channels, into: mu, count: channels) }
                    for c in 0..<channels { mu[c] /= count }
                    for n in 0..<samples {
                        accumulateSquaredDeviations(p + n * channels, from: mu, into: squares, count: channels)
                    }
                    for c in 0..<channels { squares[c] /= count }
                } else {
                    work.run(BatchNormPlanes(x: p, samples: samples, channels: channels, positions: positions),
                             .statistics(mean: mu, variance: squares))
                }
            }
        }
    }

    /// `y = (x - mean[c]) · invStd[c] · γ[c] + β[c]`, computed as `x·α + shift` with
    /// `α = invStd·γ` and `shift = β - mean·α`; then `+ residual` when given and
    /// `max(·, 0)` when `relu` (or a residual), plane by plane while it is in cache: the
    /// same bits as `Kernels.addReLU` or `relu` over the whole output after.
    static func batchNormTransform(
        _ x: Tensor, channels: Int, mean: [Float], invStd: [Float],
        gamma: Tensor, beta: Tensor, workspace: inout BatchNormWorkspace,
        adding residual: Tensor? = nil, relu: Bool = false, into y: inout Tensor
    ) {
        let samples = x.rows, positions = x.rowSize / channels
        precondition(residual.map { $0.count == x.count } ?? true, "adding \(residual!.shape) to \(x.shape)")
        let g = gamma.basePointer, b = beta.basePointer
        for c in 0..<channels {
            workspace.alpha[c] = invStd[c] * g[c]
            workspace.shift[c] = b[c] - mean[c] * workspace.alpha[c]
        }
        workspace.alpha.withUnsafeBufferPointer { alphaBuffer in
            workspace.shift.withUnsafeBufferPointer { shiftBuffer in
                let alpha = alphaBuffer.baseAddress!, shift = shiftBuffer.baseAddress!
                y.withUnsafeMutableBufferPointer { out in
                    let p = x.basePointer, o = out.baseAddress!
                    if positions == 1 && residual == nil && !relu {
                        for n in 0..<samples {
                            multiplyAdd(p + n * channels, alpha, shift, into: o + n * channels, count: channels)
                        }
                    } else {
                        workspace.work.run(BatchNormPlanes(x: p, samples: samples, channels: channels, positions: positions),
                                           .transform(alpha: alpha, shift: shift, residual: residual?.basePointer,
                                                      relu: relu, y: o))
                    }
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
        gamma: Tensor, usedBatchStatistics: Bool, workspace: inout BatchNormWorkspace,
        gammaGradient: inout Tensor, betaGradient: inout Tensor,
        inputGradient: inout Tensor, computeInputGradient: Bool
    ) {
        let samples = x.rows, positions = x.rowSize / channels
        let count = Double(samples * positions)
        let p = x.basePointer, g = dy.basePointer, w = gamma.basePointer
        let work = workspace.work
        let planes = BatchNormPlanes(x: p, samples: samples, channels: channels, positions: positions)
        // sumA: Σ dy, sumB: Σ (x - μ)·dy, per channel.
        for c in 0..<channels { workspace.sumA[c] = 0; workspace.sumB[c] = 0 }
        mean.withUnsafeBufferPointer { meanBuffer in
            workspace.sumA.withUnsafeMutableBufferPointer { sumDyBuffer in
                workspace.sumB.withUnsafeMutableBufferPointer { dotBuffer in
                    let mu = meanBuffer.baseAddress!, sumDy = sumDyBuffer.baseAddress!, dot = dotBuffer.baseAddress!
                    if positions == 1 {
                        for n in 0..<samples {
                            accumulateGradientSums(x: p + n * channels, dy: g + n * channels, mean: mu,
                                                   sumDy: sumDy, dot: dot, count: channels)
                        }
                    } else {
                        work.run(planes, .gradientSums(dy: g, mean: mu, sumDy: sumDy, dot: dot))
                    }
                }
            }
        }
        gammaGradient.withUnsafeMutableBufferPointer { dGamma in
            betaGradient.withUnsafeMutableBufferPointer { dBeta in
                for c in 0..<channels {
                    dGamma[c] += Float(workspace.sumB[c] * Double(invStd[c]))
                    dBeta[c] += Float(workspace.sumA[c])
                }
            }
        }
        guard computeInputGradient else { return }
        // dx = dy·scale - (meanDy·scale + (x - μ)·k·scale): alpha = scale, shift = meanDy, coefficient = k
        for c in 0..<channels {
            workspace.alpha[c] = invStd[c] * w[c]
            workspace.shift[c] = usedBatchStatistics ? Float(workspace.sumA[c] / count) : 0
            workspace.coefficient[c] = usedBatchStatistics
                ? Float(workspace.sumB[c] * Double(invStd[c]) * Double(invStd[c]) / count) : 0
        }
        mean.withUnsafeBufferPointer { meanBuffer in
            workspace.alpha.withUnsafeBufferPointer { scaleBuffer in
                workspace.shift.withUnsafeBufferPointer { meanDyBuffer in
                    workspace.coefficient.withUnsafeBufferPointer { kBuffer in
                        inputGradient.withUnsafeMutableBufferPointer { out in
                            let mu = meanBuffer.baseAddress!, scale = scaleBuffer.baseAddress!
                            let meanDy = meanDyBuffer.baseAddress!, k = kBuffer.baseAddress!
                            let dx = out.baseAddress!
                            if positions == 1 {
                                for n in 0..<samples {
                                    let offset = n * channels
                                    normalisedGradientRow(x: p + offset, dy: g + offset, mean: mu, meanDy: meanDy, k: k,
                                                          scale: scale, into: dx + offset, count: channels)
                                }
                            } else {
                                work.run(planes, .inputGradient(dy: g, mean: mu, meanDy: meanDy, k: k, scale: scale,
                                                                dx: dx))
                            }
                        }
                    }
                }
            }
        }
    }
}
