/// Whether a forward pass trains (batch statistics, cached activations) or evaluates.
///
/// Passed to every forward call rather than held as global state.
public enum Mode: Sendable {
    case training
    case inference
}

/// A trainable tensor with its gradient. Optimizers update `value` from `gradient`
/// unless the parameter is frozen.
public final class Parameter {
    /// Name in PyTorch's `state_dict` style relative to its layer (`weight`, `bias`).
    public let name: String
    public var value: Tensor
    public var gradient: Tensor
    /// A frozen parameter keeps its value: optimizers skip it.
    public var isFrozen = false

    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        gradient = Tensor(zeros: value.shape)
    }
}

/// A differentiable layer with an explicit forward/backward pair.
///
/// `forward` in training mode keeps what `backward` needs; `backward` accumulates
/// the parameter gradients, returns the gradient with respect to the input when
/// asked, and releases the cached input (so the layer before can rewrite its
/// buffer in place next step). Returned tensors share the layer's buffers: read
/// them before the next call on the same layer.
public protocol Layer: AnyObject {
    /// Output shape for an input of `inputShape`, or an error naming the mismatch.
    func outputShape(for inputShape: [Int]) throws -> [Int]

    /// Applies the layer to a batch.
    func forward(_ input: Tensor, mode: Mode) -> Tensor

    /// Back-propagates `outputGradient` through the last training-mode forward.
    /// Returns the input gradient when `needsInputGradient`, else nil.
    func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor?

    /// The layer's own trainable parameters (not those of sublayers).
    var parameters: [Parameter] { get }

    /// Directly contained layers, for containers.
    var sublayers: [any Layer] { get }

    /// Short description for error messages and summaries, e.g. `Linear(2, 16)`.
    var summary: String { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var sublayers: [any Layer] { [] }

    /// Every parameter of this layer and its sublayers, depth-first in definition order.
    public var allParameters: [Parameter] {
        parameters + sublayers.flatMap { $0.allParameters }
    }

    /// This layer and every layer inside it, depth-first in definition order.
    public var allLayers: [any Layer] {
        [self] + sublayers.flatMap { $0.allLayers }
    }

    /// Freezes or unfreezes every parameter of the layer and its sublayers.
    public func setFrozen(_ frozen: Bool) {
        for parameter in allParameters { parameter.isFrozen = frozen }
    }
}
