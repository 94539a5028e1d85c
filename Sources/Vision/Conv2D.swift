import Engine

/// 2-D convolution over NCHW float32 batches with PyTorch's `nn.Conv2d` semantics
/// (square kernel, stride and zero padding; no dilation or groups).
///
/// `y[n, o, oh, ow] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[n, c, oh·s - p + i, ow·s - p + j]`,
/// with `Ho = ⌊(H + 2p - k)/s⌋ + 1` (likewise `Wo`).
///
/// Computed as one SGEMM per group of images: the input is unfolded into columns
/// `X [C·k·k, n·Ho·Wo]` (im2col), then `Y = W·X` with `W` viewed as `[O, C·k·k]`.
/// Backward accumulates `dW += dY·Xᵀ` over the batch (with the columns kept from
/// the forward pass when the workspace's cache budget allows, else unfolded again)
/// and, when asked, folds `dX = Wᵀ·dY` back onto the input (col2im).
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
    private var cachedColumns = Tensor(zeros: [0])
    private var columnsCached = false

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
        // Training keeps the whole batch's columns for backward when the workspace's
        // budget allows, instead of unfolding the input a second time.
        columnsCached = mode == .training && !weight.isFrozen && group == batch
            && workspace.reserveColumnCache(for: self, elements: patch * batch * positions)
        if columnsCached {
            cachedColumns.resize(to: [patch * batch * positions])
        } else if !(g.isPointwise && group == 1) {
            workspace.columns.resize(to: [patch * group * positions])
        }
        if group > 1 { workspace.channelMajor.resize(to: [outChannels * group * positions]) }
        let threads = Parallel.threadCount
        input.withUnsafeBufferPointer { x in
            weight.value.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    var first = 0
                    while first < batch {
                        let images = min(group, batch - first)
                        let image = x.baseAddress! + first * inputChannels * g.height * g.width
                        let target = y.baseAddress! + first * outChannels * positions
                        withColumns { columnBuffer in
                            let columns: UnsafePointer<Float>
                            if g.isPointwise && images == 1 && !columnsCached {
                                columns = image
                            } else {
                                Im2Col.unfold(image, images: images, geometry: g, into: columnBuffer, threads: threads)
                                columns = UnsafePointer(columnBuffer)
                            }
                            if images == 1 {
                                // One image: the product lands in NCHW order directly.
                                workspace.timingGEMM { BLAS.gemm(transposeA: false, transposeB: false, m: outChannels, n: positions, k: patch,
                                          alpha: 1, a: w.baseAddress!, lda: patch, b: columns, ldb: positions,
                                          beta: 0, c: target, ldc: positions) }
                            } else {
                                workspace.channelMajor.withUnsafeMutableBufferPointer { staging in
                                    workspace.timingGEMM { BLAS.gemm(transposeA: false, transposeB: false,
                                              m: outChannels, n: images * positions, k: patch, alpha: 1,
                                              a: w.baseAddress!, lda: patch, b: columns, ldb: images * positions,
                                              beta: 0, c: staging.baseAddress!, ldc: images * positions) }
                                    Im2Col.scatterChannels(staging.baseAddress!, images: images, channels: outChannels,
                                                           positions: positions, into: target, threads: threads)
                                }
                            }
                        }
                        first += images
                    }
                    if let bias {
                        bias.value.withUnsafeBufferPointer { b in
                            Im2Col.addChannelBias(b.baseAddress!, images: batch, channels: outChannels,
                                                  positions: positions, to: y.baseAddress!)
                        }
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
        let group = columnsCached ? batch : workspace.imagesPerGroup(elementsPerImage: patch * positions, batch: batch)
        if !columnsCached { workspace.columns.resize(to: [patch * group * positions]) }
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
        let threads = Parallel.threadCount
        let imageStride = inputChannels * g.height * g.width
        input.withUnsafeBufferPointer { x in
            outputGradient.withUnsafeBufferPointer { dy in
                weight.value.withUnsafeBufferPointer { w in
                    weight.gradient.withUnsafeMutableBufferPointer { dw in
                        inputGradient.withUnsafeMutableBufferPointer { dx in
                            var first = 0
                            while first < batch {
                                let images = min(group, batch - first), n = images * positions
                                let image = x.baseAddress! + first * imageStride
                                let gradient = dy.baseAddress! + first * outChannels * positions
                                withColumns { columns in
                                    let dyMatrix: UnsafePointer<Float>
                                    if images == 1 {
                                        dyMatrix = gradient
                                    } else {
                                        dyMatrix = workspace.channelMajor.withUnsafeMutableBufferPointer { staging in
                                            Im2Col.gatherChannels(gradient, images: images, channels: outChannels,
                                                                  positions: positions, into: staging.baseAddress!,
                                                                  threads: threads)
                                            return UnsafePointer(staging.baseAddress!)
                                        }
                                    }
                                    if updateWeights {
                                        let xMatrix: UnsafePointer<Float>
                                        if columnsCached {
                                            xMatrix = UnsafePointer(columns)
                                        } else if g.isPointwise && images == 1 {
                                            xMatrix = image
                                        } else {
                                            Im2Col.unfold(image, images: images, geometry: g, into: columns, threads: threads)
                                            xMatrix = UnsafePointer(columns)
                                        }
                                        workspace.timingGEMM { BLAS.gemm(transposeA: false, transposeB: true, m: outChannels, n: patch, k: n,
                                                  alpha: 1, a: dyMatrix, lda: n, b: xMatrix, ldb: n,
                                                  beta: 1, c: dw.baseAddress!, ldc: patch) }
                                    }
                                    if needsInputGradient {
                                        // The column matrix is no longer needed: its gradient takes its place.
                                        workspace.timingGEMM { BLAS.gemm(transposeA: true, transposeB: false, m: patch, n: n, k: outChannels,
                                                  alpha: 1, a: w.baseAddress!, lda: patch, b: dyMatrix, ldb: n,
                                                  beta: 0, c: columns, ldc: n) }
                                        Im2Col.fold(columns, images: images, geometry: g,
                                                    into: dx.baseAddress! + first * imageStride, threads: threads)
                                    }
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

    /// Calls `body` with the column buffer of this call: the layer's own cache in
    /// training when the budget allowed it, else the shared workspace's.
    private func withColumns(_ body: (UnsafeMutablePointer<Float>) -> Void) {
        if columnsCached {
            cachedColumns.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
        } else {
            workspace.columns.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
        }
    }

    /// Replaces the cached input after backward, so the previous layer's buffer is unique again.
    private static let released = Tensor(zeros: [0])
}
