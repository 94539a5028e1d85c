import Engine
import Support

/// Max pooling over square windows with PyTorch's `nn.MaxPool2d` semantics
/// (no dilation, `ceil_mode=False`): padding counts as −∞, so it is never chosen;
/// on ties the first maximum in row-major window order wins, and a NaN wins over
/// any number, as in PyTorch's CPU kernel. The gradient goes to the chosen element.
///
/// ResNet uses kernel 3, stride 2, padding 1.
public final class MaxPool2D: Layer {
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int

    private var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])
    private var inputShape: [Int] = []
    /// Flat index within its input plane of each output's maximum.
    private var argmax: [Int32] = []
    /// One −∞-bordered plane per thread for the kernel.
    private var scratch = Tensor(zeros: [0])
    private let work = MaxPoolWork()
    /// The cores the layer splits its planes over.
    public var cores: CoreBudget

    /// - Parameters:
    ///   - kernelSize: window side, positive.
    ///   - stride: step between windows (PyTorch's default is the kernel size).
    ///   - padding: implicit −∞ border, at most half the kernel (PyTorch's rule).
    ///   - cores: the budget its planes are split over.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, cores: CoreBudget = .single) throws {
        let stride = stride ?? kernelSize
        guard kernelSize > 0, stride > 0, padding >= 0, 2 * padding <= kernelSize else {
            throw EngineError.invalidArgument(
                "MaxPool2d(kernel \(kernelSize), stride \(stride), padding \(padding)) needs a positive kernel"
                + " and stride and a padding of at most half the kernel")
        }
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.cores = cores
    }

    public var summary: String { "MaxPool2d(kernel_size=\(kernelSize), stride=\(stride), padding=\(padding))" }

    func geometry(channels: Int, height: Int, width: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(channels: channels, height: height, width: width,
                            kernel: kernelSize, stride: stride, padding: padding)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4, inputShape[2] + 2 * padding >= kernelSize,
              inputShape[3] + 2 * padding >= kernelSize else {
            throw EngineError.shapeMismatch("\(summary) expects input [N, C, H, W] of at least the kernel size, got \(inputShape)")
        }
        let g = geometry(channels: inputShape[1], height: inputShape[2], width: inputShape[3])
        return [inputShape[0], inputShape[1], g.outputHeight, g.outputWidth]
    }

    // x: [N, C, H, W] -> y: [N, C, Ho, Wo]
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.rank == 4, "\(summary) got input \(input.shape)")
        let g = geometry(channels: input.shape[1], height: input.shape[2], width: input.shape[3])
        precondition(g.outputHeight > 0 && g.outputWidth > 0, "\(summary) got input \(input.shape), too small")
        let planes = input.shape[0] * input.shape[1]
        output.resize(input.shape[0], input.shape[1], g.outputHeight, g.outputWidth)
        let outputs = planes * g.outputPositions
        if argmax.count < outputs { argmax = [Int32](repeating: 0, count: outputs) }
        let threads = cores.count
        scratch.resize(rows: threads * PoolingKernels.scratchSize(g))
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                argmax.withUnsafeMutableBufferPointer { indices in
                    scratch.withUnsafeMutableBufferPointer { scratchPlanes in
                        work.run(x.baseAddress!, planes: planes, geometry: g, into: y.baseAddress!,
                                 argmax: indices.baseAddress!, scratch: scratchPlanes.baseAddress!, cores: cores,
                                 threads: threads)
                    }
                }
            }
        }
        if mode == .training { inputShape = input.shape }
        return output
    }

    // dy: [N, C, Ho, Wo] -> dx: [N, C, H, W], each dy added at its window's maximum
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        precondition(inputShape.count == 4, "\(summary): backward without a training-mode forward")
        inputGradient.resize(to: inputShape)
        inputGradient.zero()
        let planes = inputShape[0] * inputShape[1]
        let plane = inputShape[2] * inputShape[3]
        let positions = outputGradient.count / max(planes, 1)
        outputGradient.withUnsafeBufferPointer { dy in
            inputGradient.withUnsafeMutableBufferPointer { dx in
                argmax.withUnsafeBufferPointer { indices in
                    for p in 0..<planes {
                        let source = dy.baseAddress! + p * positions
                        let target = dx.baseAddress! + p * plane
                        let chosen = indices.baseAddress! + p * positions
                        for q in 0..<positions { target[Int(chosen[q])] += source[q] }
                    }
                }
            }
        }
        return inputGradient
    }
}

