import Engine
import Foundation
import Support
import Testing
import TestSupport
@testable import Vision

/// The smallest gap between the two largest values of any 3x3 stride-2 padding-1 window.
private func smallestPoolingGap(_ x: Tensor) -> Float {
    let planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3]
    var smallest = Float.infinity
    for p in 0..<planes {
        for i in 0..<((h + 1) / 2) {
            for j in 0..<((w + 1) / 2) {
                var window: [Float] = []
                for a in (2 * i - 1)...(2 * i + 1) where a >= 0 && a < h {
                    for b in (2 * j - 1)...(2 * j + 1) where b >= 0 && b < w { window.append(x[flat: (p * h + a) * w + b]) }
                }
                window.sort(by: >)
                if window.count > 1 { smallest = min(smallest, window[0] - window[1]) }
            }
        }
    }
    return smallest
}

@Suite struct ResNetTests {
    @Test func resNet18HasTorchvisionsParameterCountNamesAndOutputShape() throws {
        var rng = RNG(seed: 31)
        let model = try ResNet18(classCount: 1000, rng: &rng)
        #expect(model.allParameters.reduce(0) { $0 + $1.value.count } == 11_689_512,
                "torchvision.models.resnet18() has 11,689,512 parameters")
        let names = model.stateDictNames
        #expect(names.count == 122, "torchvision's resnet18 state_dict has 122 entries")
        #expect(Array(names.prefix(7)) == ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                                           "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.conv1.weight"])
        for name in ["layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var", "layer4.1.bn2.bias",
                     "layer3.0.conv1.weight", "fc.weight", "fc.bias"] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(!names.contains("layer1.0.downsample.0.weight"), "layer1 keeps identity shortcuts")
        #expect(model.stateDict()["layer2.0.downsample.0.weight"]?.shape == [128, 64, 1, 1])

