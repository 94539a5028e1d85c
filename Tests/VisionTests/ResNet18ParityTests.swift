import Engine
import Foundation
import Testing
import TestSupport
import Vision

/// The whole ResNet18 against torchvision's: `Reference/resnet18/make_reference.py`
/// builds `torchvision.models.resnet18` with weights and images defined by integer
/// formulas (perturbed batch-norm running statistics included), computes in float64
/// and writes `expected.json`; this test rebuilds the same float32 weights and images
/// and compares the engine's float32 results with them.
///
/// Tolerances are relative to each quantity's scale (its largest magnitude), since
/// round-off grows with the sums a value is made of, not with the value itself.
/// float32 carries 6e-8 relative; each of ResNet18's 20 convolution/batch-norm
/// layers adds sums of up to 4,608 products, so a few 1e-7 per layer is round-off.
/// The script records how far PyTorch's own float32 lands from the float64 answer
/// (`float32Error`: 6.5e-7 for the logits, 5.5e-7 for the features, 1.2e-6 for the
/// loss, 2.2e-5 for the gradients); the engine measured 7.3e-7, 6.4e-7, 1.3e-6 and
/// at most 8.5e-6 (running statistics 5.2e-7). The bounds below allow about ten
/// times PyTorch's own round-off. Mistakes land far outside them: batch norm's ε at
/// 1e-4 instead of 1e-5 moved the logits by 2e-4 of their scale and the gradients
/// by up to 6%; the blocks' stride on the second 3x3 convolution instead of the
/// first moved the logits by 27%; a downsample without its stride breaks the shapes.
@Suite(.tags(.numerics)) struct ResNet18ParityTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Reference/resnet18")

    /// Eval-mode logits and pooled features, relative to their largest magnitude.
    static let evalTolerance = 1e-5
    /// The BCE loss of the training-mode batch, relative.
    static let lossTolerance = 1e-5
    /// Gradients, relative to the largest magnitude of the parameter's gradient.
    static let gradientTolerance = 1e-4
    /// Running statistics after the batch, relative to their largest magnitude.
    static let runningTolerance = 1e-5
    /// Values after the Adam step, absolute: parameters are at most 1.25, where a
    /// float32 step is 1.2e-7. Adam's first step moves each value by
    /// lr·g/(|g| + ε), nearly lr·sign(g); it is insensitive to the gradient's
    /// round-off except where a gradient is within that round-off of zero, where
    /// the sign may differ and the values by up to 2·lr (checked that way).
    static let valueTolerance = 1e-6

    struct Reference: Decodable {
        struct Eval: Decodable { let logits: [Double], features: [Double] }
        struct Tracked: Decodable {
            let count: Int
            let indices: [Int]
            let gradient: [Double]
            let after: [Double]
            let gradientScale: Double
        }
        struct Running: Decodable { let mean: [Double], `var`: [Double] }
        struct Train: Decodable { let loss: Double, tensors: [String: Tracked], running: [String: Running] }
        let modulus: Int
        let imageShape: [Int]
        let labels: [Int32]
        let learningRate: Double
        let eval: Eval
        let train: Train
    }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
    }

    /// The uniform range of the formula values of tensor `name` (the script's `bounds`), nil for a counter.
    static func bounds(_ name: String, shape: [Int]) -> (low: Double, high: Double)? {
        if name.hasSuffix("num_batches_tracked") { return nil }
        if name.hasSuffix("running_mean") { return (-0.3, 0.3) }
        if name.hasSuffix("running_var") { return (0.5, 2.0) }
        if shape.count == 4 {
            let a = (6 / Double(shape[1] * shape[2] * shape[3])).squareRoot()
            return (-a, a)
        }
        if name.hasPrefix("fc.") {
            let a = 1 / Double(512).squareRoot()
            return (-a, a)
        }
        return name.hasSuffix("weight") ? (0.75, 1.25) : (0.5, 1.0)
    }

    /// A ResNet18 holding the script's weights: tensor `t` of the state dict is
    /// `formula(count, 31 + 10 t, modulus, modulus / (high - low), low)`.
    static func model(classCount: Int, modulus: Int) throws -> ResNet18 {
        var rng = RNG(seed: 1)
        let model = try ResNet18(classCount: classCount, rng: &rng)
        let entries = model.stateDict().entries.enumerated().map { index, entry in
            let shape = entry.tensor.shape
            let values = bounds(entry.name, shape: shape).map { low, high in
                formulaValues(entry.tensor.count, 31 + 10 * index, modulus, Double(modulus) / (high - low), low)
            } ?? [Float](repeating: 0, count: entry.tensor.count)
            return SafeTensors.Entry(name: entry.name, tensor: Tensor(shape: shape, values: values), dataType: entry.dataType)
        }
        try model.loadStateDict(StateDict(entries: entries))
        return model
    }

    static func images(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, values: formulaValues(shape.reduce(1, *), 37, 1013, 1013.0 / 4, -2))
    }

    /// max |actual - expected| / max |expected|.
    static func relativeError(_ actual: [Float], _ expected: [Double]) -> Double {
        let scale = expected.map(abs).max() ?? 0
        let worst = zip(actual, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        return actual.count == expected.count ? worst / scale : .infinity
    }

    @Test func evalLogitsAndPooledFeaturesMatchTorchvision() throws {
        let reference = try Self.reference()
        let model = try Self.model(classCount: 10, modulus: reference.modulus)
        let x = Self.images(reference.imageShape)
        try #require(try model.outputShape(for: x.shape) == [x.shape[0], 10])
        let logitsError = Self.relativeError(model.forward(x, mode: .inference).scalars, reference.eval.logits)
        let featuresError = Self.relativeError(model.features(x).scalars, reference.eval.features)
        #expect(logitsError <= Self.evalTolerance, "logits differ by \(logitsError) of their scale")
        #expect(featuresError <= Self.evalTolerance, "pooled features differ by \(featuresError) of their scale")
    }

    /// Part 7's step: one logit, binary cross-entropy, Adam, batch statistics.
    @Test func oneAdamStepInTrainingModeMatchesTorchvision() throws {
        let reference = try Self.reference()
        let model = try Self.model(classCount: 1, modulus: reference.modulus)
        let optimizer = try Adam(parameters: model.allParameters, learningRate: Float(reference.learningRate))
        let batch = try LabeledData(features: Self.images(reference.imageShape), labels: reference.labels, classCount: 2)
        let session = try TrainingSession(model: model, optimizer: optimizer, inputShape: batch.sampleShape,
                                          classCount: 2, loss: .binaryCrossEntropy)
        let step = session.step(on: batch, order: Array(0..<batch.count), start: 0, count: batch.count)
        #expect(step.isFinite)
        let lossError = abs(step.loss - reference.train.loss) / reference.train.loss
        #expect(lossError <= Self.lossTolerance, "loss \(step.loss), torchvision \(reference.train.loss)")

        let downsample = try #require(model.layer2[0].downsample?.layers[0] as? Conv2D)
        let parameters: [String: Parameter] = [
            "conv1.weight": model.conv1.weight, "bn1.weight": model.bn1.weight,
            "layer1.0.conv2.weight": model.layer1[0].conv2.weight, "layer2.0.downsample.0.weight": downsample.weight,
            "layer3.1.bn2.bias": model.layer3[1].bn2.bias, "layer4.1.conv2.weight": model.layer4[1].conv2.weight,
            "fc.weight": model.fc.weight, "fc.bias": try #require(model.fc.bias),
        ]
        #expect(Set(parameters.keys) == Set(reference.train.tensors.keys))
        for (name, tracked) in reference.train.tensors.sorted(by: { $0.key < $1.key }) {
            let parameter = try #require(parameters[name])
            #expect(parameter.value.count == tracked.count, "\(name)")
            let allowed = Self.gradientTolerance * tracked.gradientScale
            let gradient = tracked.indices.map { parameter.gradient[flat: $0] }
            let gradientError = zip(gradient, tracked.gradient).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(gradientError <= allowed, "\(name): gradient off by \(gradientError / tracked.gradientScale) of its scale")
            for (position, index) in tracked.indices.enumerated() {
                let bound = abs(tracked.gradient[position]) <= allowed ? 2 * reference.learningRate : Self.valueTolerance
                let difference = abs(Double(parameter.value[flat: index]) - tracked.after[position])
                #expect(difference <= bound, "\(name)[\(index)] after the step: \(parameter.value[flat: index]), torchvision \(tracked.after[position])")
            }
        }

        let norms: [String: BatchNorm] = [
            "bn1": model.bn1, "layer2.0.downsample.1": try #require(model.layer2[0].downsample?.layers[1] as? BatchNorm),
            "layer4.1.bn2": model.layer4[1].bn2,
        ]
        for (name, running) in reference.train.running {
            let norm = try #require(norms[name])
            let meanError = Self.relativeError(norm.runningMean.scalars, running.mean)
            let varianceError = Self.relativeError(norm.runningVariance.scalars, running.var)
            #expect(meanError <= Self.runningTolerance, "\(name).running_mean off by \(meanError)")
            #expect(varianceError <= Self.runningTolerance, "\(name).running_var off by \(varianceError)")
        }
    }
}
