import Foundation

/// Loss and accuracy of a model on one split.
public struct SplitMetrics: Codable, Equatable, Sendable {
    public var loss: Double
    public var accuracy: Double

    public init(loss: Double, accuracy: Double) {
        self.loss = loss
        self.accuracy = accuracy
    }
}

/// Evaluation (inference mode) after one epoch; epoch 0 is before any training.
public struct EpochMetrics: Codable, Equatable, Sendable {
    public var epoch: Int
    public var train: SplitMetrics
    public var validation: SplitMetrics?
    public var test: SplitMetrics?

    public init(epoch: Int, train: SplitMetrics, validation: SplitMetrics? = nil, test: SplitMetrics? = nil) {
        self.epoch = epoch
        self.train = train
        self.validation = validation
        self.test = test
    }
}

/// Where a run stopped because a loss or gradient became NaN or infinite.
public struct Divergence: Codable, Equatable, Sendable {
    /// 1-based epoch during which it happened.
    public var epoch: Int
    /// 1-based iteration (optimizer step) counted from the start of training;
    /// for a divergence found while evaluating, the last iteration done.
    public var iteration: Int
    /// What became non-finite: `"training loss"`, `"gradient"`, or `"<split> loss"`.
    public var quantity: String

    public init(epoch: Int, iteration: Int, quantity: String) {
        self.epoch = epoch
        self.iteration = iteration
        self.quantity = quantity
    }
}

/// Everything recorded while training one model. Holds only finite numbers, so it
/// encodes to JSON without NaN or Infinity tokens.
public struct TrainingHistory: Codable, Equatable, Sendable {
    /// Metrics for epoch 0 (initial weights) and after each completed epoch.
    public var epochs: [EpochMetrics] = []
    /// The training batch loss of every iteration, in order.
    public var iterationLosses: [Float] = []
    /// Names of the layers whose weight gradients are tracked (`linear0`, `linear1`, ...),
    /// the Linear layers of the model in definition order.
    public var gradientLayers: [String] = []
    /// Per epoch (outer, epoch 1 first), per tracked layer (inner): the mean over the
    /// epoch's iterations of the squared L2 norm of the layer's weight gradient (bias excluded).
    public var gradientNorms: [[Double]] = []
    /// Set when training stopped on a non-finite value.
    public var divergence: Divergence?

    public init() {}

    /// The last recorded metrics.
    public var final: EpochMetrics? { epochs.last }

    /// The epoch of highest validation accuracy, the earliest on ties (every epoch
    /// counts as accuracy 0 without a validation split): the best epoch at which Part
    /// 6 reads its runs. Nil when no epoch was recorded.
    public var bestEpoch: Int? {
        epochs.max { a, b in (a.validation?.accuracy ?? 0, -a.epoch) < (b.validation?.accuracy ?? 0, -b.epoch) }?.epoch
    }

    enum CodingKeys: String, CodingKey {
        case epochs, iterationLosses, gradientLayers, gradientNorms, divergence
    }

    // The per-iteration losses (up to ~10⁵ per run) are stored as base64 of their
    // little-endian float32 bytes: exact, a third the size of decimal JSON, and
    // decoded about ten times faster, which keeps `nnreport render` near a second.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        epochs = try container.decode([EpochMetrics].self, forKey: .epochs)
        let bytes = try container.decode(Data.self, forKey: .iterationLosses)
        guard bytes.count % 4 == 0 else {
            throw DecodingError.dataCorruptedError(forKey: .iterationLosses, in: container,
                                                   debugDescription: "\(bytes.count) bytes is not a whole number of float32 values")
        }
        iterationLosses = bytes.withUnsafeBytes { raw in
            (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        gradientLayers = try container.decode([String].self, forKey: .gradientLayers)
        gradientNorms = try container.decode([[Double]].self, forKey: .gradientNorms)
        divergence = try container.decodeIfPresent(Divergence.self, forKey: .divergence)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(epochs, forKey: .epochs)
        var bytes = Data(capacity: iterationLosses.count * 4)
        for loss in iterationLosses { withUnsafeBytes(of: loss.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        try container.encode(bytes, forKey: .iterationLosses)
        try container.encode(gradientLayers, forKey: .gradientLayers)
        try container.encode(gradientNorms, forKey: .gradientNorms)
        try container.encodeIfPresent(divergence, forKey: .divergence)
    }
}
