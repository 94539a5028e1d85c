// im2col and col2im for stride-1 windows, through a zero-bordered copy of each
// plane: with the border in place every kernel offset (i, j) reads or writes
// whole output rows of the padded plane, so the rows move in eight-lane vectors
// with no clipping at the edges.

extension Im2Col {
    /// Floats of one padded plane, `(H + 2p)·(W + 2p)`.
    static func paddedPlaneSize(_ g: ConvolutionGeometry) -> Int {
        (g.height + 2 * g.padding) * (g.width + 2 * g.padding)
    }

    /// `unfold` for stride 1: the same result. `scratch` holds `paddedPlaneSize(g)` floats.
    static func unfoldPadded(
        _ x: UnsafePointer<Float>, images: Int, geometry g: ConvolutionGeometry,
        into columns: UnsafeMutablePointer<Float>, rowStride: Int, scratch padded: UnsafeMutablePointer<Float>
    ) {
        let k = g.kernel, p = g.padding, ho = g.outputHeight, wo = g.outputWidth
        let paddedWidth = g.width + 2 * p, positions = g.outputPositions
        // The border is written once and stays zero: only the interior changes.
        zeroRow(padded, count: paddedPlaneSize(g))
        for c in 0..<g.channels {
            for m in 0..<images {
                let source = x + (m * g.channels + c) * g.plane
                for h in 0..<g.height {
                    copyRow(source + h * g.width, padded + (h + p) * paddedWidth + p, count: g.width)
                }
                for i in 0..<k {
                    for j in 0..<k {
                        let out = columns + ((c * k + i) * k + j) * rowStride + m * positions
                        for oh in 0..<ho {
                            copyRow(padded + (oh + i) * paddedWidth + j, out + oh * wo, count: wo)
                        }
                    }
                }
            }
        }
    }

    /// `fold` for stride 1: every output row of every kernel offset is added onto the
    /// padded plane, whose interior is then the input gradient. Each input element
    /// sums its contributions in kernel-offset order from zero, as the other kernels
    /// do, so the result is the same bit for bit. `scratch` holds `paddedPlaneSize(g)` floats.
    static func foldPadded(
        _ columns: UnsafePointer<Float>, rowStride: Int, images: Int, geometry g: ConvolutionGeometry,
        into dx: UnsafeMutablePointer<Float>, scratch padded: UnsafeMutablePointer<Float>
    ) {
        let k = g.kernel, p = g.padding, ho = g.outputHeight, wo = g.outputWidth
        let paddedWidth = g.width + 2 * p, positions = g.outputPositions
        for c in 0..<g.channels {
            for m in 0..<images {
                zeroRow(padded, count: paddedPlaneSize(g))
                for i in 0..<k {
                    for j in 0..<k {
                        let gradient = columns + ((c * k + i) * k + j) * rowStride + m * positions
                        for oh in 0..<ho {
                            addRow(gradient + oh * wo, padded + (oh + i) * paddedWidth + j, stride: 1, count: wo)
                        }
                    }
                }
                let plane = dx + (m * g.channels + c) * g.plane
                for h in 0..<g.height {
                    copyRow(padded + (h + p) * paddedWidth + p, plane + h * g.width, count: g.width)
                }
            }
        }
    }
}
