import Support

/// A seeded random number generator owned by one run: xoshiro256** seeded through
/// SplitMix64 (Blackman & Vigna, https://prng.di.unimi.it/).
///
/// There is no global generator: every run, initialiser and shuffler receives its
/// own, so results depend only on the seed and never on scheduling. `derive(_:)`
/// gives independent streams for separate purposes (initialisation, shuffling,
/// data generation) from one seed.
public struct RNG: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
    }

    /// A generator for a named purpose whose sequence depends on this generator's
    /// seed and `stream` only, leaving this generator untouched.
    public func derive(_ stream: UInt64) -> RNG {
        var mixer = SplitMix64(state: s0 ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ s3.rotatedLeft(17))
        return RNG(seed: mixer.next())
    }

    public mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(45)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits, every value a multiple of 2⁻²⁴.
    public mutating func uniformFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * uniformFloat()
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Standard normal sample (Box-Muller, one value per call).
    public mutating func normal() -> Double {
        let u1 = 1 - uniformDouble()  // (0, 1]: log stays finite
        let u2 = uniformDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Uniform integer in 0..<bound, without modulo bias.
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        return Int(next(upperBound: UInt64(bound)))
    }

    /// Shuffles `values` in place (Fisher-Yates), without allocating.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, index(below: i + 1))
        }
    }
}

private extension UInt64 {
    func rotatedLeft(_ count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
