import Support

/// The per-channel loops of batch normalisation over `[N, C, S]` with S > 1
/// (BatchNorm2d), for a range of channels at a time, so that a layer can split its
/// channels over a core budget (`BatchNormWork`). Each channel's sums run over its
/// samples in order whichever range holds it, so the results are the same bit for
/// bit whatever the number of parts.
struct BatchNormPlanes {
    let x: UnsafePointer<Float>
    let samples: Int
    let channels: Int
    let positions: Int

    /// Values per channel.
    var count: Double { Double(samples * positions) }

    func plane(_ n: Int, _ c: Int) -> Int { (n * channels + c) * positions }

    /// `mu[c]` and `squares[c]`: mean and biased variance (two passes, in Double).
    func statistics(_ range: Range<Int>, mean mu: UnsafeMutablePointer<Double>, variance squares: UnsafeMutablePointer<Double>) {
        for c in range {
            var sum = 0.0
            for n in 0..<samples { sum += Kernels.sumOf(x + plane(n, c), count: positions) }
            mu[c] = sum / count
            var deviation = 0.0
            for n in 0..<samples {
                deviation += Kernels.sumOfSquaredDeviations(x + plane(n, c), from: mu[c], count: positions)
            }
            squares[c] = deviation / count
        }
    }

    /// `y = x·alpha[c] + shift[c]`, then `+ residual` and `max(·, 0)`, or `max(·, 0)`
    /// alone when `relu`, plane by plane.
    func transform(_ range: Range<Int>, alpha: UnsafePointer<Float>, shift: UnsafePointer<Float>,
                   residual: UnsafePointer<Float>?, relu: Bool, into y: UnsafeMutablePointer<Float>) {
        for n in 0..<samples {
            for c in range {
                let offset = plane(n, c)
                Kernels.multiplyAdd(x + offset, alpha[c], shift[c], into: y + offset, count: positions)
                if let residual {
                    Kernels.addReLU(y + offset, residual + offset, into: y + offset, count: positions)
                } else if relu {
                    Kernels.relu(y + offset, into: y + offset, count: positions)
                }
            }
        }
    }

    /// `sumDy[c] = Σ dy` and `dot[c] = Σ (x - μ)·dy` (in Double, samples in order).
    func gradientSums(_ range: Range<Int>, dy: UnsafePointer<Float>, mean mu: UnsafePointer<Float>,
                      sumDy: UnsafeMutablePointer<Double>, dot: UnsafeMutablePointer<Double>) {
        for c in range {
            sumDy[c] = 0
            dot[c] = 0
            for n in 0..<samples {
                let offset = plane(n, c)
                let sums = Kernels.gradientSums(x: x + offset, dy: dy + offset, mean: mu[c], count: positions)
                sumDy[c] += sums.sumDy
                dot[c] += sums.dot
            }
        }
    }

    /// `dx = (dy - meanDy[c] - (x - μ[c])·k[c])·scale[c]`.
    func inputGradient(_ range: Range<Int>, dy: UnsafePointer<Float>, mean mu: UnsafePointer<Float>,
                       meanDy: UnsafePointer<Float>, k: UnsafePointer<Float>, scale: UnsafePointer<Float>,
                       into dx: UnsafeMutablePointer<Float>) {
        for n in 0..<samples {
            for c in range {
                let offset = plane(n, c)
                Kernels.normalisedGradient(x: x + offset, dy: dy + offset, mean: mu[c], meanDy: meanDy[c], k: k[c],
                                           scale: scale[c], into: dx + offset, count: positions)
            }
        }
    }
}

/// Splits one `BatchNormPlanes` step over the channels and a budget's cores; one per
/// layer, reused, so a call allocates nothing.
final class BatchNormWork: ParallelWork {
    enum Step {
        case statistics(mean: UnsafeMutablePointer<Double>, variance: UnsafeMutablePointer<Double>)
        case transform(alpha: UnsafePointer<Float>, shift: UnsafePointer<Float>, residual: UnsafePointer<Float>?,
                       relu: Bool, y: UnsafeMutablePointer<Float>)
        case gradientSums(dy: UnsafePointer<Float>, mean: UnsafePointer<Float>, sumDy: UnsafeMutablePointer<Double>,
                          dot: UnsafeMutablePointer<Double>)
        case inputGradient(dy: UnsafePointer<Float>, mean: UnsafePointer<Float>, meanDy: UnsafePointer<Float>,
                           k: UnsafePointer<Float>, scale: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>)
    }

    /// The cores the layer splits its channels over.
    var cores: CoreBudget
    private var planes: BatchNormPlanes?
    private var step: Step?
    /// The calling thread's subnormal mode, which the worker threads take for the call.
    private var flushesSubnormals = false

    init(cores: CoreBudget) { self.cores = cores }

    /// Runs `step` over every channel of `planes`, in as many parts as the budget and
    /// the work allow (whole channels each).
    func run(_ planes: BatchNormPlanes, _ step: Step) {
        let parts = min(planes.channels, CoreBudget.parts(work: planes.samples * planes.channels * planes.positions,
                                                           cores: cores.count))
        guard parts > 1 else { return run(planes, step, channels: 0..<planes.channels) }
        (self.planes, self.step) = (planes, step)
        flushesSubnormals = FloatingPointMode.flushesSubnormalsToZero
        defer { (self.planes, self.step) = (nil, nil) }
        cores.run(parts: parts, self)
    }

    func run(part: Int, parts: Int) {
        guard let planes, let step else { return }
        FloatingPointMode.with(flushingSubnormals: flushesSubnormals) {
            run(planes, step, channels: CoreBudget.share(of: planes.channels, part: part, parts: parts))
        }
    }

    private func run(_ planes: BatchNormPlanes, _ step: Step, channels range: Range<Int>) {
        switch step {
        case let .statistics(mean, variance):
            planes.statistics(range, mean: mean, variance: variance)
        case let .transform(alpha, shift, residual, relu, y):
            planes.transform(range, alpha: alpha, shift: shift, residual: residual, relu: relu, into: y)
        case let .gradientSums(dy, mean, sumDy, dot):
            planes.gradientSums(range, dy: dy, mean: mean, sumDy: sumDy, dot: dot)
        case let .inputGradient(dy, mean, meanDy, k, scale, dx):
            planes.inputGradient(range, dy: dy, mean: mean, meanDy: meanDy, k: k, scale: scale, into: dx)
        }
    }
}
