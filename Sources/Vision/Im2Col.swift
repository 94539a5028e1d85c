// The pointer loops behind Conv2D: unfolding image patches into a column matrix
// (im2col), folding column gradients back onto images (col2im), and moving
// blocks between the batch-major layout of tensors ([N, C, P]) and the
// channel-major layout the GEMMs work in ([C, N·P]). Each function states its
// layout; callers own the bounds (they come from the layer's checked shapes).

/// The geometry of a square convolution or pooling window over one image plane.
struct ConvolutionGeometry: Equatable {
    var channels: Int
    var height: Int
    var width: Int
    var kernel: Int
    var stride: Int
    var padding: Int

    var outputHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    var outputWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
    /// Output positions per image plane (`P = Ho·Wo`).
    var outputPositions: Int { outputHeight * outputWidth }
    /// Rows of the column matrix (`K = C·k·k`).
    var patchSize: Int { channels * kernel * kernel }
    /// A 1x1 stride-1 unpadded window: the column matrix is the input itself, regrouped.
    var isPointwise: Bool { kernel == 1 && stride == 1 && padding == 0 }

    /// The output columns `ow` whose input column `ow·s - p + j` lies inside `0..<width`.
    func validOutputRange(offset j: Int, inputExtent: Int, outputExtent: Int) -> Range<Int> {
        // ow·s ≥ p - j  and  ow·s ≤ inputExtent - 1 + p - j
        let low = max(0, ceilDivide(padding - j, stride))
        let high = min(outputExtent, floorDivide(inputExtent - 1 + padding - j, stride) + 1)
        return low..<max(low, high)
    }
}

@inline(__always) private func floorDivide(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? a / b : -((-a + b - 1) / b)
}

@inline(__always) private func ceilDivide(_ a: Int, _ b: Int) -> Int {
    -floorDivide(-a, b)
}

enum Im2Col {
    /// Unfolds `images` images into `columns` `[K, images·P]`:
    /// `columns[(c·k + i)·k + j, m·P + oh·Wo + ow] = x[m, c, oh·s - p + i, ow·s - p + j]`,
    /// zero where the window hangs over the padding. `x` points at the first image.
    ///
    /// Each input plane is copied once into a zero-bordered scratch plane, so that
    /// every kernel offset `(i, j)` becomes a plain gather from it; the work is split
    /// by channel over `threads` threads.
    static func unfold(
        _ x: UnsafePointer<Float>, images: Int, geometry g: ConvolutionGeometry,
        into columns: UnsafeMutablePointer<Float>, threads: Int = 1
    ) {
        let positions = g.outputPositions, rowLength = images * positions
        if g.isPointwise {
            gatherChannels(x, images: images, channels: g.channels, positions: positions, into: columns)
            return
        }
        let plan = WindowPlan(g)
        Parallel.run(parts: threads, work: g.channels * rowLength * g.kernel * g.kernel) { part, parts in
            let padded = UnsafeMutablePointer<Float>.allocate(capacity: plan.paddedPlane)
            padded.initialize(repeating: 0, count: plan.paddedPlane)
            defer { padded.deallocate() }
            for c in Parallel.share(of: g.channels, part: part, parts: parts) {
                for m in 0..<images {
                    let plane = plan.load(x + (m * g.channels + c) * plan.plane, into: padded)
                    for i in 0..<g.kernel {
                        for j in 0..<g.kernel {
                            let row = (c * g.kernel + i) * g.kernel + j
                            plan.gather(from: plane + i * plan.paddedWidth + j,
                                        into: columns + row * rowLength + m * positions)
                        }
                    }
                }
            }
        }
    }

    /// Folds column gradients `[K, images·P]` back onto `dx` (`images` images of
    /// `[C, H, W]`), overwriting it: the adjoint of `unfold`.
    static func fold(
        _ columns: UnsafePointer<Float>, images: Int, geometry g: ConvolutionGeometry,
        into dx: UnsafeMutablePointer<Float>, threads: Int = 1
    ) {
        let positions = g.outputPositions, rowLength = images * positions
        let plan = WindowPlan(g)
        Parallel.run(parts: threads, work: g.channels * rowLength * g.kernel * g.kernel) { part, parts in
            let padded = UnsafeMutablePointer<Float>.allocate(capacity: plan.paddedPlane)
            defer { padded.deallocate() }
            for c in Parallel.share(of: g.channels, part: part, parts: parts) {
                for m in 0..<images {
                    padded.update(repeating: 0, count: plan.paddedPlane)
                    for i in 0..<g.kernel {
                        for j in 0..<g.kernel {
                            let row = (c * g.kernel + i) * g.kernel + j
                            plan.scatterAdd(columns + row * rowLength + m * positions,
                                            into: padded + i * plan.paddedWidth + j)
                        }
                    }
                    plan.store(padded, into: dx + (m * g.channels + c) * plan.plane)
                }
            }
        }
    }

