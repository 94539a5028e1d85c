// Winograd's minimal filtering F(2x2, 3x3) for 3x3 convolutions with stride 1 and
// padding 1, whose transforms are C kernels (Sources/CKernels/winograd.c, built for
// SSE2 and AVX2 with the same bits). This is Vision's one file that imports them;
// ConvolutionPass+Winograd.swift arranges the transforms and the 16 products per tile.

import CKernels

enum Winograd {
    /// Floats of the scratch plane the transforms need for `g`.
    static func scratchSize(_ g: ConvolutionGeometry) -> Int {
        Int(nnreport_winograd_scratch(Int64(g.height), Int64(g.width)))
    }

    /// `v[(ξ·C + c)·rowStride + t] = (Bᵀ d B)[ξ]` for every tile `t` of `images` images of `g` at `x`.
    static func transformInput(_ x: UnsafePointer<Float>, images: Int, channels: Int, geometry g: ConvolutionGeometry,
                               into v: UnsafeMutablePointer<Float>, rowStride: Int, scratch: UnsafeMutablePointer<Float>) {
        nnreport_winograd_input(x, Int64(images), Int64(channels), Int64(g.height), Int64(g.width), v, Int64(rowStride),
                                scratch)
    }

    /// `y = Aᵀ M A` per tile, written over `images` NCHW images of `channels` planes of `g`'s output size.
    static func transformOutput(_ products: UnsafePointer<Float>, rowStride: Int, images: Int, channels: Int,
                                geometry g: ConvolutionGeometry, into y: UnsafeMutablePointer<Float>) {
        nnreport_winograd_output(products, Int64(rowStride), Int64(images), Int64(channels), Int64(g.height),
                                 Int64(g.width), y)
    }

    /// `dM = A dY Aᵀ` per tile (the adjoint of `transformOutput`).
    static func transformOutputGradient(_ dy: UnsafePointer<Float>, images: Int, channels: Int,
                                        geometry g: ConvolutionGeometry, into dm: UnsafeMutablePointer<Float>,
                                        rowStride: Int) {
        nnreport_winograd_output_adjoint(dy, Int64(images), Int64(channels), Int64(g.height), Int64(g.width), dm,
                                         Int64(rowStride))
    }

    /// `u[ξ][o][c] = (G w[o, c] Gᵀ)[ξ]` for the output channels `o` in `rows`.
    static func transformWeights(_ w: UnsafePointer<Float>, outputs: Int, inputs: Int, rows: Range<Int>,
                                 into u: UnsafeMutablePointer<Float>) {
        nnreport_winograd_weights(w, Int64(outputs), Int64(inputs), Int64(rows.lowerBound), Int64(rows.count), u)
    }

    /// The ξ whose transformed weights, transposed, are those of the kernels turned by
    /// 180° at `xi` (see winograd.c): rows and columns 0 and 3 of the 4x4 tile swapped.
    static func turned(_ xi: Int) -> Int {
        func swap(_ i: Int) -> Int { i == 0 ? 3 : i == 3 ? 0 : i }
        return 4 * swap(xi / 4) + swap(xi % 4)
    }

    /// `dw[e] += Gᵀ du[·][e] G` for kernels `e` in `kernels` (`e = o·inputs + c`).
    static func accumulateWeightGradient(_ du: UnsafePointer<Float>, outputs: Int, inputs: Int, kernels: Range<Int>,
                                         into dw: UnsafeMutablePointer<Float>) {
        nnreport_winograd_weight_gradient(du, Int64(outputs), Int64(inputs), Int64(kernels.lowerBound),
                                          Int64(kernels.count), dw)
    }
}
