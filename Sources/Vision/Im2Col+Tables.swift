// im2col and col2im for narrow planes (ResNet's 16x16 and smaller outputs), where
// the row kernels would spend more time on per-row bookkeeping than on moving the
// two to sixteen floats of each row. A table maps every (kernel offset, output
// position) of a plane to its input element, or to a zero slot past the plane for
// the padding; each plane is then unfolded with a flat gather through the table,
// and folded with a flat gather through its inverse (each input element lists
// the column entries that read it).

/// The patch table of one window geometry and its inverse, built once per geometry.
struct PatchTable {
    let geometry: ConvolutionGeometry
    /// `gather[(i·k + j)·P + q]`: the input-plane index read by output position `q` for
    /// kernel offset `(i, j)`, or `H·W` (the zero slot) in the padding.
    let gather: [Int32]
    /// `starts[e]..<starts[e + 1]` indexes `sourceRows`/`sourcePositions`: the column
    /// entries (row `(i·k + j)`, position `q`) that read input element `e`, in increasing order.
    let starts: [Int32]
    let sourceRows: [Int32]
    let sourcePositions: [Int32]

    init(_ g: ConvolutionGeometry) {
        geometry = g
        let positions = g.outputPositions, wo = g.outputWidth, k = g.kernel
        var gather = [Int32](repeating: Int32(g.plane), count: k * k * positions)
        var counts = [Int32](repeating: 0, count: g.plane + 1)
        for i in 0..<k {
            for j in 0..<k {
                for q in 0..<positions {
                    let ih = (q / wo) * g.stride - g.padding + i, iw = (q % wo) * g.stride - g.padding + j
                    guard ih >= 0 && ih < g.height && iw >= 0 && iw < g.width else { continue }
                    gather[(i * k + j) * positions + q] = Int32(ih * g.width + iw)
                    counts[ih * g.width + iw + 1] += 1
                }
            }
        }
        var starts = counts
        for e in 0..<g.plane { starts[e + 1] += starts[e] }
        var next = starts
        var sourceRows = [Int32](repeating: 0, count: Int(starts[g.plane]))
        var sourcePositions = sourceRows
        for (index, element) in gather.enumerated() where Int(element) < g.plane {
            let slot = Int(next[Int(element)])
            sourceRows[slot] = Int32(index / positions)
            sourcePositions[slot] = Int32(index % positions)
            next[Int(element)] += 1
        }
        self.gather = gather
        self.starts = starts
        self.sourceRows = sourceRows
        self.sourcePositions = sourcePositions
    }

    /// Floats of scratch that `unfold` needs: one plane and its zero slot.
    var scratchSize: Int { geometry.plane + 1 }

    /// `Im2Col.unfold` through the table: the same result. `scratch` holds `scratchSize` floats.
    func unfold(_ x: UnsafePointer<Float>, images: Int, into columns: UnsafeMutablePointer<Float>, rowStride: Int,
                scratch padded: UnsafeMutablePointer<Float>) {
        let g = geometry, positions = g.outputPositions, kernelArea = g.kernel * g.kernel
        gather.withUnsafeBufferPointer { table in
            padded[g.plane] = 0
            for c in 0..<g.channels {
                for m in 0..<images {
                    // Without padding the table never points at the zero slot: read the input itself.
                    let source = x + (m * g.channels + c) * g.plane
                    if g.padding > 0 { Im2Col.copyRow(source, padded, count: g.plane) }
                    let plane = g.padding > 0 ? UnsafePointer(padded) : source
                    var out = columns + c * kernelArea * rowStride + m * positions
                    var entry = table.baseAddress!
                    for _ in 0..<kernelArea {
                        for q in 0..<positions { out[q] = plane[Int(entry[q])] }
                        out += rowStride
                        entry += positions
                    }
                }
            }
        }
    }

    /// `Im2Col.fold` through the inverted table: each input element sums its column
    /// entries in kernel-offset then position order in a register, so the sums are
    /// independent (no chain of adds through memory) and equal the row kernel's bit for bit.
    func fold(_ columns: UnsafePointer<Float>, rowStride: Int, images: Int, into dx: UnsafeMutablePointer<Float>) {
        let g = geometry, positions = g.outputPositions, kernelArea = g.kernel * g.kernel
        starts.withUnsafeBufferPointer { starts in
            sourceRows.withUnsafeBufferPointer { rows in
                sourcePositions.withUnsafeBufferPointer { offsets in
                    for c in 0..<g.channels {
                        for m in 0..<images {
                            let gradient = columns + c * kernelArea * rowStride + m * positions
                            let plane = dx + (m * g.channels + c) * g.plane
                            for e in 0..<g.plane {
                                var sum: Float = 0
                                for index in Int(starts[e])..<Int(starts[e + 1]) {
                                    sum += gradient[Int(rows[index]) * rowStride + Int(offsets[index])]
                                }
                                plane[e] = sum
                            }
                        }
                    }
                }
            }
        }
    }
}
