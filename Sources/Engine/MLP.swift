/// The study's multilayer perceptron: `depth` hidden layers of `width` units, each
/// `Linear → [BatchNorm1d] → ReLU`, then a Linear layer to the class logits.
///
/// With `residual`, every hidden layer after the first (the first changes the
/// width) is wrapped as `h + ReLU(BN(Linear(h)))`, the cure for vanishing
/// gradients in very deep nets.
public struct MLPConfig: Codable, Hashable, Sendable {
    public var inputFeatures: Int
    public var classCount: Int
    public var depth: Int
    public var width: Int
    public var batchNorm: Bool
    public var residual: Bool

    public init(inputFeatures: Int, classCount: Int, depth: Int, width: Int,
                batchNorm: Bool = false, residual: Bool = false) {
        self.inputFeatures = inputFeatures
        self.classCount = classCount
        self.depth = depth
        self.width = width
        self.batchNorm = batchNorm
        self.residual = residual
    }

    /// Builds the network with fresh PyTorch-default initial weights drawn from `rng`,
    /// layer by layer in order.
    public func makeModel(rng: inout RNG) throws -> Sequential {
        guard inputFeatures > 0 else { throw EngineError.invalidArgument("an MLP needs at least one input feature") }
        guard classCount > 1 else { throw EngineError.invalidArgument("an MLP needs at least two classes, got \(classCount)") }
        guard depth >= 0 else { throw EngineError.invalidArgument("depth must be >= 0, got \(depth)") }
        guard width > 0 || depth == 0 else { throw EngineError.invalidArgument("width must be positive, got \(width)") }
        var layers: [any Layer] = []
        var features = inputFeatures
        for index in 0..<depth {
            var hidden: [any Layer] = [try Linear(features, width, rng: &rng)]
            if batchNorm { hidden.append(try BatchNorm(channels: width)) }
            hidden.append(ReLU())
            if residual && index > 0 {
                layers.append(Residual(Sequential(hidden)))
            } else {
                layers.append(contentsOf: hidden)
            }
            features = width
        }
        layers.append(try Linear(features, classCount, rng: &rng))
        return Sequential(layers)
    }

    /// `Linear(2, 16) → ReLU → ... → Linear(16, 33)`, for summaries.
    public var summary: String {
        var parts: [String] = []
        var features = inputFeatures
        for _ in 0..<depth {
            parts.append("Linear(\(features), \(width))" + (batchNorm ? " → BatchNorm1d" : "") + " → ReLU")
            features = width
        }
        parts.append("Linear(\(features), \(classCount))")
        return (residual ? "residual " : "") + parts.joined(separator: " → ")
    }
}
