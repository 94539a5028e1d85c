/// Residual connection `y = x + f(x)` around a shape-preserving block `f`
/// (He et al., arXiv:1512.03385). The gradient reaches the input both through
/// `f` and directly: `dx = dy + f'(x)ᵀ·dy`.
public final class Residual: Layer {
    public let body: any Layer
    private var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])

    public init(_ body: any Layer) {
        self.body = body
    }

    public var sublayers: [any Layer] { [body] }

    public var summary: String { "Residual(\(body.summary))" }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let bodyShape = try body.outputShape(for: inputShape)
        guard bodyShape == inputShape else {
            throw EngineError.shapeMismatch(
                "\(summary) needs a block that keeps the shape: \(inputShape) becomes \(bodyShape)")
        }
        return inputShape
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        let transformed = body.forward(input, mode: mode)
        output.resize(like: input)
        Kernels.add(input, transformed, into: &output)
        return output
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        let throughBody = body.backward(outputGradient, needsInputGradient: needsInputGradient)
        guard needsInputGradient, let throughBody else { return nil }
        inputGradient.resize(like: outputGradient)
        Kernels.add(outputGradient, throughBody, into: &inputGradient)
        return inputGradient
    }
}
