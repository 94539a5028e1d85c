import Engine

/// ResNet-18 (He et al., arXiv:1512.03385) with torchvision's exact topology,
/// initialisation and parameter names (`conv1.weight`, `bn1.running_mean`,
/// `layer1.0.conv1.weight`, `layer2.0.downsample.0.weight`, `fc.weight`, ...).
///
///     conv1 7x7/2 (64) → bn1 → relu → maxpool 3x3/2
///     → layer1 (2 x BasicBlock 64) → layer2 (128, /2) → layer3 (256, /2) → layer4 (512, /2)
///     → global average pool → fc Linear(512, classes)
///
/// Any input `[N, 3, H, W]` works (the study uses 32 and more); the pooled
/// feature vector always has 512 values. With 1000 classes the model has
/// 11,689,512 parameters, as torchvision's.
///
/// Linear probing: `freezeBackbone()` freezes every parameter but `fc`'s and
/// makes the backbone run in inference mode (running batch-norm statistics, no
/// cached activations) even in training-mode forward passes; backward then stops
/// at `fc`. `replaceHead` swaps the final layer (e.g. `Linear(512, 1)` for a
/// binary logit), `extractFeatures` returns the 512-d pooled vectors.
public final class ResNet18: Layer {
    /// Width of the pooled feature vector fed to `fc`.
    public static let featureCount = 512

    /// Scratch memory shared by all the convolutions (and their timing profile).
    public let workspace: ConvolutionWorkspace
    public let conv1: Conv2D
    public let bn1: BatchNorm
    public let maxpool: MaxPool2D
    public let layer1: [BasicBlock]
    public let layer2: [BasicBlock]
    public let layer3: [BasicBlock]
    public let layer4: [BasicBlock]
    public let avgpool = GlobalAveragePool()
    /// The final layer, `Linear(512, classes)`.
    public private(set) var fc: Linear
    /// Whether only `fc` trains (see `freezeBackbone`).
    public private(set) var isBackboneFrozen = false

    private let relu = ReLU()
    private let backbone: [any Layer]

    /// A freshly initialised network, as `torchvision.models.resnet18(num_classes:)`:
    /// convolutions `kaiming_normal_(mode="fan_out", nonlinearity="relu")`
    /// (std `√(2 / (O·k·k))`), batch norm γ = 1 and β = 0, `fc` PyTorch's Linear default.
    public init(classCount: Int = 1000, rng: inout RNG, workspace: ConvolutionWorkspace = ConvolutionWorkspace()) throws {
        guard classCount > 0 else { throw EngineError.invalidArgument("ResNet18 needs at least one output, got \(classCount)") }
        self.workspace = workspace
        conv1 = try Conv2D(3, 64, kernelSize: 7, stride: 2, padding: 3, bias: false, rng: &rng, workspace: workspace)
        bn1 = try BatchNorm(channels: 64, kind: .twoDimensional, cores: workspace.cores)
        maxpool = try MaxPool2D(kernelSize: 3, stride: 2, padding: 1, cores: workspace.cores)
        func stage(_ input: Int, _ output: Int, stride: Int) throws -> [BasicBlock] {
            [try BasicBlock(input, output, stride: stride, rng: &rng, workspace: workspace),
             try BasicBlock(output, output, stride: 1, rng: &rng, workspace: workspace)]
        }
        layer1 = try stage(64, 64, stride: 1)
        layer2 = try stage(64, 128, stride: 2)
        layer3 = try stage(128, 256, stride: 2)
        layer4 = try stage(256, 512, stride: 2)
        fc = try Linear(Self.featureCount, classCount, rng: &rng)
        backbone = [conv1, bn1, relu, maxpool] + layer1 + layer2 + layer3 + layer4 + [avgpool]
        for layer in backbone.flatMap({ $0.allLayers }) {
            guard let conv = layer as? Conv2D else { continue }
            let std = (2 / Double(conv.outputChannels * conv.kernelSize * conv.kernelSize)).squareRoot()
            let count = conv.weight.value.count
            conv.weight.value = Tensor(shape: conv.weight.value.shape,
                                       values: (0..<count).map { _ in Float(rng.normal() * std) })
        }
    }

