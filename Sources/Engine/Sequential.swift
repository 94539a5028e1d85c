/// Layers applied one after another; itself a layer, so containers nest.
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    public var sublayers: [any Layer] { layers }

    public var summary: String { "Sequential(\(layers.map(\.summary).joined(separator: ", ")))" }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        var shape = inputShape
        for (index, layer) in layers.enumerated() {
            do {
                shape = try layer.outputShape(for: shape)
            } catch let error as EngineError {
                throw EngineError.shapeMismatch("layer \(index) (\(layer.summary)): \(error.message)")
            }
        }
        return shape
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        var activation = input
        for layer in layers { activation = layer.forward(activation, mode: mode) }
        return activation
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        var gradient = outputGradient
        for index in layers.indices.reversed() {
            let needed = index > 0 || needsInputGradient
            guard let next = layers[index].backward(gradient, needsInputGradient: needed) else { return nil }
            gradient = next
        }
        return gradient
    }
}

extension EngineError {
    /// The message without its category prefix.
    var message: String {
        switch self {
        case .invalidArgument(let message), .shapeMismatch(let message), .invalidData(let message): message
        }
    }
}
