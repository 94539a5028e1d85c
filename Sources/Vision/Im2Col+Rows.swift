// Row kernels of im2col and col2im: copies, strided gathers, zero fills and
// adds over one image row, in eight-lane vectors (two SSE or one AVX register)
// with a scalar or overlapping final vector for the tail. The rows are short
// (2 to 64 floats in ResNet), so a call into memmove or memset would cost more
// than the move itself. Callers own the bounds: every pointer here is read or
// written only within `count` elements (strided ones within `stride·(count-1)+1`).

extension Im2Col {
    typealias Vector = SIMD8<Float>

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
    }

    /// `target[t] = source[t]` for `t` in `0..<count`.
    @inline(__always)
    static func copyRow(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, count: Int) {
        guard count >= 8 else {
            for t in 0..<count { target[t] = source[t] }
            return
        }
        var t = 0
        while t + 8 < count {
            store(load(source + t), target + t)
            t += 8
        }
        // The last vector ends at `count`, overlapping the previous one: no scalar tail.
        store(load(source + count - 8), target + count - 8)
    }

    /// `target[t] = 0` for `t` in `0..<count`.
    @inline(__always)
    static func zeroRow(_ target: UnsafeMutablePointer<Float>, count: Int) {
        guard count >= 8 else {
            for t in 0..<count { target[t] = 0 }
            return
        }
        var t = 0
        while t + 8 < count {
            store(Vector(repeating: 0), target + t)
            t += 8
        }
        store(Vector(repeating: 0), target + count - 8)
    }

    /// `target[t] = source[2·t]` for `t` in `0..<count` (reads `source[0...2·(count-1)]` only).
    @inline(__always)
    static func gatherEvenRow(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, count: Int) {
        guard count >= 9 else {
            for t in 0..<count { target[t] = source[2 * t] }
            return
        }
        var t = 0
        while t + 8 < count {
            // Sixteen floats from 2t end at 2t + 15 ≤ 2·(count - 1): inside the row.
            let pair = UnsafeRawPointer(source + 2 * t).loadUnaligned(as: SIMD16<Float>.self)
            store(pair.evenHalf, target + t)
            t += 8
        }
        // The last eight outputs are the odd lanes of the sixteen floats ending at 2·(count - 1).
        let last = count - 8
        let pair = UnsafeRawPointer(source + 2 * last - 1).loadUnaligned(as: SIMD16<Float>.self)
        store(pair.oddHalf, target + last)
    }

    /// `target[t] = source[stride·t]` for `t` in `0..<count`.
    @inline(__always)
    static func gatherRow(_ source: UnsafePointer<Float>, stride: Int, _ target: UnsafeMutablePointer<Float>, count: Int) {
        switch stride {
        case 1: copyRow(source, target, count: count)
        case 2: gatherEvenRow(source, target, count: count)
        default: for t in 0..<count { target[t] = source[stride * t] }
        }
    }

    /// `target[stride·t] += source[t]` for `t` in `0..<count`.
    @inline(__always)
    static func addRow(_ source: UnsafePointer<Float>, _ target: UnsafeMutablePointer<Float>, stride: Int, count: Int) {
        guard stride == 1 else {
            for t in 0..<count { target[stride * t] += source[t] }
            return
        }
        var t = 0
        while t + 8 <= count {
            store(load(UnsafePointer(target + t)) + load(source + t), target + t)
            t += 8
        }
        while t < count {
            target[t] += source[t]
            t += 1
        }
    }
}