    public var sublayers: [any Layer] { backbone + [fc] }

    public var summary: String { "ResNet18(classes: \(fc.outputFeatures))" }

    /// Number of outputs of the final layer.
    public var classCount: Int { fc.outputFeatures }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4, inputShape[1] == 3 else {
            throw EngineError.shapeMismatch("\(summary) expects images [N, 3, H, W], got \(inputShape)")
        }
        var shape = inputShape
        for layer in backbone { shape = try layer.outputShape(for: shape) }
        return try fc.outputShape(for: shape)
    }

    /// Replaces the final layer with a fresh `Linear(512, classCount)` (PyTorch's default init).
    public func replaceHead(classCount: Int, rng: inout RNG) throws {
        try replaceHead(with: Linear(Self.featureCount, classCount, rng: &rng))
    }

    /// Replaces the final layer; it must take 512 inputs.
    public func replaceHead(with head: Linear) throws {
        guard head.inputFeatures == Self.featureCount else {
            throw EngineError.shapeMismatch("the head of ResNet18 takes 512 features, got \(head.summary)")
        }
        fc = head
    }

    /// Freezes (or unfreezes) every parameter except the final layer's, and runs the
    /// backbone in inference mode while frozen, as linear probing with a frozen
    /// `model.eval()` backbone does in PyTorch.
    public func freezeBackbone(_ frozen: Bool = true) {
        for layer in backbone { layer.setFrozen(frozen) }
        fc.setFrozen(false)
        isBackboneFrozen = frozen
    }

    // x: [N, 3, H, W] -> logits: [N, classes]
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        fc.forward(runBackbone(input, mode: isBackboneFrozen ? .inference : mode), mode: mode)
    }

    /// With a frozen backbone only `fc` is back-propagated and nil is returned even
    /// when `needsInputGradient` (the backbone cached nothing to differentiate).
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard !isBackboneFrozen else {
            _ = fc.backward(outputGradient, needsInputGradient: false)
            return nil
        }
        var gradient = fc.backward(outputGradient, needsInputGradient: true)!
        for index in backbone.indices.reversed() {
            let needed = index > 0 || needsInputGradient
            guard let next = backbone[index].backward(gradient, needsInputGradient: needed) else { return nil }
            gradient = next
        }
        return gradient
    }

    /// The 512-d pooled features of a batch (`[N, 3, H, W] -> [N, 512]`), computed in
    /// inference mode. The result shares a buffer with the model: read it before the
    /// next call.
    public func features(_ images: Tensor) -> Tensor {
        runBackbone(images, mode: .inference)
    }

    /// The 512-d pooled features of every image (`[N, 3, H, W] -> [N, 512]`), in
    /// inference mode, `batchSize` images at a time, in a tensor of its own.
    public func extractFeatures(_ images: Tensor, batchSize: Int = 64) -> Tensor {
        precondition(images.rank == 4 && batchSize > 0, "extractFeatures needs images [N, 3, H, W], got \(images.shape)")
        var result = Tensor(zeros: [images.rows, Self.featureCount])
        var batch = Tensor(zeros: [0])
        var start = 0
        while start < images.rows {
            let count = min(batchSize, images.rows - start)
            ElementwiseKernels.gather(images, indices: start..<(start + count), into: &batch)
            let pooled = features(batch)
            pooled.withUnsafeBufferPointer { source in
                result.withUnsafeMutableBufferPointer { target in
                    (target.baseAddress! + start * Self.featureCount).update(from: source.baseAddress!, count: source.count)
                }
            }
            start += count
        }
        return result
    }

    private func runBackbone(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.rank == 4 && input.shape[1] == 3, "\(summary) got input \(input.shape)")
        var activation = input
        var layers = backbone[...]
        if mode == .inference {
            // The same bits, with the stem's batch norm and ReLU in one pass: the
            // backbone goes on after its first three layers, conv1, bn1 and relu.
            (activation, layers) = (bn1.inferenceForwardReLU(conv1.forward(input, mode: mode)), backbone[3...])
        }
        for layer in layers { activation = layer.forward(activation, mode: mode) }
        return activation
    }
}
