import Engine

/// ResNet's basic residual block (He et al., arXiv:1512.03385), as torchvision's
/// `BasicBlock`:
///
///     out = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))
///
/// `conv1` is 3x3 with the block's stride, `conv2` 3x3 stride 1, both without
/// bias. The shortcut is the identity, or — when the stride is not 1 or the
/// channel count changes — `downsample`: a 1x1 convolution with the stride
/// followed by batch norm (`downsample.0`, `downsample.1` in PyTorch's names).
public final class BasicBlock: Layer {
    public let conv1: Conv2D
    public let bn1: BatchNorm
    public let conv2: Conv2D
    public let bn2: BatchNorm
    /// `Sequential([Conv2D 1x1, BatchNorm])`, or nil for an identity shortcut.
    public let downsample: Sequential?

    private let relu1 = ReLU()
    private var output = Tensor(zeros: [0])
    private var sumGradient = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])

    /// - Parameters:
    ///   - inputChannels, outputChannels: channels in and out (`inplanes`, `planes`).
    ///   - stride: stride of `conv1` and of the downsample path.
    ///   - rng: generator for the initial weights (PyTorch's default rule; `ResNet18`
    ///     re-initialises them as torchvision does).
    ///   - workspace: shared convolution scratch memory.
    public init(_ inputChannels: Int, _ outputChannels: Int, stride: Int = 1, rng: inout RNG,
                workspace: ConvolutionWorkspace = ConvolutionWorkspace()) throws {
        conv1 = try Conv2D(inputChannels, outputChannels, kernelSize: 3, stride: stride, padding: 1, bias: false,
                           rng: &rng, workspace: workspace)
        bn1 = try BatchNorm(channels: outputChannels, kind: .twoDimensional, cores: workspace.cores)
        conv2 = try Conv2D(outputChannels, outputChannels, kernelSize: 3, stride: 1, padding: 1, bias: false,
                           rng: &rng, workspace: workspace)
        bn2 = try BatchNorm(channels: outputChannels, kind: .twoDimensional, cores: workspace.cores)
        if stride != 1 || inputChannels != outputChannels {
            downsample = Sequential([
                try Conv2D(inputChannels, outputChannels, kernelSize: 1, stride: stride, padding: 0, bias: false,
                           rng: &rng, workspace: workspace),
                try BatchNorm(channels: outputChannels, kind: .twoDimensional, cores: workspace.cores),
            ])
        } else {
            downsample = nil
        }
    }

    public var sublayers: [any Layer] { [conv1, bn1, relu1, conv2, bn2] + (downsample.map { [$0] } ?? []) }

    public var summary: String {
        "BasicBlock(\(conv1.inputChannels), \(conv1.outputChannels), stride=\(conv1.stride))"
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let main = try conv2.outputShape(for: conv1.outputShape(for: inputShape))
        let shortcut = try downsample?.outputShape(for: inputShape) ?? inputShape
        guard main == shortcut else {
            throw EngineError.shapeMismatch("\(summary): main path gives \(main) but the shortcut \(shortcut)")
        }
        return main
    }

    // x: [N, C, H, W] -> y: [N, O, H/s, W/s]
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        if mode == .inference {
            // The same bits, with each batch norm and the ReLU after it in one pass.
            let h = conv2.forward(bn1.inferenceForwardReLU(conv1.forward(input, mode: mode)), mode: mode)
            let shortcut = downsample?.forward(input, mode: mode) ?? input
            return bn2.inferenceForwardReLU(h, adding: shortcut)
        }
        var h = conv1.forward(input, mode: mode)
        h = bn1.forward(h, mode: mode)
        h = relu1.forward(h, mode: mode)
        h = conv2.forward(h, mode: mode)
        h = bn2.forward(h, mode: mode)
        let shortcut = downsample?.forward(input, mode: mode) ?? input
        Elementwise.addReLU(h, shortcut, into: &output)
        return output
    }

    // dy: [N, O, Ho, Wo] -> dx: [N, C, H, W], the sum of both paths' gradients
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        Elementwise.reluBackward(outputGradient, output: output, into: &sumGradient)
        var g = bn2.backward(sumGradient, needsInputGradient: true)!
        g = conv2.backward(g, needsInputGradient: true)!
        g = relu1.backward(g, needsInputGradient: true)!
        g = bn1.backward(g, needsInputGradient: true)!
        let main = conv1.backward(g, needsInputGradient: needsInputGradient)
        let shortcut = downsample?.backward(sumGradient, needsInputGradient: needsInputGradient)
        guard needsInputGradient, let main else { return nil }
        Elementwise.add(main, shortcut ?? sumGradient, into: &inputGradient)
        return inputGradient
    }
}
