/// The loss a classifier is trained and evaluated with.
public enum ClassificationLoss: Sendable, Equatable {
    /// Softmax cross-entropy over one logit per class (`nn.CrossEntropyLoss`).
    case softmaxCrossEntropy
    /// Binary cross-entropy on a single logit for classes 0 and 1 (`nn.BCEWithLogitsLoss`).
    case binaryCrossEntropy
}

/// A model, its loss and optimizer, and the buffers one training step needs.
///
/// A step gathers a batch, runs forward and backward, records the squared norm of
/// every Linear layer's weight gradient and updates the parameters; after the
/// first steps have sized the buffers it allocates nothing.
public final class TrainingSession {
    public let model: any Layer
    public let optimizer: any Optimizer
    public let classCount: Int
    /// Shape of one sample (`[D]` for feature rows, `[3, H, W]` for images).
    public let inputShape: [Int]
    /// Values per sample.
    public var inputFeatures: Int { inputShape.reduce(1, *) }
    public let lossKind: ClassificationLoss
    /// The Linear layers whose weight-gradient norms are recorded, in definition order.
    public let trackedLayers: [Linear]
    /// Squared weight-gradient norm of each tracked layer, summed over the steps since
    /// the last `resetGradientNormSums()`.
    public private(set) var gradientNormSums: [Double]

    private let softmax = SoftmaxCrossEntropy()
    private let binary = BinaryCrossEntropyWithLogits()
    private var batchFeatures: Tensor
    private var batchLabels: [Int32] = []

    /// A classifier of feature rows: checks that `model` maps `[N, inputFeatures]` to `[N, classCount]`.
    public convenience init(model: any Layer, optimizer: any Optimizer, inputFeatures: Int, classCount: Int) throws {
        try self.init(model: model, optimizer: optimizer, inputShape: [inputFeatures], classCount: classCount)
    }

    /// Checks that `model` maps `[N] + inputShape` to `[N, classCount]` (softmax
    /// cross-entropy) or to `[N, 1]` (binary cross-entropy, `classCount` 2).
    public init(model: any Layer, optimizer: any Optimizer, inputShape: [Int], classCount: Int,
                loss: ClassificationLoss = .softmaxCrossEntropy) throws {
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }), classCount > 1 else {
            throw EngineError.invalidArgument(
                "a classifier needs a non-empty input shape and two classes (got \(inputShape), \(classCount))")
        }
        guard loss == .softmaxCrossEntropy || classCount == 2 else {
            throw EngineError.invalidArgument("binary cross-entropy classifies two classes, not \(classCount)")
        }
        let outputs = loss == .binaryCrossEntropy ? 1 : classCount
        let output = try model.outputShape(for: [1] + inputShape)
        guard output.count == 2, output[1] == outputs else {
            throw EngineError.shapeMismatch("the model maps \([1] + inputShape) to \(output), expected [N, \(outputs)]")
        }
        self.model = model
        self.optimizer = optimizer
        self.inputShape = inputShape
        self.classCount = classCount
        lossKind = loss
        trackedLayers = model.allLayers.compactMap { $0 as? Linear }
        gradientNormSums = Array(repeating: 0, count: trackedLayers.count)
        batchFeatures = Tensor(zeros: [0] + inputShape)
    }

    private func lossAndGradient(_ logits: Tensor, _ labels: ArraySlice<Int32>) -> (loss: Double, gradient: Tensor) {
        switch lossKind {
        case .softmaxCrossEntropy:
            let result = softmax.lossAndGradient(logits: logits, labels: labels)
            return (result.loss, result.gradient)
        case .binaryCrossEntropy:
            let result = binary.lossAndGradient(logits: logits, labels: labels)
            return (result.loss, result.gradient)
        }
    }

    private func evaluateLoss(_ logits: Tensor, _ labels: ArraySlice<Int32>) -> (loss: Double, correct: Int) {
        switch lossKind {
        case .softmaxCrossEntropy: softmax.evaluate(logits: logits, labels: labels)
        case .binaryCrossEntropy: binary.evaluate(logits: logits, labels: labels)
        }
    }

    /// One optimisation step on rows `order[start..<start+count]` of `data`.
    ///
    /// Returns the batch loss before the update. When it or a gradient norm is not
    /// finite the parameters are left untouched and `isFinite` is false.
    public func step(on data: LabeledData, order: [Int], start: Int, count: Int) -> (loss: Double, isFinite: Bool) {
        Kernels.gatherRows(of: data.features, indices: order, start: start, count: count, into: &batchFeatures)
        if batchLabels.count < count { batchLabels.append(contentsOf: repeatElement(0, count: count - batchLabels.count)) }
        batchLabels.withUnsafeMutableBufferPointer { labels in
            data.labels.withUnsafeBufferPointer { source in
                order.withUnsafeBufferPointer { order in
                    for row in 0..<count { labels[row] = source[order[start + row]] }
                }
            }
        }

        optimizer.zeroGradients()
        let logits = model.forward(batchFeatures, mode: .training)
        let result = lossAndGradient(logits, batchLabels[0..<count])
        // Recorded as Float, so a loss beyond Float's range counts as divergence too.
        guard Float(result.loss).isFinite else { return (result.loss, false) }
        _ = model.backward(result.gradient, needsInputGradient: false)

        var gradientsFinite = true
        for (index, layer) in trackedLayers.enumerated() {
            let norm = Kernels.sumOfSquares(layer.weight.gradient)
            gradientsFinite = gradientsFinite && norm.isFinite
            gradientNormSums[index] += norm
        }
        guard gradientsFinite else { return (result.loss, false) }
        optimizer.step()
        return (result.loss, true)
    }

    /// Starts a new accumulation of gradient norms.
    public func resetGradientNormSums() {
        for index in gradientNormSums.indices { gradientNormSums[index] = 0 }
    }

    /// Values the model outputs per sample: 1 for binary cross-entropy, else `classCount`.
    public var outputWidth: Int { lossKind == .binaryCrossEntropy ? 1 : classCount }

    /// Mean loss and accuracy on `data` in inference mode, in batches of `batchSize`.
    public func evaluate(_ data: LabeledData, batchSize: Int = 1024) -> SplitMetrics {
        evaluate(data, batchSize: batchSize, writingOutputsTo: nil)
    }

    /// Mean loss and accuracy on `data` as `evaluate(_:batchSize:)` computes them, with
    /// the outputs (logits) the model gave for every row written into `outputs`
    /// (`[data.count, outputWidth]`, allocated by the caller): the same numbers as
    /// `model.outputs(for: data.features, batchSize: batchSize)`, without a second pass.
    public func evaluate(_ data: LabeledData, batchSize: Int = 1024, outputs: inout Tensor) -> SplitMetrics {
        precondition(outputs.shape == [data.count, outputWidth],
                     "outputs of \(data.count) rows need a tensor [\(data.count), \(outputWidth)], got \(outputs.shape)")
        return outputs.withUnsafeMutableBufferPointer { target in
            evaluate(data, batchSize: batchSize, writingOutputsTo: target.baseAddress)
        }
    }

    private func evaluate(_ data: LabeledData, batchSize: Int, writingOutputsTo target: UnsafeMutablePointer<Float>?) -> SplitMetrics {
        var totalLoss = 0.0
        var correct = 0
        var start = 0
        while start < data.count {
            let count = min(batchSize, data.count - start)
            Kernels.copyRows(of: data.features, start: start, count: count, into: &batchFeatures)
            let logits = model.forward(batchFeatures, mode: .inference)
            if let target {
                logits.withUnsafeBufferPointer { (target + start * logits.rowSize).update(from: $0.baseAddress!, count: $0.count) }
            }
            let result = evaluateLoss(logits, data.labels[start..<(start + count)])
            totalLoss += result.loss * Double(count)
            correct += result.correct
            start += count
        }
        let rows = Double(max(data.count, 1))
        return SplitMetrics(loss: totalLoss / rows, accuracy: Double(correct) / rows)
    }
}

