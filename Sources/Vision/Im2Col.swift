// The pointer loops behind Conv2D: unfolding image patches into a column matrix
// (im2col), folding column gradients back onto images (col2im), and moving
// blocks between the batch-major layout of tensors ([N, C, P]) and the
// channel-major layout the GEMMs work in ([C, N·P]). Each function states its
// layout; callers own the bounds (they come from the layer's checked shapes).
// The kernels run on the calling thread: Conv2D splits a batch into chunks of
// images and runs whole chunks on its worker threads (see ConvolutionPass).

enum Im2Col {
    /// Unfolds `images` images into the column matrix `columns` with rows of `rowStride`
    /// floats (at least `images·P`):
    /// `columns[(c·k + i)·k + j][m·P + oh·Wo + ow] = x[m, c, oh·s - p + i, ow·s - p + j]`,
    /// zero where the window hangs over the padding. `x` points at the first image.
    ///
    /// Stride-1 windows over rows of at least `paddedWidthMinimum` outputs go through a
    /// zero-bordered plane (`unfoldPadded`); otherwise `table`, when given (it must be
    /// `usesTable(g)`'s table for `g`), serves narrow planes (`PatchTable.unfold`), and
    /// wide ones go row by row. `scratch` holds `scratchSize(g)` floats.
    static func unfold(
        _ x: UnsafePointer<Float>, images: Int, geometry g: ConvolutionGeometry, table: PatchTable?,
        into columns: UnsafeMutablePointer<Float>, rowStride: Int, scratch: UnsafeMutablePointer<Float>
    ) {
        if g.isPointwise {
            gatherChannels(x, images: images, channels: g.channels, positions: g.outputPositions,
                           into: columns, rowStride: rowStride)
        } else if usesPaddedPlane(g) {
            unfoldPadded(x, images: images, geometry: g, into: columns, rowStride: rowStride, scratch: scratch)
        } else if let table {
            table.unfold(x, images: images, into: columns, rowStride: rowStride, scratch: scratch)
        } else {
            unfoldByRows(x, images: images, geometry: g, into: columns, rowStride: rowStride)
        }
    }

    /// Whether `unfold` and `fold` want a patch table for `g`. Measured on ResNet18's
    /// layers, the table is faster for outputs up to 16 wide (except for folding 1x1
    /// windows, which touch each input element at most once) and the row copies for
    /// the stem's 32x32.
    static func usesTable(_ g: ConvolutionGeometry) -> Bool {
        !g.isPointwise && !usesPaddedPlane(g) && g.outputWidth <= 16
    }

    /// Whether `unfold` and `fold` go through a zero-bordered plane: stride-1 windows
    /// with output rows of at least `paddedWidthMinimum`, which then move in whole vectors.
    static func usesPaddedPlane(_ g: ConvolutionGeometry) -> Bool {
        !g.isPointwise && g.stride == 1 && g.outputWidth >= paddedWidthMinimum
    }

    static let paddedWidthMinimum = 8

    /// Scratch floats that `unfold` and `fold` need for `g`.
    static func scratchSize(_ g: ConvolutionGeometry) -> Int {
        max(g.plane + 1, paddedPlaneSize(g))
    }

    /// `unfold` one output row at a time: zeros where the window row or column falls
    /// in the padding, the rest copied (stride 1) or gathered (stride 2) from the
    /// input row; each column-matrix row is written front to back.
    static func unfoldByRows(
        _ x: UnsafePointer<Float>, images: Int, geometry g: ConvolutionGeometry,
        into columns: UnsafeMutablePointer<Float>, rowStride: Int
    ) {
        let k = g.kernel, wo = g.outputWidth
        for row in 0..<g.patchSize {
            let c = row / (k * k), i = (row / k) % k, j = row % k
            let rows = g.validRows(kernelRow: i), spans = g.validColumns(kernelColumn: j)
            let firstInputColumn = spans.lowerBound * g.stride - g.padding + j
            var out = columns + row * rowStride
            for m in 0..<images {
                let plane = x + (m * g.channels + c) * g.plane
                for oh in 0..<g.outputHeight {
                    if rows.contains(oh) {
                        let line = plane + (oh * g.stride - g.padding + i) * g.width
                        zeroRow(out, count: spans.lowerBound)
                        gatherRow(line + firstInputColumn, stride: g.stride, out + spans.lowerBound, count: spans.count)
                        zeroRow(out + spans.upperBound, count: wo - spans.upperBound)
                    } else {
                        zeroRow(out, count: wo)
                    }
                    out += wo
                }
            }
        }
    }

