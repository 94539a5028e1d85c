import Engine

/// The finest of the flaws of a built-in fake face (`GenerationFlaws`): the periodic trace a
/// generator's last stride-2 transposed convolution leaves (Odena, Dumoulin & Olah
/// 2016, "Deconvolution and Checkerboard Artifacts", https://distill.pub/2016/deconv-checkerboard/).
///
/// A 3x3 kernel at stride 2 reaches the four output phases `(y mod 2, x mod 2)`
/// with 1, 2, 2 and 4 of its taps, so unless the taps' sums per phase are equal
/// (as for bilinear upsampling, `[½ 1 ½] ⊗ [½ 1 ½]`) each phase gets its own gain.
/// The generator's kernel is the bilinear one plus a random departure, drawn once
/// per dataset seed and per channel; the trace is the zero-mean part of its phase
/// gains, scaled to unit root-mean-square over phases and channels, times the
/// layer's input: a half-resolution activation that follows the image's local
/// brightness and varies from block to block like a feature map,
/// `max(0, 0.3 + 0.6 · luma + 0.45 · z)` per 2x2 block with `z` about standard normal.
/// Each fake image scales it by its own factor in `0.6...1.4`. The two upsampling
/// layers before the last leave the same kind of trace at periods 4 and 8, at half
/// the size: coarse enough to survive the resizing of the pretrained view, which
/// resamples 64 pixels to 73 and smears the period-2 grid.
///
/// At `strength` 1 the trace's root-mean-square size is `amplitude` (4 levels of
/// 255) where the activation is 1, about 3 levels on a mid-grey region: the size
/// of the sensor noise, so at 1:1 it reads as slight grain and shows reliably only
/// in statistics over many pixels. It scales linearly with `strength`.
struct UpsamplingTrace: Sendable {
    /// Root-mean-square size of the finest layer's trace at strength 1 where the activation is 1.
    static let amplitude: Float = 4 / 255

    /// The generator's last three upsampling layers, finest first: each doubles the
    /// resolution, so the one before the last leaves its trace on cells of 2x2 output
    /// pixels (period 4) and the one before that on 4x4 cells (period 8).
    static let layers: [(cell: Int, weight: Float)] = [(1, 1), (2, 0.5), (4, 0.5)]

    /// Per layer and channel, the gains of phases (0,0), (0,1), (1,0), (1,1): zero mean
    /// per channel, unit root-mean-square over each layer's twelve.
    let gains: [[SIMD4<Float>]]

    /// The trace of one generator, whose kernels depart from bilinear upsampling by `rng`'s draws.
    init(rng: inout RNG) {
        gains = Self.layers.map { _ in Self.phaseGains(rng: &rng) }
    }

    private static func phaseGains(rng: inout RNG) -> [SIMD4<Float>] {
        let bilinear: [Float] = [0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]
        var gains: [SIMD4<Float>] = []
        for _ in 0..<3 {
            let k = bilinear.map { $0 + 0.15 * Float(rng.normal()) }
            // Taps reaching each phase: even rows/columns take tap 1, odd ones taps 0 and 2.
            let phases = SIMD4(k[4], k[3] + k[5], k[1] + k[7], k[0] + k[2] + k[6] + k[8])
            gains.append(phases - phases.sum() / 4)
        }
        let rms = (gains.map { ($0 * $0).sum() }.reduce(0, +) / 12).squareRoot()
        return gains.map { $0 / max(rms, 1e-6) }
    }

    /// The trace to add to the clean image `canvas`, planar like its pixels: the sum
    /// of every layer's trace, each from its own half-resolution activation.
    func residual(of canvas: Canvas, strength: Float, rng: inout RNG) -> [Float] {
        let size = canvas.size
        let scale = strength * Self.amplitude * rng.uniform(0.6, 1.4)
        var residual = [Float](repeating: 0, count: 3 * size * size)
        for (layer, (cell, weight)) in Self.layers.enumerated() {
            add(layer: gains[layer], cell: cell, scale: scale * weight, canvas: canvas, to: &residual, rng: &rng)
        }
        return residual
    }

    /// One layer's trace: phase `((y / cell) mod 2, (x / cell) mod 2)` gets its gain, times an
    /// activation per block of `2 cell` pixels that follows the block's brightness.
    private func add(layer gains: [SIMD4<Float>], cell: Int, scale: Float, canvas: Canvas, to residual: inout [Float],
                     rng: inout RNG) {
        let size = canvas.size, plane = size * size, block = 2 * cell
        for blockY in stride(from: 0, to: size, by: block) {
            for blockX in stride(from: 0, to: size, by: block) {
                var luma: Float = 0, pixels: Float = 0
                for y in blockY..<min(blockY + block, size) {
                    for x in blockX..<min(blockX + block, size) {
                        let color = canvas.color(at: y * size + x)
                        luma += 0.299 * color.x + 0.587 * color.y + 0.114 * color.z
                        pixels += 1
                    }
                }
                let detail = 0.45 * rng.approximateNormal()
                let activation = max(0, 0.3 + 0.6 * min(max(luma / pixels, 0), 1) + detail)
                for y in blockY..<min(blockY + block, size) {
                    for x in blockX..<min(blockX + block, size) {
                        let phase = ((y / cell) % 2) * 2 + (x / cell) % 2
                        for channel in 0..<3 {
                            residual[channel * plane + y * size + x] += scale * activation * gains[channel][phase]
                        }
                    }
                }
            }
        }
    }
}
