/// Layers applied one after another; itself a layer, so containers nest.
public final class Sequential: Layer {
    public let layers: [any Layer]
    /// How forward walks the layers: a Linear layer followed by a ReLU is one step, the
    /// product written through the ReLU in one pass (``ReLU/forward(after:_:mode:)``);
    /// the results are those of the two layers one after the other, bit for bit.
    private let steps: [Step]

    private enum Step {
        case layer(any Layer)
        case linearReLU(Linear, ReLU)
    }

    public init(_ layers: [any Layer]) {
        self.layers = layers
        var steps: [Step] = []
        var index = 0
        while index < layers.count {
            if index + 1 < layers.count, let linear = layers[index] as? Linear, let relu = layers[index + 1] as? ReLU {
                steps.append(.linearReLU(linear, relu))
                index += 2
            } else {
                steps.append(.layer(layers[index]))
                index += 1
            }
        }
        self.steps = steps
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
        for step in steps {
            switch step {
            case .layer(let layer): activation = layer.forward(activation, mode: mode)
            case .linearReLU(let linear, let relu): activation = relu.forward(after: linear, activation, mode: mode)
            }
        }
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
