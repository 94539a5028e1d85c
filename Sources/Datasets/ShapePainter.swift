import Engine

/// Paints one image of `SyntheticShapes`: a textured gradient background, one
/// figure of the class in a colour that stands out from it, then photometric
/// changes (exposure, contrast, colour cast) and sensor noise.
struct ShapePainter {
    private(set) var canvas: Canvas

    init(label: Int, size: Int, rng: inout RNG) {
        let background = randomColor(rng: &rng)
        let backgroundEnd = mix(background, randomColor(rng: &rng), rng.uniform(0, 0.8))
        let angle = rng.uniform(0, 2 * .pi)
        let direction = SIMD2(cos(angle), sin(angle))
        let texture = NoiseField(size: size, coarsest: rng.uniform(1.5, 4), octaves: 4, rng: &rng)
        let textureAmount = rng.uniform(0, 0.12)
        canvas = Canvas(size: size) { p, index in
            let t = min(max(((p - 0.5) * direction).sum() + 0.5, 0), 1)
            return mix(background, backgroundEnd, t) * (1 + textureAmount * texture[index])
        }
        // A figure colour whose brightness differs from the background's by at least 0.2.
        var color = randomColor(rng: &rng)
        let backgroundLuma = luma(mix(background, backgroundEnd, 0.5))
        if abs(luma(color) - backgroundLuma) < 0.2 {
            color = backgroundLuma > 0.5 ? color * 0.35 : color * 0.4 + 0.6
        }
        paintFigure(label, color: color, rng: &rng)

        let exposure = rng.uniform(0.75, 1.2), contrast = rng.uniform(0.7, 1.2)
        let cast = SIMD3(rng.uniform(0.9, 1.1), rng.uniform(0.95, 1.05), rng.uniform(0.9, 1.1))
        let sigma = rng.uniform(0.003, 0.04)
        canvas.map { value, _ in
            let grain = SIMD3(rng.approximateNormal(), rng.approximateNormal(), rng.approximateNormal()) * sigma
            return ((value - 0.5) * contrast + 0.5) * exposure * cast + grain
        }
    }

    private mutating func paintFigure(_ label: Int, color: SIMD3<Float>, rng: inout RNG) {
        func u(_ low: Float, _ high: Float) -> Float { rng.uniform(low, high) }
        let center = SIMD2(u(0.3, 0.7), u(0.3, 0.7))
        let radius = u(0.12, 0.3)
        let angle = u(0, .pi)
        switch SyntheticShapes.shapeClassNames[label] {
        case "disc":
            canvas.fill(Ellipse(center: center, radii: SIMD2(radius, radius * u(0.7, 1)), angle: angle), color: color)
        case "ring":
            let ellipse = Ellipse(center: center, radii: SIMD2(radius, radius * u(0.75, 1)), angle: angle)
            canvas.fill(Outline(base: ellipse, width: radius * u(0.15, 0.4)), color: color)
        case "rectangle":
            canvas.fill(Box(center: center, halfSize: SIMD2(radius, radius * u(0.4, 1)), angle: angle,
                            rounding: radius * u(0, 0.15)), color: color)
        case "triangle":
            let vertices = (0..<3).map { k in
                center + rotated(SIMD2(radius * 1.2, 0), by: angle * 2 + Float(k) * 2 * .pi / 3 + u(-0.3, 0.3))
            }
            canvas.fill(ConvexPolygon(vertices: vertices), color: color)
        case "cross":
            let arm = radius * u(0.15, 0.3)
            for turn: Float in [0, .pi / 2] {
                canvas.fill(Box(center: center, halfSize: SIMD2(radius, arm), angle: angle + turn), color: color)
            }
        case "stripes":
            let period = u(0.07, 0.22), phase = u(0, 1)
            paintPattern(color: color, opacity: u(0.7, 1), period: period) { p in
                let along = rotated(p, by: angle).x / period + phase
                return abs(along - along.rounded(.down) - 0.5) - 0.25
            }
        case "checkerboard":
            let period = u(0.1, 0.3), offset = SIMD2(u(0, 1), u(0, 1))
            paintPattern(color: color, opacity: u(0.7, 1), period: period) { p in
                let q = rotated(p, by: angle) / period + offset
                let cell = SIMD2(q.x.rounded(.down), q.y.rounded(.down)), f = q - cell
                let edge = min(min(f.x, 1 - f.x), min(f.y, 1 - f.y))
                return Int(cell.x + cell.y) & 1 == 0 ? edge : -edge
            }
        case "dots":
            let dots = 6 + rng.index(below: 15), dotRadius = u(0.02, 0.05)
            for _ in 0..<dots {
                let dot = SIMD2(u(0.05, 0.95), u(0.05, 0.95))
                canvas.fill(Ellipse(center: dot, radii: SIMD2(dotRadius, dotRadius)), color: color)
            }
        case "lines":
            let lines = 3 + rng.index(below: 4), width = u(0.008, 0.025)
            for _ in 0..<lines {
                let middle = SIMD2(u(0.1, 0.9), u(0.1, 0.9)), half = rotated(SIMD2(u(0.2, 0.5), 0), by: u(0, .pi))
                canvas.fill(Capsule(start: middle - half, end: middle + half, radius: width), color: color)
            }
        default:  // "blobs": a thresholded smooth noise field
            let field = NoiseField(size: canvas.size, coarsest: u(2, 5), octaves: 2, rng: &rng)
            let level = u(-0.3, 0.6)
            let sharpness = Float(canvas.size) * 0.08
            canvas = Canvas(size: canvas.size) { [canvas] _, index in
                let coverage = min(max((field[index] - level) * sharpness + 0.5, 0), 1)
                return mix(canvas.color(at: index), color, coverage)
            }
        }
    }

    /// Paints `color` where `signedEdge(p)` (in pattern periods, positive inside) is positive,
    /// antialiased over a pixel.
    private mutating func paintPattern(color: SIMD3<Float>, opacity: Float, period: Float,
                                       signedEdge: (SIMD2<Float>) -> Float) {
        let pixelsPerPeriod = period * Float(canvas.size)
        canvas = Canvas(size: canvas.size) { [canvas] p, index in
            let coverage = min(max(signedEdge(p) * pixelsPerPeriod + 0.5, 0), 1) * opacity
            return mix(canvas.color(at: index), color, coverage)
        }
    }
}

private func luma(_ color: SIMD3<Float>) -> Float { 0.299 * color.x + 0.587 * color.y + 0.114 * color.z }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
