import Engine
import Foundation
import Support
import Vision

/// Training and inference speed of ResNet18 on this machine, for `nnreport bench resnet18`.
///
/// Trains a freshly initialised network on random images with Adam and softmax
/// cross-entropy, then evaluates it in inference mode, timing each phase after
/// warm-up steps that size every buffer. The convolution layers' own rate
/// (im2col and col2im included) is reported next to OpenBLAS's SGEMM rate on
/// square matrices on the same cores, and the process's peak resident memory at the end.
public struct ResNetBenchmark: Sendable {
    /// What one run measured. Coding keys are the JSON field names of `--json`.
    public struct Result: Codable, Sendable {
        public var imageSize: Int
        public var batchSize: Int
        public var classCount: Int
        /// Cores of the budget the model ran on.
        public var cores: Int
        public var trainImagesPerSecond: Double
        public var inferImagesPerSecond: Double
        /// Convolution GFLOP/s over the profiled steps that follow each timed phase.
        public var convGigaflops: Double
        /// OpenBLAS SGEMM GFLOP/s on 1024x1024 matrices, on the same cores.
        public var sgemmGigaflops: Double
        /// Peak resident memory of the process (VmHWM), MiB.
        public var peakResidentMiB: Double
        /// Heap allocations per timed training and inference step, or nil when not counted.
        public var trainAllocationsPerStep: Double?
        public var inferAllocationsPerStep: Double?

        enum CodingKeys: String, CodingKey {
            case imageSize = "image_size"
            case batchSize = "batch"
            case classCount = "classes"
            case cores
            case trainImagesPerSecond = "train_images_per_s"
            case inferImagesPerSecond = "infer_images_per_s"
            case convGigaflops = "conv_gflops"
            case sgemmGigaflops = "sgemm_gflops"
            case peakResidentMiB = "peak_rss_mib"
            case trainAllocationsPerStep = "train_allocations_per_step"
            case inferAllocationsPerStep = "infer_allocations_per_step"
        }
    }

    public var imageSize: Int
    public var batchSize: Int
    public var classCount: Int
    /// Minimum seconds to time each phase (at least `minimumSteps` steps are timed).
    public var seconds: Double
    public var minimumSteps: Int
    public var warmupSteps: Int
    /// The cores the model's convolutions and pooling use.
    public var cores: CoreBudget
    /// Returns the process's heap allocation count so far, if available.
    public var allocationCounter: (@Sendable () -> UInt64)?

    public init(imageSize: Int = 64, batchSize: Int = 32, classCount: Int = 2, seconds: Double = 5,
                minimumSteps: Int = 3, warmupSteps: Int = 2, cores: CoreBudget = .machine(),
                allocationCounter: (@Sendable () -> UInt64)? = nil) {
        self.cores = cores
        self.allocationCounter = allocationCounter
        self.imageSize = imageSize
        self.batchSize = batchSize
        self.classCount = classCount
        self.seconds = seconds
        self.minimumSteps = minimumSteps
        self.warmupSteps = warmupSteps
    }

    /// Runs both phases and the SGEMM reference; `progress` receives one line per phase.
    public func run(progress: (String) -> Void = { _ in }) throws -> Result {
        try FloatingPointMode.withSubnormalsFlushed { try runFlushed(progress: progress) }
    }

    private func runFlushed(progress: (String) -> Void) throws -> Result {
        guard imageSize >= 1, batchSize >= 1, classCount >= 2, seconds > 0 else {
            throw EngineError.invalidArgument("benchmark needs a positive image size and batch, and 2+ classes")
        }
        var rng = RNG(seed: 7)
        let model = try ResNet18(classCount: classCount, rng: &rng, workspace: ConvolutionWorkspace(cores: cores))
        let optimizer = try Adam(parameters: model.allParameters, learningRate: 1e-3, cores: cores)
        let loss = SoftmaxCrossEntropy()
        let pixels = batchSize * 3 * imageSize * imageSize
        let images = Tensor(shape: [batchSize, 3, imageSize, imageSize],
                            values: (0..<pixels).map { _ in Float(rng.normal()) })
        let labels = (0..<batchSize).map { Int32($0 % classCount) }

        func trainStep() {
            optimizer.zeroGradients()
            let logits = model.forward(images, mode: .training)
            let result = loss.lossAndGradient(logits: logits, labels: labels[...])
            _ = model.backward(result.gradient, needsInputGradient: false)
            optimizer.step()
        }
        func inferStep() {
            _ = model.forward(images, mode: .inference)
        }

        var profile = ConvolutionProfile()
        let (train, trainAllocations) = timed(trainStep, profile: &profile, model: model)
        progress(String(format: "training: %.1f images/s", Double(batchSize) / train))
        let (infer, inferAllocations) = timed(inferStep, profile: &profile, model: model)
        progress(String(format: "inference: %.1f images/s", Double(batchSize) / infer))
        progress(String(format: "conv time %.2f s, of which SGEMM %.2f s (%.0f GFLOP/s inside SGEMM)",
                        profile.seconds, profile.gemmSeconds, profile.flops / max(profile.gemmSeconds, 1e-9) / 1e9))
        let sgemm = MLPBenchmark.sgemmGigaflops(seconds: min(seconds, 2), cores: cores)
        return Result(imageSize: imageSize, batchSize: batchSize, classCount: classCount,
                      cores: cores.count,
                      trainImagesPerSecond: Double(batchSize) / train,
                      inferImagesPerSecond: Double(batchSize) / infer,
                      convGigaflops: profile.gigaflopsPerSecond, sgemmGigaflops: sgemm,
                      peakResidentMiB: Self.peakResidentMiB() ?? 0,
                      trainAllocationsPerStep: trainAllocations, inferAllocationsPerStep: inferAllocations)
    }

    /// Seconds and heap allocations per step of `step` after warm-up, timed without
    /// the convolution profile (whose clock readings, several per layer, took ~1% of
    /// an inference step); then a quarter as many steps again with it, which add the
    /// convolutions' work to `profile`.
    private func timed(_ step: () -> Void, profile: inout ConvolutionProfile,
                       model: ResNet18) -> (seconds: Double, allocations: Double?) {
        for _ in 0..<warmupSteps { step() }
        let allocationsBefore = allocationCounter?()
        var steps = 0
        let started = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            step()
            steps += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        } while elapsed < seconds || steps < minimumSteps
        let allocations = allocationCounter.map { Double($0() - allocationsBefore!) / Double(steps) }
        model.workspace.profile = profile
        for _ in 0..<max(minimumSteps, steps / 4) { step() }
        profile = model.workspace.profile ?? profile
        model.workspace.profile = nil
        return (elapsed / Double(steps), allocations)
    }

    /// The process's peak resident set size (VmHWM in /proc/self/status), MiB; nil where unavailable.
    public static func peakResidentMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Double(fields[1]) else { return nil }
            return kilobytes / 1024
        }
        return nil
    }
}
