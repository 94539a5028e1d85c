// Eight-lane vector loads and stores for the element-wise kernels. Writing the
// loops over `SIMD8` makes the compiler emit vector instructions on any x86-64 or
// ARM target, where a scalar loop with a conditional is often left scalar and
// branchy. Results do not depend on the lane count: element-wise kernels compute
// the same IEEE operations per element as a scalar loop, and reductions use a
// fixed order (per-lane partial sums, then `sum()`).

typealias FloatVector = SIMD8<Float>

extension Kernels {
    static let lanes = 8

    @inline(__always)
    static func load<T: SIMDScalar>(_ pointer: UnsafePointer<T>, _ index: Int) -> SIMD8<T> {
        UnsafeRawPointer(pointer + index).loadUnaligned(as: SIMD8<T>.self)
    }

    @inline(__always)
    static func load<T: SIMDScalar>(_ pointer: UnsafeMutablePointer<T>, _ index: Int) -> SIMD8<T> {
        UnsafeRawPointer(pointer + index).loadUnaligned(as: SIMD8<T>.self)
    }

    @inline(__always)
    static func store<T: SIMDScalar>(_ value: SIMD8<T>, _ pointer: UnsafeMutablePointer<T>, _ index: Int) {
        UnsafeMutableRawPointer(pointer + index).storeBytes(of: value, as: SIMD8<T>.self)
    }

    /// The start of the scalar tail after whole vectors: `count` rounded down to the lane count.
    @inline(__always)
    static func vectorEnd(_ count: Int) -> Int { count - count % lanes }
}
