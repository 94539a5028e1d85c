// The convolutions' and max pooling's C kernels (Sources/CKernels, built for SSE2 and
// AVX2 with the same bits); this is Vision's one file that imports them.
//
// Winograd's minimal filtering for 3x3 convolutions with stride 1 and padding 1, in
// two sizes: F(2x2, 3x3) and F(4x4, 3x3), whose transforms are winograd.c and
// winograd4.c; ConvolutionPass+Winograd.swift arranges the transforms and the
// products per tile. And the weights regrouped tap by tap (taps.c) for
// ConvolutionPass+Taps.swift. And max pooling eight outputs at a time (pooling.c)
// for MaxPool2D.

import CKernels

/// The output tile of a Winograd algorithm: F(2x2, 3x3) takes 16 multiplications per
/// 4 outputs, F(4x4, 3x3) 36 per 16, at the price of a few times larger rounding
/// errors (still float32 round-off of the exact convolution; tests compare both with
/// a Double reference).
enum WinogradTile: Equatable {
    case two
    case four

    /// Outputs along a tile's side.
    var side: Int { self == .two ? 2 : 4 }
    /// Positions ξ of a transformed tile (`(side + 2)²`), one product each.
    var points: Int { (side + 2) * (side + 2) }

    /// Tiles per image plane of `g`'s output.
    func tiles(_ g: ConvolutionGeometry) -> Int {
        ((g.outputHeight + side - 1) / side) * ((g.outputWidth + side - 1) / side)
    }

    /// The algorithm a 3x3 layer of `g` uses, nil for im2col: the one with fewer
    /// multiplications per plane (`points · tiles`), F(2x2, 3x3) on ties (less rounding,
    /// cheaper transforms); none where F(2x2, 3x3) has fewer than `minimumTiles` tiles.
    static func choice(for g: ConvolutionGeometry, minimumTiles: Int) -> WinogradTile? {
        guard g.suitsWinograd, WinogradTile.two.tiles(g) >= minimumTiles else { return nil }
        return four.points * four.tiles(g) < two.points * two.tiles(g) ? .four : .two
    }
}

enum Winograd {
    /// Floats of the scratch the input transform needs for up to `images` images of `g`.
    static func scratchSize(_ g: ConvolutionGeometry, _ tile: WinogradTile, images: Int) -> Int {
        let size = tile == .two ? nnreport_winograd_scratch(Int64(g.height), Int64(g.width))
            : nnreport_winograd4_scratch(Int64(images), Int64(g.height), Int64(g.width))
        return Int(size)
    }

    /// `v[(ξ·C + c)·rowStride + t] = (Bᵀ d B)[ξ]` for every tile `t` of `images` images of `g` at `x`.
    static func transformInput(_ x: UnsafePointer<Float>, images: Int, channels: Int, geometry g: ConvolutionGeometry,
                               _ tile: WinogradTile, into v: UnsafeMutablePointer<Float>, rowStride: Int,
                               scratch: UnsafeMutablePointer<Float>) {
        let transform = tile == .two ? nnreport_winograd_input : nnreport_winograd4_input
        transform(x, Int64(images), Int64(channels), Int64(g.height), Int64(g.width), v, Int64(rowStride), scratch)
    }

    /// `y = Aᵀ M A` per tile, written over `images` NCHW images of `channels` planes of `g`'s output size.
    static func transformOutput(_ products: UnsafePointer<Float>, rowStride: Int, images: Int, channels: Int,
                                geometry g: ConvolutionGeometry, _ tile: WinogradTile, into y: UnsafeMutablePointer<Float>) {
        let transform = tile == .two ? nnreport_winograd_output : nnreport_winograd4_output
        transform(products, Int64(rowStride), Int64(images), Int64(channels), Int64(g.height), Int64(g.width), y)
    }

    /// `dM = A dY Aᵀ` per tile (the adjoint of `transformOutput`).
    static func transformOutputGradient(_ dy: UnsafePointer<Float>, images: Int, channels: Int,
                                        geometry g: ConvolutionGeometry, _ tile: WinogradTile,
                                        into dm: UnsafeMutablePointer<Float>, rowStride: Int) {
        let transform = tile == .two ? nnreport_winograd_output_adjoint : nnreport_winograd4_output_adjoint
        transform(dy, Int64(images), Int64(channels), Int64(g.height), Int64(g.width), dm, Int64(rowStride))
    }