/// Mean over each channel's plane, `[N, C, H, W] -> [N, C]`: PyTorch's
/// `AdaptiveAvgPool2d((1, 1))` followed by `flatten(1)`, as at the end of ResNet.
public final class GlobalAveragePool: Layer {
    private var output = Tensor(zeros: [0, 0])
    private var inputGradient = Tensor(zeros: [0])
    private var inputShape: [Int] = []

    public init() {}

    public var summary: String { "AdaptiveAvgPool2d(1) + flatten" }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4 else {
            throw EngineError.shapeMismatch("\(summary) expects input [N, C, H, W], got \(inputShape)")
        }
        return [inputShape[0], inputShape[1]]
    }

    // x: [N, C, H, W] -> y: [N, C]
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.rank == 4, "\(summary) got input \(input.shape)")
        let planes = input.shape[0] * input.shape[1], plane = input.shape[2] * input.shape[3]
        output.resize(rows: input.shape[0], columns: input.shape[1])
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for p in 0..<planes {
                    let line = x.baseAddress! + p * plane
                    var sum: Float = 0
                    for q in 0..<plane { sum += line[q] }
                    y[p] = sum / Float(plane)
                }
            }
        }
        if mode == .training { inputShape = input.shape }
        return output
    }

    // dy: [N, C] -> dx: [N, C, H, W] = dy / (H·W) at every position
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        precondition(inputShape.count == 4, "\(summary): backward without a training-mode forward")
        inputGradient.resize(to: inputShape)
        let planes = inputShape[0] * inputShape[1], plane = inputShape[2] * inputShape[3]
        outputGradient.withUnsafeBufferPointer { dy in
            inputGradient.withUnsafeMutableBufferPointer { dx in
                for p in 0..<planes {
                    (dx.baseAddress! + p * plane).update(repeating: dy[p] / Float(plane), count: plane)
                }
            }
        }
        return inputGradient
    }
}

/// Splits the planes of a max-pool call over the worker threads; one per layer,
/// reused, so a call allocates nothing.
final class MaxPoolWork: ParallelWork {
    private var x: UnsafePointer<Float>?
    private var y: UnsafeMutablePointer<Float>?
    private var argmax: UnsafeMutablePointer<Int32>?
    private var scratch: UnsafeMutablePointer<Float>?
    private var planes = 0
    private var geometry = ConvolutionGeometry(channels: 0, height: 0, width: 0, kernel: 1, stride: 1, padding: 0)
    /// The calling thread's subnormal mode, which the worker threads take for the call.
    private var flushesSubnormals = false

    /// `PoolingKernels.maxPool` over `planes` planes split over at most `threads` of the
    /// budget's cores (its `count` as the caller read it); `scratch` holds
    /// `threads · scratchSize(g)` floats.
    func run(_ x: UnsafePointer<Float>, planes: Int, geometry g: ConvolutionGeometry, into y: UnsafeMutablePointer<Float>,
             argmax: UnsafeMutablePointer<Int32>, scratch: UnsafeMutablePointer<Float>, cores: CoreBudget, threads: Int) {
        (self.x, self.y, self.argmax, self.scratch, self.planes, geometry) = (x, y, argmax, scratch, planes, g)
        flushesSubnormals = FloatingPointMode.flushesSubnormalsToZero
        cores.run(parts: CoreBudget.parts(work: planes * g.plane, cores: threads), self)
    }

    func run(part: Int, parts: Int) {
        FloatingPointMode.with(flushingSubnormals: flushesSubnormals) {
            PoolingKernels.maxPool(x!, planes: CoreBudget.share(of: planes, part: part, parts: parts), geometry: geometry,
                                   into: y!, argmax: argmax!, scratch: scratch! + part * PoolingKernels.scratchSize(geometry))
        }
    }
}