    /// `[images, C, P]` (batch-major, as in a tensor) to `[C, images·P]` (channel-major).
    static func gatherChannels(
        _ x: UnsafePointer<Float>, images: Int, channels: Int, positions: Int,
        into out: UnsafeMutablePointer<Float>, threads: Int = 1
    ) {
        Parallel.run(parts: threads, work: images * channels * positions) { part, parts in
            for c in Parallel.share(of: channels, part: part, parts: parts) {
                for m in 0..<images {
                    copy(x + (m * channels + c) * positions, to: out + (c * images + m) * positions, count: positions)
                }
            }
        }
    }

    /// `[C, images·P]` (channel-major) to `[images, C, P]`.
    static func scatterChannels(
        _ x: UnsafePointer<Float>, images: Int, channels: Int, positions: Int,
        into out: UnsafeMutablePointer<Float>, threads: Int = 1
    ) {
        Parallel.run(parts: threads, work: images * channels * positions) { part, parts in
            for c in Parallel.share(of: channels, part: part, parts: parts) {
                for m in 0..<images {
                    copy(x + (c * images + m) * positions, to: out + (m * channels + c) * positions, count: positions)
                }
            }
        }
    }

    /// `y[m, c, q] += bias[c]` over `[images, C, P]`.
    static func addChannelBias(
        _ bias: UnsafePointer<Float>, images: Int, channels: Int, positions: Int, to y: UnsafeMutablePointer<Float>
    ) {
        for m in 0..<images {
            for c in 0..<channels {
                let line = y + (m * channels + c) * positions
                let b = bias[c]
                for q in 0..<positions { line[q] += b }
            }
        }
    }

    /// A short copy inline (a library call costs more than moving a few floats), a long one through memmove.
    @inline(__always)
    static func copy(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        if count <= 16 {
            for index in 0..<count { target[index] = source[index] }
        } else {
            target.update(from: source, count: count)
        }
    }

    /// `sums[c] += Σ_m Σ_q y[m, c, q]` over `[images, C, P]`, in Double per channel and image.
    static func accumulateChannelSums(
        _ y: UnsafePointer<Float>, images: Int, channels: Int, positions: Int,
        into sums: UnsafeMutablePointer<Float>
    ) {
        for c in 0..<channels {
            var total = 0.0
            for m in 0..<images {
                let line = y + (m * channels + c) * positions
                for index in 0..<positions { total += Double(line[index]) }
            }
            sums[c] += Float(total)
        }
    }
}

/// Index arithmetic of one window geometry over a zero-bordered plane of
/// `(H + 2p) x (W + 2p)`: output position `q = oh·Wo + ow` with kernel offset
/// `(i, j)` reads padded element `(oh·s + i, ow·s + j)`.
struct WindowPlan {
    let geometry: ConvolutionGeometry
    let plane: Int
    let paddedWidth: Int
    let paddedPlane: Int
    /// Padded-plane offset of each output position for kernel offset (0, 0).
    let offsets: [Int32]
    /// Stride-1 windows over wide rows copy whole output rows instead of gathering.
    let copiesRows: Bool

    init(_ g: ConvolutionGeometry) {
        geometry = g
        plane = g.height * g.width
        paddedWidth = g.width + 2 * g.padding
        paddedPlane = (g.height + 2 * g.padding) * paddedWidth
        let wo = g.outputWidth, paddedWidth = paddedWidth
        offsets = (0..<g.outputPositions).map { q in Int32((q / wo) * g.stride * paddedWidth + (q % wo) * g.stride) }
        copiesRows = g.stride == 1 && wo >= 16
    }

    /// The plane itself when there is no padding, else a copy inside `scratch`'s
    /// zero border (which stays zero: only the interior is ever written).
    func load(_ source: UnsafePointer<Float>, into scratch: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        let g = geometry
        guard g.padding > 0 else { return source }
        for h in 0..<g.height {
            (scratch + (h + g.padding) * paddedWidth + g.padding).update(from: source + h * g.width, count: g.width)
        }
        return UnsafePointer(scratch)
    }

    /// Writes the interior of a padded plane to an unpadded one.
    func store(_ scratch: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        let g = geometry
        for h in 0..<g.height {
            (target + h * g.width).update(from: scratch + (h + g.padding) * paddedWidth + g.padding, count: g.width)
        }
    }

    /// `out[q] = source[offsets[q]]` for every output position.
    @inline(__always)
    func gather(from source: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let g = geometry
        if copiesRows {
            let wo = g.outputWidth
            for oh in 0..<g.outputHeight {
                (out + oh * wo).update(from: source + oh * paddedWidth, count: wo)
            }
            return
        }
        offsets.withUnsafeBufferPointer { table in
            for q in 0..<table.count { out[q] = source[Int(table[q])] }
        }
    }

    /// `target[offsets[q]] += gradient[q]` for every output position.
    @inline(__always)
    func scatterAdd(_ gradient: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>) {
        offsets.withUnsafeBufferPointer { table in
            for q in 0..<table.count { target[Int(table[q])] += gradient[q] }
        }
    }
}