        let x = randomTensor([2, 3, 32, 32], rng: &rng)
        #expect(try model.outputShape(for: x.shape) == [2, 1000])
        let logits = model.forward(x, mode: .inference)
        #expect(logits.shape == [2, 1000])
        #expect(logits.scalars.allSatisfy { $0.isFinite })
        #expect(throws: (any Error).self) { try model.outputShape(for: [2, 1, 32, 32]) }
    }

    @Test func initialisationFollowsTorchvision() throws {
        var rng = RNG(seed: 32)
        let model = try ResNet18(classCount: 10, rng: &rng)
        // kaiming_normal_(mode="fan_out"): std = sqrt(2 / (64·7·7)) for conv1.
        let values = model.conv1.weight.value.scalars.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        expectClose(std, (2.0 / (64 * 49)).squareRoot(), accuracy: 0.005)
        expectClose(abs(mean), 0, accuracy: 0.005)
        #expect(model.layer3[0].bn2.weight.value.scalars == Array(repeating: 1, count: 256))
        #expect(model.fc.weight.value.shape == [10, 512])
        #expect(model.fc.weight.value.scalars.map(abs).max()! <= 1 / Float(512).squareRoot())
    }

    @Test(.tags(.numerics)) func basicBlockAndSmallResidualNetworkGradients() throws {
        var rng = RNG(seed: 33)
        let identity = try BasicBlock(3, 3, stride: 1, rng: &rng)
        #expect(identity.downsample == nil)
        checkGradients(of: identity, input: randomTensor([2, 3, 5, 5], rng: &rng), seed: 34, step: 1e-3,
                       tolerance: 2e-2)
        let downsampling = try BasicBlock(2, 4, stride: 2, rng: &rng)
        #expect(downsampling.downsample != nil)
        checkGradients(of: downsampling, input: randomTensor([2, 2, 6, 5], rng: &rng), seed: 35, step: 1e-3,
                       tolerance: 2e-2)

        // A small residual network: stem conv + BN + max pool + ReLU, two blocks, pool and head.
        // (ResNet applies ReLU before max pooling; the two orders compute the same function,
        // but after a ReLU whole pooling windows tie at 0, kinks that finite differences
        // cannot follow.)
        let workspace = ConvolutionWorkspace()
        let network = Sequential([
            try Conv2D(3, 4, kernelSize: 3, stride: 2, padding: 1, bias: false, rng: &rng, workspace: workspace),
            try BatchNorm(channels: 4, kind: .twoDimensional),
            try MaxPool2D(kernelSize: 3, stride: 2, padding: 1),
            ReLU(),
            try BasicBlock(4, 4, rng: &rng, workspace: workspace),
            try BasicBlock(4, 6, stride: 2, rng: &rng, workspace: workspace),
            GlobalAveragePool(),
            try Linear(6, 3, rng: &rng),
        ])
        // A max-pool window whose two largest values nearly tie is a kink for every stem
        // weight of that channel at once: take the first input whose windows are all clear.
        var input = randomTensor([3, 3, 12, 12], rng: &rng)
        while smallestPoolingGap(network.layers[1].forward(network.layers[0].forward(input, mode: .inference),
                                                           mode: .training)) < 0.02 {
            input = randomTensor([3, 3, 12, 12], rng: &rng)
        }
        // Its input gradient is below float32's finite-difference resolution (batch norm
        // at the stem shrinks it); the stem's weight gradient checks the whole chain instead.
        checkGradients(of: network, input: input, seed: 36, step: 1e-3,
                       tolerance: 2e-2, samples: 40, checkInput: false)
    }

    @Test func frozenBackboneTrainsOnlyTheHeadInInferenceMode() throws {
        var rng = RNG(seed: 37)
        let model = try ResNet18(classCount: 1000, rng: &rng)
        try model.replaceHead(classCount: 1, rng: &rng)
        #expect(model.fc.weight.value.shape == [1, 512])
        #expect(model.stateDict()["fc.weight"]?.shape == [1, 512])
        model.freezeBackbone()
        #expect(model.isBackboneFrozen)
        #expect(model.allParameters.filter { !$0.isFrozen }.count == 2, "only fc.weight and fc.bias train")

        let x = randomTensor([2, 3, 32, 32], rng: &rng)
        let runningMean = model.bn1.runningMean.scalars
        for parameter in model.allParameters { parameter.gradient.zero() }
        let logits = model.forward(x, mode: .training)
        #expect(model.backward(Tensor(repeating: 1, shape: logits.shape), needsInputGradient: true) == nil)
        #expect(model.bn1.runningMean.scalars == runningMean, "a frozen backbone runs in eval mode")
        #expect(model.bn1.batchesTracked == 0)
        #expect(model.conv1.weight.gradient.scalars.allSatisfy { $0 == 0 })
        #expect(model.fc.weight.gradient.scalars.contains { $0 != 0 })

        // Linear-probe logits equal fc applied to the extracted features.
        let features = model.extractFeatures(x, batchSize: 1)
        #expect(features.shape == [2, 512])
        let evalLogits = detached(model.forward(x, mode: .inference))
        let headLogits = model.fc.forward(features, mode: .inference)
        expectClose(evalLogits.scalars, headLogits.scalars.map(Double.init), tolerance: 1e-5, "fc(features)")

        model.freezeBackbone(false)
        #expect(model.allParameters.allSatisfy { !$0.isFrozen })
        _ = model.forward(x, mode: .training)
        #expect(model.bn1.batchesTracked == 1, "an unfrozen backbone trains its batch norms")
        #expect(throws: (any Error).self) { try model.replaceHead(with: Linear(256, 2, rng: &rng)) }
    }

    @Test(.tags(.endToEnd)) func trainingStepsReduceTheLossOfATinyProblem() throws {
        // Two classes of 32x32 images told apart by brightness: a few Adam steps must fit them.
        try FloatingPointMode.withSubnormalsFlushed {
            var rng = RNG(seed: 38)
            let model = try ResNet18(classCount: 1, rng: &rng)
            let optimizer = try Adam(parameters: model.allParameters, learningRate: 1e-3)
            let loss = BinaryCrossEntropyWithLogits()
            let labels: [Int32] = [0, 1, 0, 1]
            var values: [Float] = []
            for label in labels { values += (0..<(3 * 32 * 32)).map { _ in rng.uniform(0, 0.5) + Float(label) * 0.5 } }
            let x = Tensor(shape: [4, 3, 32, 32], values: values)
            var first = 0.0, last = 0.0
            for step in 0..<8 {
                optimizer.zeroGradients()
                let result = loss.lossAndGradient(logits: model.forward(x, mode: .training), labels: labels[...])
                _ = model.backward(result.gradient, needsInputGradient: false)
                optimizer.step()
                if step == 0 { first = result.loss }
                last = result.loss
            }
            #expect(last < first * 0.5, "loss \(first) -> \(last)")
        }
    }

    @Test(.tags(.endToEnd)) func trainingIsBitIdenticalWithOneOrTwoThreadsOrABudgetResizedAsItRuns() throws {
        // Same seed, same data: logits and every parameter after two Adam steps must
        // match bit for bit whatever the thread count (chunks never depend on it), and
        // with a budget that another thread resizes between one and three cores all the
        // while, as the scheduler lends an idle core and takes it back.
        func train(_ cores: CoreBudget) throws -> [[Float]] {
            try FloatingPointMode.withSubnormalsFlushed {
                var rng = RNG(seed: 41)
                let model = try ResNet18(classCount: 3, rng: &rng, workspace: ConvolutionWorkspace(cores: cores))
                let optimizer = try Adam(parameters: model.allParameters, learningRate: 1e-3)
                let loss = SoftmaxCrossEntropy()
                let x = Tensor(shape: [8, 3, 32, 32], values: (0..<(8 * 3 * 32 * 32)).map { _ in rng.uniform(-1, 1) })
                let labels: [Int32] = [0, 1, 2, 0, 1, 2, 0, 1]
                var logits: [Float] = []
                for _ in 0..<2 {
                    optimizer.zeroGradients()
                    let output = model.forward(x, mode: .training)
                    logits += output.scalars
                    _ = model.backward(loss.lossAndGradient(logits: output, labels: labels[...]).gradient,
                                       needsInputGradient: false)
                    optimizer.step()
                }
                return [logits] + model.allParameters.map { $0.value.scalars }
            }
        }
        let one = try train(CoreBudget(cores: 1)), two = try train(CoreBudget(cores: 2))
        let elastic = CoreBudget(cores: 1, capacity: 3)
        let resizer = Resizer(elastic)
        resizer.start()
        let resized = try train(elastic)
        let resizes = resizer.stop()
        #expect(resizes > 10, "the budget was resized only \(resizes) times")
        for (name, other) in [("two threads", two), ("a resized budget", resized)] {
            #expect(one.count == other.count)
            for (index, (a, b)) in zip(one, other).enumerated() {
                #expect(a == b, "tensor \(index) differs between one thread and \(name)")
            }
        }
    }
}

/// Resizes a budget to 1, 2, 3, 1, … cores every 100 µs on a thread of its own until stopped.
private final class Resizer: @unchecked Sendable {
    private let budget: CoreBudget
    private let lock = NSLock()
    private var stopped = false
    private var resizes = 0
    private let done = DispatchSemaphore(value: 0)

    init(_ budget: CoreBudget) { self.budget = budget }

    func start() {
        Thread { [self] in
            var count = 0
            while !lock.withLock({ stopped }) {
                count += 1
                budget.resize(to: 1 + count % budget.capacity)
                usleep(100)
            }
            lock.withLock { resizes = count }
            done.signal()
        }.start()
    }

    /// Stops the thread; returns how many times it resized the budget.
    func stop() -> Int {
        lock.withLock { stopped = true }
        done.wait()
        return lock.withLock { resizes }
    }
}
