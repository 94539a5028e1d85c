// The inner loops of the batch-normalisation kernels, in two shapes: along a row
// of C channels with a value per channel (BatchNorm1d), and along one channel's
// contiguous run of positions with scalar per-channel values (BatchNorm2d).

extension Kernels {
    // MARK: Along a row of channels

    /// `sums[c] += x[c]` in Double.
    @inline(__always)
    static func accumulateRow(_ x: UnsafePointer<Float>, into sums: UnsafeMutablePointer<Double>, count: Int) {
        let end = vectorEnd(count)
        var c = 0
        while c < end { store(load(sums, c) + SIMD8<Double>(load(x, c)), sums, c); c += lanes }
        while c < count { sums[c] += Double(x[c]); c += 1 }
    }

    /// `squares[c] += (x[c] - mean[c])²` in Double.
    @inline(__always)
    static func accumulateSquaredDeviations(
        _ x: UnsafePointer<Float>, from mean: UnsafeMutablePointer<Double>,
        into squares: UnsafeMutablePointer<Double>, count: Int
    ) {
        let end = vectorEnd(count)
        var c = 0
        while c < end {
            let d = SIMD8<Double>(load(x, c)) - load(mean, c)
            store(load(squares, c) + d * d, squares, c)
            c += lanes
        }
        while c < count { let d = Double(x[c]) - mean[c]; squares[c] += d * d; c += 1 }
    }

    /// `y[c] = x[c]·alpha[c] + shift[c]`.
    @inline(__always)
    static func multiplyAdd(
        _ x: UnsafePointer<Float>, _ alpha: UnsafePointer<Float>, _ shift: UnsafePointer<Float>,
        into y: UnsafeMutablePointer<Float>, count: Int
    ) {
        let end = vectorEnd(count)
        var c = 0
        while c < end { store(load(x, c) * load(alpha, c) + load(shift, c), y, c); c += lanes }
        while c < count { y[c] = x[c] * alpha[c] + shift[c]; c += 1 }
    }

    /// `sumDy[c] += dy[c]`, `dot[c] += (x[c] - mean[c])·dy[c]`, sums in Double.
    @inline(__always)
    static func accumulateGradientSums(
        x: UnsafePointer<Float>, dy: UnsafePointer<Float>, mean: UnsafePointer<Float>,
        sumDy: UnsafeMutablePointer<Double>, dot: UnsafeMutablePointer<Double>, count: Int
    ) {
        let end = vectorEnd(count)
        var c = 0
        while c < end {
            let d = SIMD8<Double>(load(dy, c))
            store(load(sumDy, c) + d, sumDy, c)
            store(load(dot, c) + SIMD8<Double>(load(x, c) - load(mean, c)) * d, dot, c)
            c += lanes
        }
        while c < count {
            let d = Double(dy[c])
            sumDy[c] += d
            dot[c] += Double(x[c] - mean[c]) * d
            c += 1
        }
    }

    /// `dx[c] = (dy[c] - meanDy[c] - (x[c] - mean[c])·k[c])·scale[c]`.
    @inline(__always)
    static func normalisedGradientRow(
        x: UnsafePointer<Float>, dy: UnsafePointer<Float>, mean: UnsafePointer<Float>,
        meanDy: UnsafePointer<Float>, k: UnsafePointer<Float>, scale: UnsafePointer<Float>,
        into dx: UnsafeMutablePointer<Float>, count: Int
    ) {
        let end = vectorEnd(count)
        var c = 0
        while c < end {
            let value = (load(dy, c) - load(meanDy, c) - (load(x, c) - load(mean, c)) * load(k, c)) * load(scale, c)
            store(value, dx, c)
            c += lanes
        }
        while c < count { dx[c] = (dy[c] - meanDy[c] - (x[c] - mean[c]) * k[c]) * scale[c]; c += 1 }
    }

    // MARK: Along one channel's positions

    /// `Σ x[s]` in Double (per-lane partial sums, then a fixed-order reduction).
    @inline(__always)
    static func sumOf(_ x: UnsafePointer<Float>, count: Int) -> Double {
        let end = vectorEnd(count)
        var partial = SIMD8<Double>()
        var s = 0
        while s < end { partial += SIMD8<Double>(load(x, s)); s += lanes }
        var total = partial.sum()
        while s < count { total += Double(x[s]); s += 1 }
        return total
    }

    /// `Σ (x[s] - mean)²` in Double.
    @inline(__always)
    static func sumOfSquaredDeviations(_ x: UnsafePointer<Float>, from mean: Double, count: Int) -> Double {
        let end = vectorEnd(count)
        var partial = SIMD8<Double>()
        var s = 0
        while s < end { let d = SIMD8<Double>(load(x, s)) - mean; partial += d * d; s += lanes }
        var total = partial.sum()
        while s < count { let d = Double(x[s]) - mean; total += d * d; s += 1 }
        return total
    }

    /// `y[s] = x[s]·alpha + shift`.
    @inline(__always)
    static func multiplyAdd(
        _ x: UnsafePointer<Float>, _ alpha: Float, _ shift: Float, into y: UnsafeMutablePointer<Float>, count: Int
    ) {
        let end = vectorEnd(count)
        var s = 0
        while s < end { store(load(x, s) * alpha + shift, y, s); s += lanes }
        while s < count { y[s] = x[s] * alpha + shift; s += 1 }
    }

    /// `(Σ dy[s], Σ (x[s] - mean)·dy[s])` in Double.
    @inline(__always)
    static func gradientSums(
        x: UnsafePointer<Float>, dy: UnsafePointer<Float>, mean: Float, count: Int
    ) -> (sumDy: Double, dot: Double) {
        let end = vectorEnd(count)
        var partialDy = SIMD8<Double>(), partialDot = SIMD8<Double>()
        var s = 0
        while s < end {
            let d = SIMD8<Double>(load(dy, s))
            partialDy += d
            partialDot += SIMD8<Double>(load(x, s) - mean) * d
            s += lanes
        }
        var sumDy = partialDy.sum(), dot = partialDot.sum()
        while s < count {
            let d = Double(dy[s])
            sumDy += d
            dot += Double(x[s] - mean) * d
            s += 1
        }
        return (sumDy, dot)
    }

    /// `dx[s] = (dy[s] - meanDy - (x[s] - mean)·k)·scale`.
    @inline(__always)
    static func normalisedGradient(
        x: UnsafePointer<Float>, dy: UnsafePointer<Float>, mean: Float, meanDy: Float, k: Float, scale: Float,
        into dx: UnsafeMutablePointer<Float>, count: Int
    ) {
        let end = vectorEnd(count)
        var s = 0
        while s < end { store((load(dy, s) - meanDy - (load(x, s) - mean) * k) * scale, dx, s); s += lanes }
        while s < count { dx[s] = (dy[s] - meanDy - (x[s] - mean) * k) * scale; s += 1 }
    }
}
