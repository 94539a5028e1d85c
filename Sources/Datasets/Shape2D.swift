/// A plane shape given by a signed distance, for drawing the built-in images.
///
/// Coordinates are in image units: the image spans `0...1` on both axes, `y`
/// pointing down. `distance` is negative inside, positive outside and close to
/// the Euclidean distance to the edge near the edge (what antialiasing needs);
/// `bounds` is a box holding the whole shape.
protocol Shape2D {
    func distance(_ point: SIMD2<Float>) -> Float
    var bounds: (low: SIMD2<Float>, high: SIMD2<Float>) { get }
}

/// The rotation by `angle` radians (`y` down, so positive turns clockwise on screen).
@inline(__always)
func rotated(_ vector: SIMD2<Float>, by angle: Float) -> SIMD2<Float> {
    let c = cos(angle), s = sin(angle)
    return SIMD2(c * vector.x - s * vector.y, s * vector.x + c * vector.y)
}

@inline(__always)
func length(_ vector: SIMD2<Float>) -> Float { (vector * vector).sum().squareRoot() }

/// An ellipse with semi-axes `radii`, turned by `angle`.
struct Ellipse: Shape2D {
    var center: SIMD2<Float>
    var radii: SIMD2<Float>
    var angle: Float = 0

    func distance(_ point: SIMD2<Float>) -> Float {
        // First-order distance to the level set |q| = 1 of q = local / radii: (|q| - 1) / |∇|q||.
        let local = rotated(point - center, by: -angle)
        let q = local / radii
        let k = length(q)
        let gradient = length(q / radii)
        guard gradient > 1e-12 else { return -radii.min() }
        return (k - 1) * k / gradient
    }

    var bounds: (low: SIMD2<Float>, high: SIMD2<Float>) {
        let r = radii.max()
        return (center - r, center + r)
    }
}

/// The points within `radius` of the segment from `start` to `end`.
struct Capsule: Shape2D {
    var start: SIMD2<Float>
    var end: SIMD2<Float>
    var radius: Float

    func distance(_ point: SIMD2<Float>) -> Float {
        let along = end - start, offset = point - start
        let squared = (along * along).sum()
        let t = squared > 0 ? min(max((offset * along).sum() / squared, 0), 1) : 0
        return length(offset - along * t) - radius
    }

    var bounds: (low: SIMD2<Float>, high: SIMD2<Float>) {
        (pointwiseMin(start, end) - radius, pointwiseMax(start, end) + radius)
    }
}

/// A rectangle with half-sizes `halfSize`, turned by `angle`, corners rounded by `rounding`.
struct Box: Shape2D {
    var center: SIMD2<Float>
    var halfSize: SIMD2<Float>
    var angle: Float = 0
    var rounding: Float = 0

    func distance(_ point: SIMD2<Float>) -> Float {
        let local = rotated(point - center, by: -angle)
        let d = SIMD2(abs(local.x), abs(local.y)) - (halfSize - rounding)
        let outside = pointwiseMax(d, SIMD2(repeating: 0))
        return length(outside) + min(max(d.x, d.y), 0) - rounding
    }

    var bounds: (low: SIMD2<Float>, high: SIMD2<Float>) {
        let r = length(halfSize)
        return (center - r, center + r)
    }
}

/// A convex polygon with vertices in either winding order.
struct ConvexPolygon: Shape2D {
    var vertices: [SIMD2<Float>]

    func distance(_ point: SIMD2<Float>) -> Float {
        // Exact distance to the boundary, signed by whether the point is on the inner side of every edge.
        var nearest = Float.infinity
        var inside = true
        let orientation: Float = signedArea >= 0 ? 1 : -1
        for index in vertices.indices {
            let a = vertices[index], b = vertices[(index + 1) % vertices.count]
            let edge = b - a, offset = point - a
            let t = min(max((offset * edge).sum() / (edge * edge).sum(), 0), 1)
            nearest = min(nearest, length(offset - edge * t))
            if orientation * (edge.x * offset.y - edge.y * offset.x) < 0 { inside = false }
        }
        return inside ? -nearest : nearest
    }

    private var signedArea: Float {
        var area: Float = 0
        for index in vertices.indices {
            let a = vertices[index], b = vertices[(index + 1) % vertices.count]
            area += a.x * b.y - b.x * a.y
        }
        return area
    }

    var bounds: (low: SIMD2<Float>, high: SIMD2<Float>) {
        vertices.dropFirst().reduce((vertices[0], vertices[0])) { (pointwiseMin($0.0, $1), pointwiseMax($0.1, $1)) }
    }
}

/// The band of width `width` centred on another shape's edge.
struct Outline<Base: Shape2D>: Shape2D {
    var base: Base
    var width: Float

    func distance(_ point: SIMD2<Float>) -> Float { abs(base.distance(point)) - width / 2 }

    var bounds: (low: SIMD2<Float>, high: SIMD2<Float>) {
        let inner = base.bounds
        return (inner.low - width, inner.high + width)
    }
}

/// The points inside both shapes.
struct Intersection<A: Shape2D, B: Shape2D>: Shape2D {
    var first: A
    var second: B

    func distance(_ point: SIMD2<Float>) -> Float { max(first.distance(point), second.distance(point)) }

    var bounds: (low: SIMD2<Float>, high: SIMD2<Float>) {
        let a = first.bounds, b = second.bounds
        return (pointwiseMax(a.low, b.low), pointwiseMin(a.high, b.high))
    }
}

/// The side of a line where `normal · (point - origin) < 0`.
struct HalfPlane: Shape2D {
    var origin: SIMD2<Float>
    /// Unit normal pointing out of the half plane.
    var normal: SIMD2<Float>

    func distance(_ point: SIMD2<Float>) -> Float { ((point - origin) * normal).sum() }

    var bounds: (low: SIMD2<Float>, high: SIMD2<Float>) { (SIMD2(repeating: -1), SIMD2(repeating: 2)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
