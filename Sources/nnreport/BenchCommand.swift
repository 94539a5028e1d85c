import ArgumentParser
import CAllocationCounter
import Bench
import Engine
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measures the speed of the engine on this machine.",
        subcommands: [BenchMLP.self, BenchResNet.self]
    )
}

struct BenchMLP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Training steps/s and samples/s of the study's MLPs (Adam, 2 inputs, 16 classes), and SGEMM GFLOP/s for scale."
    )

    @Flag(help: "Print one JSON array of measurements instead of a table.")
    var json = false

    @Option(parsing: .unconditional, help: "Seconds to time each case.")
    var seconds: Double = 1.0

    @Option(help: "Only the cases whose name (or name:batch) is listed, comma-separated.")
    var only: String?

    func validate() throws {
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
    }

    func run() throws {
        let counter: (() -> UInt64)? = nnr_allocation_counting_available() != 0 ? { nnr_allocation_count() } : nil
        let benchmark = MLPBenchmark(secondsPerCase: seconds, allocationCounter: counter)
        var results: [MLPBenchmark.Measurement] = []
        if !json {
            print("\(BLAS.configuration), one core (as every MLP run of the study)")
            print(pad("case", 14) + pad("batch", 7, right: true) + pad("steps/s", 12, right: true)
                  + pad("samples/s", 14, right: true) + pad("allocs/step", 13, right: true))
        }
        let selected = only.map { Set($0.split(separator: ",").map(String.init)) }
        let cases = MLPBenchmark.standardCases.filter { benchCase in
            selected.map { $0.contains(benchCase.name) || $0.contains("\(benchCase.name):\(benchCase.batchSize)") } ?? true
        }
        for benchCase in cases {
            let result = try benchmark.measure(benchCase)
            results.append(result)
            if !json {
                print(pad(result.name, 14) + pad("\(result.batch)", 7, right: true)
                      + pad(format(result.stepsPerSecond), 12, right: true)
                      + pad(format(result.samplesPerSecond), 14, right: true)
                      + pad(result.allocationsPerStep.map { String(format: "%.2f", $0) } ?? "n/a", 13, right: true))
            }
        }
        let gflops = MLPBenchmark.sgemmGigaflops(seconds: seconds)
        if json {
            var entries: [[String: Any]] = results.map { result in
                var entry: [String: Any] = ["name": result.name, "batch": result.batch,
                                            "steps_per_s": result.stepsPerSecond,
                                            "samples_per_s": result.samplesPerSecond]
                if let allocations = result.allocationsPerStep { entry["allocations_per_step"] = allocations }
                return entry
            }
            entries.append(["name": "openblas-sgemm-1024", "batch": 1024, "gflops": gflops,
                            "steps_per_s": gflops * 1e9 / (2 * 1024 * 1024 * 1024),
                            "samples_per_s": gflops * 1e9 / (2 * 1024 * 1024)])
            let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("OpenBLAS SGEMM 1024x1024x1024: \(String(format: "%.1f", gflops)) GFLOP/s")
        }
    }

    private func format(_ value: Double) -> String {
        value >= 1e6 ? String(format: "%.2fM", value / 1e6) : value >= 1e3 ? String(format: "%.1fk", value / 1e3)
            : String(format: "%.1f", value)
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
