import Engine
import Foundation

/// 2-D convolution over NCHW float32 batches with PyTorch's `nn.Conv2d` semantics
/// (square kernel, stride and zero padding; no dilation or groups).
///
/// `y[n, o, oh, ow] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[n, c, oh·s - p + i, ow·s - p + j]`,
/// with `Ho = ⌊(H + 2p - k)/s⌋ + 1` (likewise `Wo`).
///
/// Computed with SGEMM over chunks of images that run on the cores in parallel (see
/// `ConvolutionPass`): each chunk's input is unfolded into columns `X [C·k·k, n·Ho·Wo]`
/// (im2col), then `Y = W·X` with `W` viewed as `[O, C·k·k]`. Backward folds
/// `dX = Wᵀ·dY` back onto the input chunk by chunk (col2im) when asked, and
/// accumulates `dW += dY·Xᵀ` over the whole batch, unfolding the input again.
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
    /// The patch table of the last geometry that needed one.
    private var patchTable: PatchTable?
    /// The tap plan of the last geometry computed by taps.
    private var tapPlan: TapPlan?
    /// Winograd's transformed weights, or the weights regrouped by taps
    /// (`ConvolutionPass.transformedWeightCount`), from the last forward pass, which the
    /// input gradient uses too.
    private var transformedWeights = Tensor(zeros: [0])
    /// The algorithm and the weights' `contentVersion` that `transformedWeights` were
    /// made from in the last inference-mode pass: the next one reuses the transform
    /// while the weights are unchanged (an evaluation runs batch after batch on the same
    /// weights). No algorithm after a training-mode pass, whose weights the optimizer changes.
    private var transformAlgorithm: ConvolutionAlgorithm?
    private var transformVersion: UInt64 = 0

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
        let g = geometry(height: input.shape[2], width: input.shape[3])
        precondition(g.outputHeight > 0 && g.outputWidth > 0, "\(summary) got input \(input.shape), too small")
        let pass = self.pass(g, batch: input.shape[0])
        output.resize(pass.batch, outputChannels, g.outputHeight, g.outputWidth)
        let lanes = pass.parts(for: pass.chunks(in: pass.batch))
        workspace.laneColumns.resize(rows: lanes * pass.laneColumnsStride)
        workspace.laneStaging.resize(rows: lanes * pass.laneStagingStride)
        transformedWeights.resize(rows: pass.transformedWeightCount)
        let transforms = pass.transformedWeightCount > 0
        let reusesTransform = mode == .inference && transforms && transformAlgorithm == pass.algorithm
            && transformVersion == weight.value.contentVersion
        let clock = workspace.clock
        let gemmSeconds = input.withUnsafeBufferPointer { x in
            weight.value.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { y in
                    workspace.laneColumns.withUnsafeMutableBufferPointer { columns in
                        workspace.laneStaging.withUnsafeMutableBufferPointer { staging in
                            transformedWeights.withUnsafeMutableBufferPointer { transformed in
                                withBias { b in
                                    pass.forward(ForwardData(x: x.baseAddress!, w: w.baseAddress!, bias: b,
                                                             y: y.baseAddress!, columns: columns.baseAddress!,
                                                             staging: staging.baseAddress!,
                                                             transformed: transforms ? transformed.baseAddress! : nil,
                                                             transformsWeights: !reusesTransform),
                                                 runner: workspace.runner, clock: clock)
                                }
                            }
                        }
                    }
                }
            }
        }
        if mode == .training { self.input = input }
        if transforms && !reusesTransform {
            transformAlgorithm = mode == .inference ? pass.algorithm : nil
            transformVersion = weight.value.contentVersion
        }
        workspace.record(flops: forwardFlops(g, images: pass.batch), gemmSeconds: gemmSeconds, since: started)
        return output
    }

    // dy: [N, O, Ho, Wo] -> dx: [N, C, H, W]; dW += Σ_n dY·Xᵀ, db += Σ dy
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        let started = workspace.now
        precondition(input.rank == 4 && outputGradient.shape[0] == input.shape[0],
                     "\(summary): backward without a matching training-mode forward")
        let g = geometry(height: input.shape[2], width: input.shape[3])
        let pass = self.pass(g, batch: input.shape[0])
        let updateWeights = !weight.isFrozen
        let group = workspace.imagesPerGroup(elementsPerImage: elementsPerImage(g, pass.algorithm),
                                             chunk: pass.chunk, batch: pass.batch)
        let sizes = pass.backwardBufferSizes(images: group, weightGradient: updateWeights)
        let lanes = pass.parts(for: pass.chunks(in: group))
        workspace.columns.resize(rows: sizes.columns)
        workspace.channelMajor.resize(rows: sizes.channelMajor)
        workspace.laneColumns.resize(rows: lanes * pass.laneColumnsStride)
        workspace.laneStaging.resize(rows: lanes * pass.laneStagingStride)
        workspace.weightProducts.resize(rows: updateWeights ? pass.weightProductCount : 0)
        if needsInputGradient { inputGradient.resize(like: input) }
        if let bias, !bias.isFrozen {
            outputGradient.withUnsafeBufferPointer { dy in
                bias.gradient.withUnsafeMutableBufferPointer { db in
                    Im2Col.accumulateChannelSums(dy.baseAddress!, images: pass.batch, channels: outputChannels,
                                                 positions: pass.positions, into: db.baseAddress!)
                }
            }
        }
        let turns = needsInputGradient && pass.winograd == .four
        workspace.turnedWeights.resize(rows: turns ? pass.weightProductCount : 0)
        if turns {
            // F(4x4, 3x3)'s input gradient needs the turned kernels' transforms (see winograd4.c).
            weight.value.withUnsafeBufferPointer { w in
                workspace.turnedWeights.withUnsafeMutableBufferPointer { t in
                    pass.transformWeights(WeightTransform(w: w.baseAddress!, u: t.baseAddress!, turned: true),
                                          runner: workspace.runner, clock: workspace.clock)
                }
            }
        }
        let gemmSeconds = updateWeights || needsInputGradient
            ? backwardGroups(pass, group: group, outputGradient, weightGradient: updateWeights,
                             inputGradient: needsInputGradient)
            : 0
        var flops = updateWeights ? forwardFlops(g, images: pass.batch) : 0
        if needsInputGradient { flops += forwardFlops(g, images: pass.batch) }
        input = Self.released
        workspace.record(flops: flops, gemmSeconds: gemmSeconds, since: started)
        return needsInputGradient ? inputGradient : nil
    }

    /// Runs `pass.backward` over the batch in groups of `group` images; returns the SGEMM seconds.
    private func backwardGroups(_ pass: ConvolutionPass, group: Int, _ outputGradient: Tensor,
                                weightGradient: Bool, inputGradient wantsInputGradient: Bool) -> Double {
        let clock = workspace.clock
        var gemmSeconds = 0.0
        input.withUnsafeBufferPointer { x in
            outputGradient.withUnsafeBufferPointer { dy in
                weight.value.withUnsafeBufferPointer { w in
                    weight.gradient.withUnsafeMutableBufferPointer { dw in
                        inputGradient.withUnsafeMutableBufferPointer { dx in
                            transformedWeights.withUnsafeBufferPointer { transformed in
                            withBuffers { buffers in
                                var first = 0
                                while first < pass.batch {
                                    let images = min(group, pass.batch - first)
                                    let data = BackwardData(
                                        groupFirst: first, groupImages: images, x: x.baseAddress!, dy: dy.baseAddress!,
                                        w: w.baseAddress!, dw: weightGradient ? dw.baseAddress! : nil,
                                        dx: wantsInputGradient ? dx.baseAddress! : nil,
                                        transformed: pass.transformedWeightCount > 0 ? transformed.baseAddress! : nil,
                                        buffers: buffers)
                                    gemmSeconds += pass.backward(data, runner: workspace.runner, clock: clock)
                                    first += images
                                }
                            }
                            }
                        }
                    }
                }
            }
        }
        return gemmSeconds
    }

    /// The pass over `batch` images of `g`, with the layer's patch table or tap plan for
    /// `g` (built on the first call with that geometry). A pass by taps runs the batch
    /// as one chunk: its products are split by taps and blocks of channels instead.
    private func pass(_ g: ConvolutionGeometry, batch: Int) -> ConvolutionPass {
        let algorithm = ConvolutionAlgorithm.choice(for: g, winograd: workspace.winograd,
                                                    taps: workspace.tapProducts) { g in
            if tapPlan?.geometry != g { tapPlan = TapPlan(g) }
            return tapPlan!
        }
        let table = algorithm == .im2col && Im2Col.usesTable(g)
        if table && patchTable?.geometry != g { patchTable = PatchTable(g) }
        let chunk = if case .taps = algorithm { batch } else {
            workspace.imagesPerChunk(elementsPerImage: elementsPerImage(g, algorithm), batch: batch)
        }
        return ConvolutionPass(
            geometry: g, outputChannels: outputChannels, batch: batch, chunk: chunk,
            table: table ? patchTable : nil, cores: workspace.cores, threads: workspace.cores.count,
            algorithm: algorithm)
    }

    /// Floats per image of a chunk's column matrix, of its transformed tiles, or of its
    /// inputs gathered by taps.
    private func elementsPerImage(_ g: ConvolutionGeometry, _ algorithm: ConvolutionAlgorithm) -> Int {
        switch algorithm {
        case .im2col: g.patchSize * g.outputPositions
        case .winograd(let tile): tile.points * max(g.channels, outputChannels) * tile.tiles(g)
        case .taps(let plan): g.channels * plan.entries
        }
    }

    /// Calls `body` with the workspace's backward buffers.
    private func withBuffers(_ body: (ConvolutionBuffers) -> Void) {
        workspace.laneColumns.withUnsafeMutableBufferPointer { laneColumns in
            workspace.laneStaging.withUnsafeMutableBufferPointer { laneStaging in
                workspace.columns.withUnsafeMutableBufferPointer { columns in
                    workspace.channelMajor.withUnsafeMutableBufferPointer { channelMajor in
                        workspace.weightProducts.withUnsafeMutableBufferPointer { products in
                            workspace.turnedWeights.withUnsafeMutableBufferPointer { turned in
                                body(ConvolutionBuffers(
                                    laneColumns: laneColumns.baseAddress!, laneStaging: laneStaging.baseAddress!,
                                    columns: columns.baseAddress!, channelMajor: channelMajor.baseAddress!,
                                    weightProducts: products.baseAddress!, turnedWeights: turned.baseAddress!))
                            }
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with the bias values, or nil without bias.
    private func withBias<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let bias else { return body(nil) }
        return bias.value.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Replaces the cached input after backward, so the previous layer's buffer is unique again.
    private static let released = Tensor(zeros: [0])
}
