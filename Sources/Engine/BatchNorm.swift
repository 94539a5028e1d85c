import Support

/// Batch normalisation with PyTorch's `BatchNorm1d`/`BatchNorm2d` semantics
/// (Ioffe & Szegedy, arXiv:1502.03167).
///
/// Training: each channel is normalised with the batch mean and *biased* variance
/// over its `M = N·H·W` values, then scaled by `weight` (γ, starts at 1) and shifted
/// by `bias` (β, starts at 0); the running statistics move towards the batch's with
/// `running = (1 - momentum)·running + momentum·batch`, using the *unbiased*
/// variance `var·M/(M-1)`. Inference: the running statistics are used.
///
/// **A training batch with one value per channel** (`M = 1`, e.g. a batch of one
/// row through BatchNorm1d) has no variance to estimate: PyTorch refuses it, and
/// the textbook formula would output β for every input and pass no gradient to
/// the input. Here such a batch is normalised with the running statistics, as in
/// inference, and leaves them unchanged; γ, β and the input still receive their
/// gradients through that fixed affine map. Training with batch size 1 therefore
/// learns instead of crashing or producing NaN.
public final class BatchNorm: Layer {
    /// Layout of the input: `[N, C]` (1d) or `[N, C, H, W]` (2d).
    public enum Kind: Sendable { case oneDimensional, twoDimensional }

    public let kind: Kind
    public let channels: Int
    public let momentum: Float
    public let epsilon: Float
    public let weight: Parameter
    public let bias: Parameter
    /// Running mean per channel (PyTorch's `running_mean` buffer), starts at 0.
    public var runningMean: Tensor
    /// Running unbiased variance per channel (`running_var`), starts at 1.
    public var runningVariance: Tensor
    /// Training batches seen (`num_batches_tracked`).
    public var batchesTracked = 0

    private var input = Tensor(zeros: [0])
    private var output = Tensor(zeros: [0])
    private var inputGradient = Tensor(zeros: [0])
    private var usedBatchStatistics = false
    private var mean: [Float]
    private var invStd: [Float]
    private var batchMean: [Double]
    private var batchVariance: [Double]
    private var workspace: BatchNormWorkspace

    /// - Parameters:
    ///   - channels: number of features (1d) or channels (2d); must be positive.
    ///   - kind: whether inputs are `[N, C]` or `[N, C, H, W]`.
    ///   - momentum: weight of the batch statistics in the running update (PyTorch: 0.1).
    ///   - epsilon: added to the variance before the square root (PyTorch: 1e-5).
    /// The cores a `[N, C, H, W]` batch splits its channels over (the results do not
    /// depend on their number); one by default.
    public var cores: CoreBudget {
        get { workspace.work.cores }
        set { workspace.work.cores = newValue }
    }

    public init(channels: Int, kind: Kind = .oneDimensional, momentum: Float = 0.1, epsilon: Float = 1e-5,
                cores: CoreBudget = .single) throws {
        guard channels > 0 else {
            throw EngineError.invalidArgument("BatchNorm needs a positive number of channels, got \(channels)")
        }
        self.kind = kind
        self.channels = channels
        self.momentum = momentum
        self.epsilon = epsilon
        weight = Parameter(name: "weight", value: Tensor(repeating: 1, shape: [channels]))
        bias = Parameter(name: "bias", value: Tensor(zeros: [channels]))
        runningMean = Tensor(zeros: [channels])
        runningVariance = Tensor(repeating: 1, shape: [channels])
        mean = Array(repeating: 0, count: channels)
        invStd = Array(repeating: 0, count: channels)
        batchMean = Array(repeating: 0, count: channels)
        batchVariance = Array(repeating: 0, count: channels)
        workspace = BatchNormWorkspace(channels: channels)
        workspace.work.cores = cores
    }

    public var parameters: [Parameter] { [weight, bias] }

