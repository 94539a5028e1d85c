import ArgumentParser
import CAllocationCounter
import Engine
import Bench
import Foundation
import Support

struct BenchResNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resnet18",
        abstract: "ResNet18 training and inference images/s (random images, Adam), conv GFLOP/s next to SGEMM's, peak memory."
    )

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(parsing: .unconditional, help: "Image side in pixels.")
    var imageSize: Int = 64

    @Option(parsing: .unconditional, help: "Images per batch.")
    var batch: Int = 32

    @Option(parsing: .unconditional, help: "Number of classes of the final layer.")
    var classes: Int = 2

    @Option(parsing: .unconditional, help: "Minimum seconds to time each phase.")
    var seconds: Double = 5

    @Option(parsing: .unconditional, help: "Cores the network's convolutions and pooling use (default: every core).")
    var cores: Int = CoreBudget.machineCores

    func validate() throws {
        guard imageSize >= 1 else { throw ValidationError("--image-size must be positive") }
        guard batch >= 1 else { throw ValidationError("--batch must be positive") }
        guard classes >= 2 else { throw ValidationError("--classes must be at least 2") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
        guard cores >= 1 else { throw ValidationError("--cores must be at least 1") }
    }

    func run() throws {
        let counter: (@Sendable () -> UInt64)? = nnr_allocation_counting_available() != 0 ? { @Sendable in nnr_allocation_count() } : nil
        let benchmark = ResNetBenchmark(imageSize: imageSize, batchSize: batch, classCount: classes, seconds: seconds,
                                        cores: CoreBudget(cores: cores), allocationCounter: counter)
        if !json {
            print("\(BLAS.configuration), \(cores) core(s)")
            print("ResNet18, \(imageSize)x\(imageSize), batch \(batch), \(classes) classes")
        }
        let result = try benchmark.run(progress: { line in if !json { print(line) } })
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(String(format: "conv layers: %.1f GFLOP/s (%.0f%% of SGEMM)", result.convGigaflops,
                         100 * result.convGigaflops / max(result.sgemmGigaflops, 1e-9)))
            print(String(format: "OpenBLAS SGEMM 1024x1024x1024 on the same cores: %.1f GFLOP/s", result.sgemmGigaflops))
            print(String(format: "peak resident memory: %.0f MiB", result.peakResidentMiB))
            if let train = result.trainAllocationsPerStep, let infer = result.inferAllocationsPerStep {
                print(String(format: "heap allocations per step: %.1f training, %.1f inference", train, infer))
            }
        }
    }
}
