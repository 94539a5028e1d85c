/// PIL's separable resampling coefficients for one axis (`precompute_coeffs` in
/// Pillow's src/libImaging/Resample.c with the bilinear filter, support 1), in the
/// two forms Pillow uses them: as floats for float images, and in 22-bit fixed
/// point for 8-bit images (`normalize_coeffs_8bpc`).
struct ResamplingFilter {
    /// Pillow's `PRECISION_BITS` (32 - 8 - 2): fractional bits of the fixed-point weights.
    static let precisionBits = 22

    let outputSize: Int
    let windowSize: Int
    /// First input index of each output's window.
    let starts: [Int]
    /// Number of inputs in each window.
    let counts: [Int]
    /// `windowSize` weights per output, normalised to sum to 1.
    let weights: [Float]
    /// The same weights as `round(w · 2^22)` (half away from zero), as Pillow's 8-bit passes take them.
    let fixedPointWeights: [Int32]

    init(inputSize: Int, outputSize: Int) {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = 1.0 * filterScale
        // Pillow multiplies by the reciprocal (`ss`): dividing instead can differ in the last bit.
        let reciprocal = 1 / filterScale
        windowSize = Int(support.rounded(.up)) * 2 + 1
        self.outputSize = outputSize
        var starts: [Int] = [], counts: [Int] = []
        var weights = [Float](repeating: 0, count: outputSize * windowSize)
        var fixedPointWeights = [Int32](repeating: 0, count: outputSize * windowSize)
        let one = Double(1 << Self.precisionBits)
        for output in 0..<outputSize {
            let center = (Double(output) + 0.5) * scale
            // C's (int) conversion truncates toward zero.
            let low = max(Int((center - support + 0.5).rounded(.towardZero)), 0)
            let high = min(Int((center + support + 0.5).rounded(.towardZero)), inputSize)
            let count = max(high - low, 0)
            var taps = [Double](repeating: 0, count: count)
            var total = 0.0
            for tap in 0..<count {
                let x = (Double(tap + low) - center + 0.5) * reciprocal
                let weight = max(0, 1 - abs(x))
                taps[tap] = weight
                total += weight
            }
            for tap in 0..<count {
                let weight = total != 0 ? taps[tap] / total : taps[tap]
                weights[output * windowSize + tap] = Float(weight)
                fixedPointWeights[output * windowSize + tap] = Int32(((weight < 0 ? -0.5 : 0.5) + weight * one).rounded(.towardZero))
            }
            starts.append(low)
            counts.append(count)
        }
        self.starts = starts
        self.counts = counts
        self.weights = weights
        self.fixedPointWeights = fixedPointWeights
    }

    /// Resamples one line read with `stride` into an output line written with `outputStride`.
    func apply(_ source: UnsafePointer<Float>, stride: Int, into target: UnsafeMutablePointer<Float>, outputStride: Int) {
        for output in 0..<outputSize {
            let start = starts[output], base = output * windowSize
            var sum: Float = 0
            for tap in 0..<counts[output] { sum += source[(start + tap) * stride] * weights[base + tap] }
            target[output * outputStride] = sum
        }
    }

    /// Resamples one line of 8-bit levels as Pillow's `ImagingResampleHorizontal_8bpc`
    /// and `_Vertical_8bpc` do: an integer sum of level × fixed-point weight, plus one
    /// half, shifted back by 22 bits and clamped to 0...255 (`clip8`).
    func apply(_ source: UnsafePointer<UInt8>, stride: Int, into target: UnsafeMutablePointer<UInt8>, outputStride: Int) {
        for output in 0..<outputSize {
            let start = starts[output], base = output * windowSize
            // At most 2^21 + 255 · (2^22 + windowSize): no overflow in 32 bits.
            var sum = Int32(1 << (Self.precisionBits - 1))
            for tap in 0..<counts[output] { sum += Int32(source[(start + tap) * stride]) * fixedPointWeights[base + tap] }
            target[output * outputStride] = UInt8(clamping: sum >> Int32(Self.precisionBits))
        }
    }
}