    public var summary: String {
        "BatchNorm\(kind == .oneDimensional ? "1d" : "2d")(\(channels))"
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let rank = kind == .oneDimensional ? 2 : 4
        guard inputShape.count == rank, inputShape[1] == channels else {
            let expected = kind == .oneDimensional ? "[N, \(channels)]" : "[N, \(channels), H, W]"
            throw EngineError.shapeMismatch("\(summary) expects input \(expected), got \(inputShape)")
        }
        return inputShape
    }

    // x: [N, C] or [N, C, H, W] -> y: same shape
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.rank >= 2 && input.shape[1] == channels, "\(summary) got input \(input.shape)")
        let valuesPerChannel = input.count / channels
        usedBatchStatistics = mode == .training && valuesPerChannel > 1
        if usedBatchStatistics {
            Kernels.channelStatistics(input, channels: channels, work: workspace.work, mean: &batchMean,
                                      variance: &batchVariance)
            updateRunningStatistics(valuesPerChannel: valuesPerChannel)
            for c in 0..<channels {
                mean[c] = Float(batchMean[c])
                invStd[c] = Float(1 / (batchVariance[c] + Double(epsilon)).squareRoot())
            }
        } else {
            useRunningStatistics()
        }
        output.resize(like: input)
        Kernels.batchNormTransform(input, channels: channels, mean: mean, invStd: invStd,
                                   gamma: weight.value, beta: bias.value, workspace: &workspace, into: &output)
        if mode == .training { self.input = input }
        return output
    }

    /// `max(bn(x) + residual, 0)` in inference mode (running statistics), or
    /// `max(bn(x), 0)` without a residual, in the layer's output buffer as `forward`
    /// returns it: the same bits as `forward(_:mode: .inference)` followed by `ReLU` or
    /// `Elementwise.addReLU(_:_:into:)`, in one pass over the output instead of two.
    /// Keeps nothing for a backward pass.
    public func inferenceForwardReLU(_ input: Tensor, adding residual: Tensor? = nil) -> Tensor {
        precondition(input.rank >= 2 && input.shape[1] == channels, "\(summary) got input \(input.shape)")
        precondition(residual.map { $0.shape == input.shape } ?? true,
                     "\(summary): residual \(residual!.shape) for input \(input.shape)")
        usedBatchStatistics = false
        useRunningStatistics()
        output.resize(like: input)
        Kernels.batchNormTransform(input, channels: channels, mean: mean, invStd: invStd, gamma: weight.value,
                                   beta: bias.value, workspace: &workspace, adding: residual, relu: true, into: &output)
        return output
    }

    /// `mean` and `invStd` from the running statistics.
    private func useRunningStatistics() {
        runningMean.withUnsafeBufferPointer { rm in
            runningVariance.withUnsafeBufferPointer { rv in
                for c in 0..<channels {
                    mean[c] = rm[c]
                    invStd[c] = 1 / (rv[c] + epsilon).squareRoot()
                }
            }
        }
    }

    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        if needsInputGradient { inputGradient.resize(like: outputGradient) }
        Kernels.batchNormBackward(
            outputGradient, input: input, channels: channels, mean: mean, invStd: invStd,
            gamma: weight.value, usedBatchStatistics: usedBatchStatistics, workspace: &workspace,
            gammaGradient: &weight.gradient, betaGradient: &bias.gradient,
            inputGradient: &inputGradient, computeInputGradient: needsInputGradient)
        input = Self.released
        return needsInputGradient ? inputGradient : nil
    }

    private func updateRunningStatistics(valuesPerChannel: Int) {
        // In Double, then rounded, as PyTorch's CPU update does.
        let m = Double(momentum)
        let unbiasing = Double(valuesPerChannel) / Double(valuesPerChannel - 1)
        runningMean.withUnsafeMutableBufferPointer { rm in
            runningVariance.withUnsafeMutableBufferPointer { rv in
                for c in 0..<channels {
                    rm[c] = Float(m * batchMean[c] + (1 - m) * Double(rm[c]))
                    rv[c] = Float(m * batchVariance[c] * unbiasing + (1 - m) * Double(rv[c]))
                }
            }
        }
        batchesTracked += 1
    }

    private static let released = Tensor(zeros: [0])
}
