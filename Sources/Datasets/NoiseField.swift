import Engine

/// A smooth random texture over a square image: a sum of value-noise octaves whose
/// amplitude falls as 1/frequency, the statistics of natural images (Field 1987,
/// "Relations between the statistics of natural images and the response
/// properties of cortical cells").
///
/// Each octave is a lattice of (nearly) Gaussian values, `cells` lattice steps across the
/// image, interpolated with a smoothstep; lattices get random sub-cell offsets so
/// no octave lines up with the pixel grid. The field is scaled to zero mean and
/// unit standard deviation over the image.
struct NoiseField {
    let size: Int
    /// `size · size` values, row by row.
    let values: [Float]

    /// - Parameters:
    ///   - coarsest: lattice steps across the image of the lowest octave.
    ///   - octaves: number of octaves, each with twice the steps of the previous one.
    ///   - stretch: extra steps along x (strands running along y when above 1).
    init(size: Int, coarsest: Float, octaves: Int, stretch: Float = 1, rng: inout RNG) {
        self.size = size
        var values = [Float](repeating: 0, count: size * size)
        var cells = coarsest
        for _ in 0..<octaves {
            let columns = Int((cells * stretch).rounded(.up)) + 2, rows = Int(cells.rounded(.up)) + 2
            let lattice = (0..<(columns * rows)).map { _ in rng.approximateNormal() }
            let offset = SIMD2(rng.uniformFloat(), rng.uniformFloat())
            let amplitude = 1 / cells
            let stepX = cells * stretch / Float(size), stepY = cells / Float(size)
            // Lattice column and weight of every pixel column, computed once per octave.
            let columnWeights = (0..<size).map { x in
                let u = (Float(x) + 0.5) * stepX + offset.x
                return (Int(u), smoothstep(u - Float(Int(u))))
            }
            for y in 0..<size {
                let v = (Float(y) + 0.5) * stepY + offset.y
                let top = Int(v) * columns, bottom = top + columns, ty = smoothstep(v - Float(Int(v)))
                for x in 0..<size {
                    let (column, tx) = columnWeights[x]
                    let a = lattice[top + column], b = lattice[top + column + 1]
                    let c = lattice[bottom + column], d = lattice[bottom + column + 1]
                    let upper = a + (b - a) * tx, lower = c + (d - c) * tx
                    values[y * size + x] += amplitude * (upper + (lower - upper) * ty)
                }
            }
            cells *= 2
        }
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
        let scale = variance > 0 ? 1 / variance.squareRoot() : 0
        self.values = values.map { ($0 - mean) * scale }
    }

    @inline(__always)
    subscript(index: Int) -> Float { values[index] }
}

@inline(__always)
private func smoothstep(_ t: Float) -> Float { t * t * (3 - 2 * t) }
