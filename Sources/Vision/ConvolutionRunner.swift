import Dispatch
import Engine
import Support

/// Runs the chunks (or weight blocks, or partial sums) of a `ConvolutionPass` on the
/// threads of the workspace's core budget.
///
/// One runner belongs to a workspace and is reused by every call, so handing work
/// to the threads allocates nothing.
final class ConvolutionRunner: ParallelWork {
    enum Step {
        case forward(ForwardData)
        case backward(BackwardData)
        case weightBlocks(BackwardData)
        case sumPartials(BackwardData)
        case winogradWeightProducts(BackwardData)
        case winogradWeightGradient(BackwardData)
        case winogradWeights(WeightTransform)
        case tapWeights(WeightTransform)
        case tapGather(TapMatrix)
        case tapProducts(TapProducts)
        case tapSums(TapMatrix)
        case tapWeightGradient(BackwardData)
    }

    private var pass: ConvolutionPass?
    private var step: Step?
    private var count = 0
    private var clock = ConvolutionClock(enabled: false)
    /// The calling thread's subnormal mode, which the worker threads take for the call.
    private var flushesSubnormals = false
    /// SGEMM seconds of each part of the current call.
    private var seconds: UnsafeMutableBufferPointer<Double> = .allocate(capacity: 4)

    deinit { seconds.deallocate() }

    /// Runs `step` for items `0..<count` split over `parts` threads; returns the
    /// seconds spent in SGEMM averaged over the threads.
    func run(_ pass: ConvolutionPass, _ step: Step, count: Int, parts: Int, clock: ConvolutionClock) -> Double {
        // The pass sized its lanes for `threads` (the budget's count when it was made);
        // the budget may have grown since, but a call never splits wider than that.
        precondition(parts <= pass.threads, "\(parts) parts for a pass sized for \(pass.threads) threads")
        if seconds.count < parts {
            seconds.deallocate()
            seconds = .allocate(capacity: parts)
        }
        (self.pass, self.step, self.count, self.clock) = (pass, step, count, clock)
        flushesSubnormals = FloatingPointMode.flushesSubnormalsToZero
        defer { (self.pass, self.step) = (nil, nil) }
        pass.cores.run(parts: parts, self)
        return seconds[0..<parts].reduce(0, +) / Double(parts)
    }

    func run(part: Int, parts: Int) {
        FloatingPointMode.with(flushingSubnormals: flushesSubnormals) { runPart(part, parts: parts) }
    }

    private func runPart(_ part: Int, parts: Int) {
        guard let pass, let step else { return }
        var time = 0.0
        let items = CoreBudget.share(of: count, part: part, parts: parts)
        switch step {
        case .forward(let data):
            for index in items { time += pass.forwardChunk(index, lane: part, data, clock: clock) }
        case .backward(let data):
            for index in items { time += pass.backwardChunk(index, lane: part, data, clock: clock) }
        case .weightBlocks(let data):
            for block in items { time += pass.weightBlock(block, data, clock: clock) }
        case .sumPartials(let data):
            pass.sumPartials(items, data)
        case .winogradWeightProducts(let data):
            for xi in items { time += pass.winogradWeightProduct(xi, data, clock: clock) }
        case .winogradWeightGradient(let data):
            pass.winogradWeightGradient(items, data)
        case .winogradWeights(let transform):
            pass.transformWeights(rows: items, transform)
        case .tapWeights(let transform):
            pass.tapWeights(rows: items, transform)
        case .tapGather(let gather):
            pass.gatherTaps(rows: items, gather)
        case .tapProducts(let products):
            for item in items { time += pass.tapProduct(item, products, clock: clock) }
        case .tapSums(let sums):
            pass.sumTaps(rows: items, sums)
        case .tapWeightGradient(let data):
            pass.addTapWeightGradient(rows: items, data)
        }
        seconds[part] = time
    }
}

/// Times SGEMM calls when the workspace is profiling; free otherwise.
struct ConvolutionClock {
    let enabled: Bool

    @inline(__always)
    func time(_ body: () -> Void) -> Double {
        guard enabled else {
            body()
            return 0
        }
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