    /// `u[ξ][o][c] = (G w[o, c] Gᵀ)[ξ]` for the output channels `o` in `rows`; with
    /// `turned`, of each kernel turned by 180° (F(4x4, 3x3) only: F(2x2, 3x3) reads
    /// those from the plain ones, see `turned(_:)`).
    static func transformWeights(_ w: UnsafePointer<Float>, outputs: Int, inputs: Int, rows: Range<Int>,
                                 _ tile: WinogradTile, turned: Bool = false, into u: UnsafeMutablePointer<Float>) {
        switch tile {
        case .two:
            precondition(!turned, "F(2x2, 3x3) reads the turned kernels' transforms from the plain ones")
            nnreport_winograd_weights(w, Int64(outputs), Int64(inputs), Int64(rows.lowerBound), Int64(rows.count), u)
        case .four:
            nnreport_winograd4_weights(w, Int64(outputs), Int64(inputs), Int64(rows.lowerBound), Int64(rows.count),
                                       turned ? 1 : 0, u)
        }
    }

    /// For F(2x2, 3x3): the ξ whose transformed weights, transposed, are those of the
    /// kernels turned by 180° at `xi` (see winograd.c): rows and columns 0 and 3 of
    /// the 4x4 tile swapped.
    static func turned(_ xi: Int) -> Int {
        func swap(_ i: Int) -> Int { i == 0 ? 3 : i == 3 ? 0 : i }
        return 4 * swap(xi / 4) + swap(xi % 4)
    }

    /// `dw[e] += Gᵀ du[·][e] G` for kernels `e` in `kernels` (`e = o·inputs + c`).
    static func accumulateWeightGradient(_ du: UnsafePointer<Float>, outputs: Int, inputs: Int, kernels: Range<Int>,
                                         _ tile: WinogradTile, into dw: UnsafeMutablePointer<Float>) {
        let transform = tile == .two ? nnreport_winograd_weight_gradient : nnreport_winograd4_weight_gradient
        transform(du, Int64(outputs), Int64(inputs), Int64(kernels.lowerBound), Int64(kernels.count), dw)
    }
}

/// The weights of a convolution regrouped by kernel tap, and back (see taps.c).
enum TapWeights {
    /// `u[t][o][c] = w[o, c, t]` for the output channels in `rows` and the taps `taps`.
    static func regroup(_ w: UnsafePointer<Float>, outputs: Int, inputs: Int, kernelTaps: Int, taps: [Int32],
                        rows: Range<Int>, into u: UnsafeMutablePointer<Float>) {
        taps.withUnsafeBufferPointer { taps in
            nnreport_taps_from_weights(w, Int64(outputs), Int64(inputs), Int64(kernelTaps), taps.baseAddress!,
                                       Int64(taps.count), Int64(rows.lowerBound), Int64(rows.count), u)
        }
    }

    /// `dw[o, c, t] += du[t][o][c]` for the output channels in `rows` and the taps `taps`.
    static func accumulate(_ du: UnsafePointer<Float>, outputs: Int, inputs: Int, kernelTaps: Int, taps: [Int32],
                           rows: Range<Int>, into dw: UnsafeMutablePointer<Float>) {
        taps.withUnsafeBufferPointer { taps in
            nnreport_taps_add_to_weights(du, Int64(outputs), Int64(inputs), Int64(kernelTaps), taps.baseAddress!,
                                         Int64(taps.count), Int64(rows.lowerBound), Int64(rows.count), dw)
        }
    }
}

enum PoolingKernels {
    /// Floats of the −∞-bordered scratch plane `maxPool` needs per thread.
    static func scratchSize(_ g: ConvolutionGeometry) -> Int {
        Int(nnreport_max_pool_scratch(Int64(g.height), Int64(g.width), Int64(g.kernel), Int64(g.stride),
                                      Int64(g.padding)))
    }

    /// Max over each window of the input planes `planes` of `g` (NCHW planes from `x`),
    /// PyTorch's rule (pooling.c): `argmax` receives the flat in-plane index of the
    /// chosen element, the first maximum, or the last NaN of a window that holds one.
    static func maxPool(_ x: UnsafePointer<Float>, planes: Range<Int>, geometry g: ConvolutionGeometry,
                        into y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>,
                        scratch: UnsafeMutablePointer<Float>) {
        let outputs = planes.lowerBound * g.outputPositions
        nnreport_max_pool(x + planes.lowerBound * g.plane, Int64(planes.count), Int64(g.height), Int64(g.width),
                          Int64(g.kernel), Int64(g.stride), Int64(g.padding), y + outputs, argmax + outputs, scratch)
    }
}
