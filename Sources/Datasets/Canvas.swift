import Engine

/// A square RGB image being painted, planar `[3, size, size]` floats nominally in
/// `0...1`, for the built-in image data.
///
/// Shapes are painted over what is there with antialiased edges: a pixel's
/// coverage falls linearly from 1 to 0 across `softness` pixels centred on the
/// edge, which for `softness` 1 approximates the shape's area inside the pixel.
struct Canvas {
    let size: Int
    private(set) var pixels: [Float]

    /// A canvas painted with `paint(point, pixelIndex)` everywhere.
    init(size: Int, paint: (SIMD2<Float>, Int) -> SIMD3<Float>) {
        self.size = size
        pixels = [Float](repeating: 0, count: 3 * size * size)
        let plane = size * size
        for y in 0..<size {
            for x in 0..<size {
                let index = y * size + x
                let color = paint(point(x, y), index)
                pixels[index] = color.x
                pixels[plane + index] = color.y
                pixels[2 * plane + index] = color.z
            }
        }
    }

    /// The centre of pixel `(x, y)` in image units.
    @inline(__always)
    func point(_ x: Int, _ y: Int) -> SIMD2<Float> {
        SIMD2(Float(x) + 0.5, Float(y) + 0.5) / Float(size)
    }

    /// The colour of pixel `index` (`y * size + x`).
    func color(at index: Int) -> SIMD3<Float> {
        let plane = size * size
        return SIMD3(pixels[index], pixels[plane + index], pixels[2 * plane + index])
    }

    /// Paints `shape` with a flat colour.
    mutating func fill(_ shape: some Shape2D, color: SIMD3<Float>, opacity: Float = 1, softness: Float = 1) {
        fill(shape, opacity: opacity, softness: softness) { _, _ in color }
    }

    /// Paints `shape` with the colour `paint(point, pixelIndex)`, blended by coverage
    /// times `opacity`.
    mutating func fill<S: Shape2D>(_ shape: S, opacity: Float = 1, softness: Float = 1,
                                   paint: (SIMD2<Float>, Int) -> SIMD3<Float>) {
        let plane = size * size
        let scale = Float(size) / softness
        let margin = softness / Float(size)
        let bounds = shape.bounds
        let x0 = max(0, Int(((bounds.low.x - margin) * Float(size)).rounded(.down)))
        let x1 = min(size - 1, Int(((bounds.high.x + margin) * Float(size)).rounded(.up)))
        let y0 = max(0, Int(((bounds.low.y - margin) * Float(size)).rounded(.down)))
        let y1 = min(size - 1, Int(((bounds.high.y + margin) * Float(size)).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                let p = point(x, y)
                let coverage = min(max(0.5 - shape.distance(p) * scale, 0), 1) * opacity
                guard coverage > 0 else { continue }
                let index = y * size + x
                let color = paint(p, index)
                pixels[index] += (color.x - pixels[index]) * coverage
                pixels[plane + index] += (color.y - pixels[plane + index]) * coverage
                pixels[2 * plane + index] += (color.z - pixels[2 * plane + index]) * coverage
            }
        }
    }

    /// Replaces every pixel by `transform(color, pixelIndex)`.
    mutating func map(_ transform: (SIMD3<Float>, Int) -> SIMD3<Float>) {
        let plane = size * size
        for index in 0..<plane {
            let color = transform(color(at: index), index)
            pixels[index] = color.x
            pixels[plane + index] = color.y
            pixels[2 * plane + index] = color.z
        }
    }

    /// Adds `values` (planar, same layout as `pixels`).
    mutating func add(_ values: [Float]) {
        precondition(values.count == pixels.count, "adding \(values.count) values to a canvas of \(pixels.count)")
        for index in pixels.indices { pixels[index] += values[index] }
    }

    /// The image as 8-bit RGB, interleaved row by row: `⌊255 · clamp(v, 0, 1) + ½⌋`
    /// (the nearest level; a PNG of the image holds these bytes).
    func quantised() -> [UInt8] {
        let plane = size * size
        var bytes = [UInt8](repeating: 0, count: 3 * plane)
        for index in 0..<plane {
            for channel in 0..<3 {
                let value = min(max(pixels[channel * plane + index], 0), 1)
                // Truncation after adding ½ rounds as well as `rounded()`, without its libm call.
                bytes[3 * index + channel] = UInt8(value * 255 + 0.5)
            }
        }
        return bytes
    }
}
