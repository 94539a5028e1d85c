import Engine

extension RNG {
    /// An approximately standard normal sample from one 64-bit draw: the sum of
    /// four uniform 16-bit values, centred and scaled to unit variance (Irwin–Hall,
    /// bounded at ±2√3). Several times faster than `normal()`, for per-pixel noise.
    mutating func approximateNormal() -> Float {
        let bits = next()
        let sum = (bits & 0xFFFF) + (bits >> 16 & 0xFFFF) + (bits >> 32 & 0xFFFF) + (bits >> 48)
        // Four uniforms on [0, 1) have mean 2 and variance 4/12.
        return (Float(sum) * 0x1p-16 - 2) * 1.7320508
    }
}
