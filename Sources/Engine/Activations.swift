/// Rectified linear unit `y = max(x, 0)`, any shape. The gradient at 0 is 0, as in PyTorch.
public final class ReLU: Layer {
    private var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])

    public init() {}

    public var summary: String { "ReLU" }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        output.resize(like: input)
        Kernels.relu(input, into: &output)
        return output
    }

    /// `ReLU(linear(input))`, computed by `linear` straight into this layer's output
    /// (``Linear/forwardReLU(_:mode:into:)``); backward is unchanged.
    func forward(after linear: Linear, _ input: Tensor, mode: Mode) -> Tensor {
        linear.forwardReLU(input, mode: mode, into: &output)
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        inputGradient.resize(like: outputGradient)
        Kernels.reluBackward(outputGradient, output: output, into: &inputGradient)
        return inputGradient
    }
}