extension Layer {
    /// The model's outputs (`[N, K]` logits) for every sample of `inputs` (`[N, ...]`),
    /// computed in inference mode in batches of `batchSize`, in a tensor of their own.
    public func outputs(for inputs: Tensor, batchSize: Int) -> Tensor {
        precondition(inputs.rank >= 2 && batchSize > 0, "outputs(for:) needs [N, ...] inputs, got \(inputs.shape)")
        var result: Tensor?
        var batch = Tensor(zeros: [0] + Array(inputs.shape.dropFirst()))
        var start = 0
        while start < inputs.rows {
            let count = min(batchSize, inputs.rows - start)
            Kernels.copyRows(of: inputs, start: start, count: count, into: &batch)
            let output = forward(batch, mode: .inference)
            if result == nil { result = Tensor(zeros: [inputs.rows, output.rowSize]) }
            result!.withUnsafeMutableBufferPointer { target in
                output.withUnsafeBufferPointer { source in
                    (target.baseAddress! + start * output.rowSize).update(from: source.baseAddress!, count: source.count)
                }
            }
            start += count
        }
        return result ?? Tensor(zeros: [0, 0])
    }

    /// The arg-max class of every row of `features` (`[N, D]`), computed in inference
    /// mode in batches of `batchSize` (first maximum on ties, as `torch.argmax`).
    public func predictClasses(_ features: Tensor, batchSize: Int = 4096) -> [Int32] {
        precondition(features.rank == 2 && batchSize > 0, "predictClasses needs [N, D] features, got \(features.shape)")
        var predictions = [Int32](repeating: 0, count: features.rows)
        var batch = Tensor(zeros: [0, features.rowSize])
        var start = 0
        predictions.withUnsafeMutableBufferPointer { output in
            while start < features.rows {
                let count = min(batchSize, features.rows - start)
                Kernels.copyRows(of: features, start: start, count: count, into: &batch)
                Kernels.argmaxRows(forward(batch, mode: .inference), into: output, offset: start)
                start += count
            }
        }
        return predictions
    }
}
