import Engine

/// 2-D convolution over NCHW float32 batches with PyTorch's `nn.Conv2d` semantics
/// (square kernel, stride and zero padding; no dilation or groups).
///
/// `y[n, o, oh, ow] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[n, c, oh·s - p + i, ow·s - p + j]`,
/// with `Ho = ⌊(H + 2p - k)/s⌋ + 1` (likewise `Wo`).
///
/// Computed as one SGEMM per group of images: the input is unfolded into columns
/// `X [C·k·k, n·Ho·Wo]` (im2col), then `Y = W·X` with `W` viewed as `[O, C·k·k]`.
/// Backward recomputes the columns, accumulates `dW += dY·Xᵀ` over the batch and,
/// when asked, folds `dX = Wᵀ·dY` back onto the input (col2im).
///
/// Initialisation as PyTorch's default: weight and bias uniform in `±1/√(C·k·k)`.
public final class Conv2D: Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    /// `[O, C, k, k]`.
    public let weight: Parameter
    /// `[O]`, or nil for a convolution without bias (as in ResNet).
    public let bias: Parameter?
    /// Scratch memory, shared with the other convolutions of the same model.
    public let workspace: ConvolutionWorkspace

    private var input = Tensor(zeros: [0])
    private var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])

    /// - Parameters:
    ///   - inputChannels, outputChannels: `C` and `O`; positive.
    ///   - kernelSize, stride, padding: `k` and `s` positive, `p` non-negative.
    ///   - bias: whether to add a learned bias per output channel.
    ///   - rng: generator for the initial weights.
    ///   - workspace: scratch buffers; pass one workspace to all the layers of a model.
    public init(_ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, rng: inout RNG, workspace: ConvolutionWorkspace = ConvolutionWorkspace()) throws {
        guard inputChannels > 0, outputChannels > 0, kernelSize > 0, stride > 0, padding >= 0 else {
            throw EngineError.invalidArgument(
                "Conv2d(\(inputChannels), \(outputChannels), kernel \(kernelSize), stride \(stride), padding \(padding))"
                + " needs positive channels, kernel and stride and a non-negative padding")
        }
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.workspace = workspace
        let fanIn = inputChannels * kernelSize * kernelSize
        let bound = 1 / Float(fanIn).squareRoot()
        let weights = (0..<(outputChannels * fanIn)).map { _ in rng.uniform(-bound, bound) }
        weight = Parameter(name: "weight", value: Tensor(
            shape: [outputChannels, inputChannels, kernelSize, kernelSize], values: weights))
        if bias {
            let biases = (0..<outputChannels).map { _ in rng.uniform(-bound, bound) }
            self.bias = Parameter(name: "bias", value: Tensor(shape: [outputChannels], values: biases))
        } else {
            self.bias = nil
        }
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public var summary: String {
        "Conv2d(\(inputChannels), \(outputChannels), kernel_size=\(kernelSize), stride=\(stride), padding=\(padding)"
            + (bias == nil ? ", bias=False)" : ")")
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4, inputShape[1] == inputChannels else {
            throw EngineError.shapeMismatch("\(summary) expects input [N, \(inputChannels), H, W], got \(inputShape)")
        }
        let g = geometry(height: inputShape[2], width: inputShape[3])
        guard inputShape[2] + 2 * padding >= kernelSize, inputShape[3] + 2 * padding >= kernelSize else {
            throw EngineError.shapeMismatch(
                "\(summary): input \(inputShape[2])x\(inputShape[3]) is smaller than the kernel after padding")
        }
        return [inputShape[0], outputChannels, g.outputHeight, g.outputWidth]
    }

    func geometry(height: Int, width: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(channels: inputChannels, height: height, width: width,
                            kernel: kernelSize, stride: stride, padding: padding)
    }

    /// Floating-point operations of one forward pass over `images` images of `g`.
    func forwardFlops(_ g: ConvolutionGeometry, images: Int) -> Double {
        2 * Double(outputChannels) * Double(g.patchSize) * Double(images * g.outputPositions)
    }

    // x: [N, C, H, W] -> y: [N, O, Ho, Wo]
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.rank == 4 && input.shape[1] == inputChannels, "\(summary) got input \(input.shape)")
        let started = workspace.now
        let batch = input.shape[0]
        let g = geometry(height: input.shape[2], width: input.shape[3])
        precondition(g.outputHeight > 0 && g.outputWidth > 0, "\(summary) got input \(input.shape), too small")
        let positions = g.outputPositions, patch = g.patchSize, outChannels = outputChannels
        output.resize(to: [batch, outChannels, g.outputHeight, g.outputWidth])
        let group = workspace.imagesPerGroup(elementsPerImage: patch * positions, batch: batch)
        let workspace = workspace, threads = Parallel.threadCount
        if !(g.isPointwise && group == 1) { workspace.columns.resize(to: [patch * group * positions]) }
        if group > 1 { workspace.channelMajor.resize(to: [outChannels * group * positions]) }
        let biasValue = bias?.value
        input.withUnsafeBufferPointer { x in
            weight.value.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    var first = 0
                    while first < batch {
                        let images = min(group, batch - first)
                        let image = x.baseAddress! + first * inputChannels * g.height * g.width
                        let target = y.baseAddress! + first * outChannels * positions
                        let columns: UnsafePointer<Float>
                        if g.isPointwise && images == 1 {
                            columns = image
                        } else {
                            columns = workspace.columns.withUnsafeMutableBufferPointer { buffer in
                                Im2Col.unfold(image, images: images, geometry: g, into: buffer.baseAddress!, threads: threads)
                                return UnsafePointer(buffer.baseAddress!)
                            }
                        }
                        if images == 1 {
                            // One image: the product lands in NCHW order directly.
                            BLAS.gemm(transposeA: false, transposeB: false, m: outChannels, n: positions, k: patch,
                                      alpha: 1, a: w.baseAddress!, lda: patch, b: columns, ldb: positions,
                                      beta: 0, c: target, ldc: positions)
                            if let biasValue {
                                biasValue.withUnsafeBufferPointer { b in
                                    for o in 0..<outChannels {
                                        let line = target + o * positions
                                        for q in 0..<positions { line[q] += b[o] }
                                    }
                                }
                            }
                        } else {
                            workspace.channelMajor.withUnsafeMutableBufferPointer { staging in
                                BLAS.gemm(transposeA: false, transposeB: false,
                                          m: outChannels, n: images * positions, k: patch,
                                          alpha: 1, a: w.baseAddress!, lda: patch, b: columns, ldb: images * positions,
                                          beta: 0, c: staging.baseAddress!, ldc: images * positions)
                                if let biasValue {
                                    biasValue.withUnsafeBufferPointer { b in
                                        Im2Col.scatterChannels(staging.baseAddress!, images: images, channels: outChannels,
                                                               positions: positions, bias: b.baseAddress!, into: target)
                                    }
                                } else {
                                    Im2Col.scatterChannels(staging.baseAddress!, images: images, channels: outChannels,
                                                           positions: positions, bias: nil, into: target)
                                }
                            }
                        }
                        first += images
                    }
                }
            }
        }
        if mode == .training { self.input = input }
        workspace.record(flops: forwardFlops(g, images: batch), since: started)
        return output
    }

    // dy: [N, O, Ho, Wo] -> dx: [N, C, H, W]; dW += Σ_n dY·Xᵀ, db += Σ dy
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        let started = workspace.now
        let batch = input.shape[0]
        precondition(input.rank == 4 && outputGradient.shape[0] == batch,
                     "\(summary): backward without a matching training-mode forward")
        let g = geometry(height: input.shape[2], width: input.shape[3])
        let positions = g.outputPositions, patch = g.patchSize, outChannels = outputChannels
        let updateWeights = !weight.isFrozen
        let group = workspace.imagesPerGroup(elementsPerImage: patch * positions, batch: batch)
        let workspace = workspace, threads = Parallel.threadCount
        workspace.columns.resize(to: [patch * group * positions])
        if group > 1 { workspace.channelMajor.resize(to: [outChannels * group * positions]) }
        if needsInputGradient { inputGradient.resize(like: input) }
        if let bias, !bias.isFrozen {
            outputGradient.withUnsafeBufferPointer { dy in
                bias.gradient.withUnsafeMutableBufferPointer { db in
                    Im2Col.accumulateChannelSums(dy.baseAddress!, images: batch, channels: outChannels,
                                                 positions: positions, into: db.baseAddress!)
                }
            }
        }
        let wantsInputGradient = needsInputGradient
        input.withUnsafeBufferPointer { x in
            outputGradient.withUnsafeBufferPointer { dy in
                weight.value.withUnsafeBufferPointer { w in
                    weight.gradient.withUnsafeMutableBufferPointer { dw in
                        inputGradient.withUnsafeMutableBufferPointer { dx in
                            var first = 0
                            while first < batch {
                                let images = min(group, batch - first)
                                let imageStride = inputChannels * g.height * g.width
                                let image = x.baseAddress! + first * imageStride
                                let gradient = dy.baseAddress! + first * outChannels * positions
                                let columns = workspace.columns.withUnsafeMutableBufferPointer { $0.baseAddress! }
                                let dyMatrix: UnsafePointer<Float>
                                if images == 1 {
                                    dyMatrix = gradient
                                } else {
                                    dyMatrix = workspace.channelMajor.withUnsafeMutableBufferPointer { staging in
                                        Im2Col.gatherChannels(gradient, images: images, channels: outChannels,
                                                              positions: positions, into: staging.baseAddress!)
                                        return UnsafePointer(staging.baseAddress!)
                                    }
                                }
                                let n = images * positions
                                if updateWeights {
                                    let xMatrix: UnsafePointer<Float>
                                    if g.isPointwise && images == 1 {
                                        xMatrix = image
                                    } else {
                                        Im2Col.unfold(image, images: images, geometry: g, into: columns, threads: threads)
                                        xMatrix = UnsafePointer(columns)
                                    }
                                    BLAS.gemm(transposeA: false, transposeB: true, m: outChannels, n: patch, k: n,
                                              alpha: 1, a: dyMatrix, lda: n, b: xMatrix, ldb: n,
                                              beta: 1, c: dw.baseAddress!, ldc: patch)
                                }
                                if wantsInputGradient {
                                    BLAS.gemm(transposeA: true, transposeB: false, m: patch, n: n, k: outChannels,
                                              alpha: 1, a: w.baseAddress!, lda: patch, b: dyMatrix, ldb: n,
                                              beta: 0, c: columns, ldc: n)
                                    Im2Col.fold(columns, images: images, geometry: g,
                                                into: dx.baseAddress! + first * imageStride, threads: threads)
                                }
                                first += images
                            }
                        }
                    }
                }
            }
        }
        var flops = updateWeights ? forwardFlops(g, images: batch) : 0
        if needsInputGradient { flops += forwardFlops(g, images: batch) }
        input = Self.released
        workspace.record(flops: flops, since: started)
        return needsInputGradient ? inputGradient : nil
    }

    /// Replaces the cached input after backward, so the previous layer's buffer is unique again.
    private static let released = Tensor(zeros: [0])
}
