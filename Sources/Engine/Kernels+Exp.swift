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
        let x = value.clamped(lowerBound: FloatVector(repeating: -87.336_54), upperBound: FloatVector(repeating: 88))
        // Round to nearest by adding and subtracting 1.5·2²³ (SSE2 has no vector round).
        let shifter = FloatVector(repeating: 12_582_912)
        let n = (x * 1.442_695_04 + shifter) - shifter
        let r = x - n * 0.693_359_375 - n * -2.121_944_4e-4
        var p = FloatVector(repeating: 1.987_569_150_0e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let y = p * r * r + r + 1
        let exponentBits = (SIMD8<Int32>(n) &+ 127) &<< 23
        return y * unsafeBitCast(exponentBits, to: FloatVector.self)
    }

    /// Scalar form of `exp(_:)` for loop tails, so every element gets the same rounding.
    @inline(__always)
    static func exp(_ value: Float) -> Float {
        exp(FloatVector(repeating: value))[0]
    }
}
