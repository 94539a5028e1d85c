// A vectorised single-precision exponential for the softmax kernels, where
// calling libm's expf once per logit dominated evaluation time.
//
// exp(x) = 2ⁿ·exp(r) with n = round(x/ln 2) and r = x - n·ln 2 (ln 2 split in a
// high and a low part so r is exact), exp(r) from Cephes' expf minimax
// polynomial (relative error below 2 ulp on [-ln2/2, ln2/2]), and 2ⁿ built in the
// exponent bits. Arguments are clamped to [-87.3, 88], where 2ⁿ stays a normal
// float. PyTorch's vectorised CPU kernels use an approximation of the
// same kind (Sleef); results are deterministic on every machine.

extension Kernels {
    @inline(__always)
    static func exp(_ value: FloatVector) -> FloatVector {
        // Only comparisons, selects and arithmetic below: the generic SIMD conversions
        // and `clamped` are not lowered to vector instructions.
        let low = FloatVector(repeating: -87.336_54), high = FloatVector(repeating: 88)
        var x = value.replacing(with: low, where: value .< low)
        x = x.replacing(with: high, where: x .> high)
        // Round to nearest by adding 1.5·2²³ (SSE2 has no vector round): the sum's low
        // mantissa bits then hold n as a two's-complement integer.
        let shifted = x * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = x - n * 0.693_359_375 - n * -2.121_944_4e-4
        var p = FloatVector(repeating: 1.987_569_150_0e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let y = p * r * r + r + 1
        // 2ⁿ: (n + 127) in the exponent field. bits(shifted) = 0x4B40_0000 + n.
        let bits = unsafeBitCast(shifted, to: SIMD8<UInt32>.self)
        let scale = (bits &+ (127 &- 0x4B40_0000)) &<< 23
        return y * unsafeBitCast(scale, to: FloatVector.self)
    }

    /// Scalar form of `exp(_:)` for loop tails, so every element gets the same rounding.
    @inline(__always)
    static func exp(_ value: Float) -> Float {
        exp(FloatVector(repeating: value))[0]
    }
}