    /// Folds column gradients (rows of `rowStride` floats, `images·P` used) back onto
    /// `dx` (`images` images of `[C, H, W]`), overwriting it: the adjoint of `unfold`.
    ///
    /// Every input element sums its contributions in kernel-offset then position
    /// order, whichever kernel runs, so the result is the same bit for bit. Stride-1
    /// windows over wide rows add whole rows onto a padded plane (`foldPadded`); other
    /// windows larger than 1x1 gather through the inverted patch table when given; 1x1
    /// ones, which touch each input element at most once, add rows (`foldByRows`).
    static func fold(
        _ columns: UnsafePointer<Float>, rowStride: Int, images: Int, geometry g: ConvolutionGeometry,
        table: PatchTable?, into dx: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        if usesPaddedPlane(g) {
            foldPadded(columns, rowStride: rowStride, images: images, geometry: g, into: dx, scratch: scratch)
        } else if let table, g.kernel > 1 {
            table.fold(columns, rowStride: rowStride, images: images, into: dx)
        } else {
            foldByRows(columns, rowStride: rowStride, images: images, geometry: g, into: dx)
        }
    }

    /// `fold` one output row at a time, adding each column-matrix row segment onto its input row.
    static func foldByRows(
        _ columns: UnsafePointer<Float>, rowStride: Int, images: Int, geometry g: ConvolutionGeometry,
        into dx: UnsafeMutablePointer<Float>
    ) {
        let positions = g.outputPositions, k = g.kernel, wo = g.outputWidth
        for c in 0..<g.channels {
            for m in 0..<images {
                let plane = dx + (m * g.channels + c) * g.plane
                zeroRow(plane, count: g.plane)
                for i in 0..<k {
                    let rows = g.validRows(kernelRow: i)
                    for j in 0..<k {
                        let spans = g.validColumns(kernelColumn: j)
                        let firstInputColumn = spans.lowerBound * g.stride - g.padding + j
                        let gradient = columns + ((c * k + i) * k + j) * rowStride + m * positions
                        for oh in rows {
                            let line = plane + (oh * g.stride - g.padding + i) * g.width
                            addRow(gradient + oh * wo + spans.lowerBound, line + firstInputColumn,
                                   stride: g.stride, count: spans.count)
                        }
                    }
                }
            }
        }
    }

    /// `[images, C, P]` (batch-major, as in a tensor) to channel-major rows:
    /// `out[c·rowStride + m·P + q] = x[m, c, q]`.
    static func gatherChannels(
        _ x: UnsafePointer<Float>, images: Int, channels: Int, positions: Int,
        into out: UnsafeMutablePointer<Float>, rowStride: Int
    ) {
        for c in 0..<channels {
            for m in 0..<images {
                copy(x + (m * channels + c) * positions, to: out + c * rowStride + m * positions, count: positions)
            }
        }
    }

    /// Channel-major rows back to `[images, C, P]`: `out[m, c, q] = x[c·rowStride + m·P + q]`.
    static func scatterChannels(
        _ x: UnsafePointer<Float>, rowStride: Int, images: Int, channels: Int, positions: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        for c in 0..<channels {
            for m in 0..<images {
                copy(x + c * rowStride + m * positions, to: out + (m * channels + c) * positions, count: positions)
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
        if count <= 64 {
            copyRow(source, target, count: count)
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
