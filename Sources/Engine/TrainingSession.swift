/// A model, its loss and optimizer, and the buffers one training step needs.
///
/// A step gathers a batch, runs forward and backward, records the squared norm of
/// every Linear layer's weight gradient and updates the parameters; after the
/// first steps have sized the buffers it allocates nothing.
public final class TrainingSession {
    public let model: any Layer
    public let optimizer: any Optimizer
    public let classCount: Int
    public let inputFeatures: Int
    /// The Linear layers whose weight-gradient norms are recorded, in definition order.
    public let trackedLayers: [Linear]
    /// Squared weight-gradient norm of each tracked layer, summed over the steps since
    /// the last `resetGradientNormSums()`.
    public private(set) var gradientNormSums: [Double]

    private let loss = SoftmaxCrossEntropy()
    private var batchFeatures: Tensor
    private var batchLabels: [Int32] = []

    /// Checks that `model` maps `[N, inputFeatures]` to `[N, classCount]`.
    public init(model: any Layer, optimizer: any Optimizer, inputFeatures: Int, classCount: Int) throws {
        guard inputFeatures > 0, classCount > 1 else {
            throw EngineError.invalidArgument(
                "a classifier needs at least one input feature and two classes (got \(inputFeatures), \(classCount))")
        }
        let output = try model.outputShape(for: [1, inputFeatures])
        guard output.count == 2, output[1] == classCount else {
            throw EngineError.shapeMismatch("the model maps [N, \(inputFeatures)] to \(output), expected [N, \(classCount)]")
        }
        self.model = model
        self.optimizer = optimizer
        self.inputFeatures = inputFeatures
        self.classCount = classCount
        trackedLayers = model.allLayers.compactMap { $0 as? Linear }
        gradientNormSums = Array(repeating: 0, count: trackedLayers.count)
        batchFeatures = Tensor(zeros: [0, inputFeatures])
    }

    /// One optimisation step on rows `order[start..<start+count]` of `data`.
    ///
    /// Returns the batch loss before the update. When it or a gradient norm is not
    /// finite the parameters are left untouched and `isFinite` is false.
    public func step(on data: LabeledData, order: [Int], start: Int, count: Int) -> (loss: Double, isFinite: Bool) {
        Kernels.gatherRows(of: data.features, indices: order, start: start, count: count, into: &batchFeatures)
        if batchLabels.count < count { batchLabels.append(contentsOf: repeatElement(0, count: count - batchLabels.count)) }
        for row in 0..<count { batchLabels[row] = data.labels[order[start + row]] }

        optimizer.zeroGradients()
        let logits = model.forward(batchFeatures, mode: .training)
        let result = loss.lossAndGradient(logits: logits, labels: batchLabels[0..<count])
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

    /// Mean loss and accuracy on `data` in inference mode, in batches of `batchSize`.
    public func evaluate(_ data: LabeledData, batchSize: Int = 1024) -> SplitMetrics {
        var totalLoss = 0.0
        var correct = 0
        var start = 0
        while start < data.count {
            let count = min(batchSize, data.count - start)
            Kernels.copyRows(of: data.features, start: start, count: count, into: &batchFeatures)
            let logits = model.forward(batchFeatures, mode: .inference)
            let result = loss.evaluate(logits: logits, labels: data.labels[start..<(start + count)])
            totalLoss += result.loss * Double(count)
            correct += result.correct
            start += count
        }
        let rows = Double(max(data.count, 1))
        return SplitMetrics(loss: totalLoss / rows, accuracy: Double(correct) / rows)
    }
}

extension Layer {
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
