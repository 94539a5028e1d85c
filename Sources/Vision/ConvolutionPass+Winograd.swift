import Engine

// A convolution pass computed with Winograd's F(2x2, 3x3) or F(4x4, 3x3) (see
// ConvolutionKernels.swift): each tile of 2x2 (4x4) outputs of a 3x3, stride-1, padding-1
// window takes 16 (36) multiplications per input and output channel instead of 36
// (144). A chunk of images is transformed into `points` matrices `V[ξ]` of
// `[C, tiles]`, multiplied by the transformed weights `U[ξ]` (`[O, C]`) in one SGEMM
// per ξ, and transformed back; the input gradient is the same computation on the
// output gradient with the kernels turned by 180° and the channels swapped; the
// weight gradient multiplies the transformed output gradients by the transformed
// inputs of the whole group, one SGEMM per ξ on the threads, and transforms the sums
// back to 3x3 kernels.
//
// Rounding differs from the im2col products (the transforms add and scale before
// multiplying), within float32 round-off of the exact convolution (tests compare
// both against a Double reference); chunking depends on the geometry and the batch
// only, so results stay the same bit for bit whatever the number of threads.
extension ConvolutionPass {
    /// F(2x2, 3x3) tiles per image from which a 3x3 layer uses Winograd. On planes of
    /// one tile, the products per ξ are too small: ResNet18's last stage at 64x64 (2x2
    /// planes, 512 channels) measured slower with Winograd than with im2col (165
    /// training and 541 inference images/s against 173 and 570 in `nnreport bench
    /// resnet18`, medians of five alternating runs); it multiplies by taps now
    /// (ConvolutionPass+Taps.swift), as often as Winograd would there.
    static let winogradMinimumTiles = 2

    /// Tiles per image of the pass's Winograd algorithm.
    var tiles: Int { winograd.map { $0.tiles(geometry) } ?? 0 }
    /// Positions of a transformed tile, one product each.
    var points: Int { winograd?.points ?? 0 }

    /// Floats of the transformed weights: `points·O·C` (F(4x4, 3x3)'s input gradient
    /// needs the turned kernels' transforms too, made in the backward pass into the
    /// workspace's `turnedWeights`); by taps, one `[O, C]` matrix per tap (`k²·O·C`);
    /// none for im2col.
    var transformedWeightCount: Int { algorithm == .im2col ? 0 : weightProductCount }
    /// Floats of the weight gradient's products: `points·O·C`, or `k²·O·C` by taps.
    var weightProductCount: Int {
        let matrices = tapPlan != nil ? geometry.kernel * geometry.kernel : points
        return matrices * outputChannels * geometry.channels
    }

    /// Floats of one chunk's transformed tiles, in or out: `points·max(C, O)·images·tiles`.
    var chunkTransformed: Int { points * max(geometry.channels, outputChannels) * chunk * tiles }

    /// `u[ξ][o][c]` (`points·O·C` floats) from the layer's weights `w`, output channels
    /// split between the threads; of the turned kernels with `t.turned`.
    func transformWeights(_ t: WeightTransform, runner: ConvolutionRunner, clock: ConvolutionClock) {
        _ = runner.run(self, .winogradWeights(t), count: outputChannels,
                       parts: parts(work: weightProductCount), clock: clock)
    }

    /// Where the `[O, C]` matrix of position `xi` starts in transformed weights (or the
    /// weight gradient's products), and its leading dimension: F(2x2, 3x3) keeps the
    /// matrices one after another, F(4x4, 3x3) a kernel's 36 values side by side
    /// (see winograd4.c).
    func weightMatrix(_ xi: Int) -> (offset: Int, leading: Int) {
        let channels = geometry.channels
        return winograd == .two ? (xi * outputChannels * channels, channels) : (xi * channels, points * channels)
    }

    /// Output channels `rows` of `t`.
    func transformWeights(rows: Range<Int>, _ t: WeightTransform) {
        Winograd.transformWeights(t.w, outputs: outputChannels, inputs: geometry.channels, rows: rows, winograd!,
                                  turned: t.turned, into: t.u)
    }

    /// Forward of `images` images at `x` into NCHW `y`: transform, one product per ξ, transform back.
    func winogradForward(_ x: UnsafePointer<Float>, images: Int, lane: Int, _ d: ForwardData,
                         into y: UnsafeMutablePointer<Float>, clock: ConvolutionClock) -> Double {
        let g = geometry, tile = winograd!, channels = g.channels, n = images * tiles
        let v = d.columns + lane * laneColumnsStride, scratch = v + chunkColumns
        let products = d.staging + lane * laneStagingStride
        Winograd.transformInput(x, images: images, channels: channels, geometry: g, tile, into: v, rowStride: n,
                                scratch: scratch)
        let seconds = clock.time {
            for xi in 0..<tile.points {
                let u = weightMatrix(xi)
                BLAS.gemm(transposeA: false, transposeB: false, m: outputChannels, n: n, k: channels,
                          alpha: 1, a: d.transformed! + u.offset, lda: u.leading,
                          b: v + xi * channels * n, ldb: n, beta: 0, c: products + xi * outputChannels * n, ldc: n)
            }
        }
        Winograd.transformOutput(products, rowStride: n, images: images, channels: outputChannels, geometry: g, tile,
                                 into: y)
        return seconds
    }

    /// The transformed weights of the kernels turned by 180° at `xi`, as `[O, C]` (the
    /// input gradient multiplies by their transpose), and their leading dimension.
    func turnedWeights(_ d: BackwardData, _ xi: Int) -> (UnsafePointer<Float>, leading: Int) {
        if winograd == .two {
            let u = weightMatrix(Winograd.turned(xi))
            return (d.transformed! + u.offset, u.leading)
        }
        let u = weightMatrix(xi)
        return (UnsafePointer(d.buffers.turnedWeights + u.offset), u.leading)
    }

    /// Backward chunk of `images` images from `offset` in the group: the transformed
    /// inputs and output gradients into the group's matrices (weight gradient), and
    /// the input gradient of the chunk. Returns its SGEMM seconds.
    func winogradBackward(offset: Int, images: Int, lane: Int, _ d: BackwardData, clock: ConvolutionClock) -> Double {
        let g = geometry, tile = winograd!, channels = g.channels, first = d.groupFirst + offset
        let inputStride = channels * g.plane, outputStride = outputChannels * positions
        let v = d.buffers.laneColumns + lane * laneColumnsStride, scratch = v + chunkColumns
        let gradient = d.dy + first * outputStride
        if d.dw != nil {
            let groupTiles = d.groupImages * tiles, column = offset * tiles
            Winograd.transformInput(d.x + first * inputStride, images: images, channels: channels, geometry: g, tile,
                                    into: d.buffers.columns + column, rowStride: groupTiles, scratch: scratch)
            Winograd.transformOutputGradient(gradient, images: images, channels: outputChannels, geometry: g, tile,
                                             into: d.buffers.channelMajor + column, rowStride: groupTiles)
        }
        guard let dx = d.dx else { return 0 }
        // dx = the forward computation on dy with the kernels turned by 180° and the
        // channels swapped, whose transformed weights, transposed, are `turnedWeights`.
        let n = images * tiles, products = d.buffers.laneStaging + lane * laneStagingStride
        Winograd.transformInput(gradient, images: images, channels: outputChannels, geometry: g, tile, into: v,
                                rowStride: n, scratch: scratch)
        let seconds = clock.time {
            for xi in 0..<tile.points {
                let u = turnedWeights(d, xi)
                BLAS.gemm(transposeA: true, transposeB: false, m: channels, n: n, k: outputChannels,
                          alpha: 1, a: u.0, lda: u.leading,
                          b: v + xi * outputChannels * n, ldb: n, beta: 0, c: products + xi * channels * n, ldc: n)
            }
        }
        Winograd.transformOutput(products, rowStride: n, images: images, channels: channels, geometry: g, tile,
                                 into: dx + first * inputStride)
        return seconds
    }

    /// `dU[ξ] = dM[ξ]·V[ξ]ᵀ` over the group's tiles (`[O, C]`); returns its SGEMM seconds.
    func winogradWeightProduct(_ xi: Int, _ d: BackwardData, clock: ConvolutionClock) -> Double {
        let channels = geometry.channels, k = d.groupImages * tiles, du = weightMatrix(xi)
        return clock.time {
            BLAS.gemm(transposeA: false, transposeB: true, m: outputChannels, n: channels, k: k,
                      alpha: 1, a: d.buffers.channelMajor + xi * outputChannels * k, lda: k,
                      b: d.buffers.columns + xi * channels * k, ldb: k, beta: 0,
                      c: d.buffers.weightProducts + du.offset, ldc: du.leading)
        }
    }

    /// `dw += Gᵀ dU G` for the kernels in `kernels`.
    func winogradWeightGradient(_ kernels: Range<Int>, _ d: BackwardData) {
        Winograd.accumulateWeightGradient(d.buffers.weightProducts, outputs: outputChannels, inputs: geometry.channels,
                                          kernels: kernels, winograd!, into: d.dw!)
    }
}

/// Weights `w` to transform into `u` (`points·O·C` floats), turned by 180° or not.
struct WeightTransform {
    let w: UnsafePointer<Float>
    let u: UnsafeMutablePointer<Float>
    var turned = false
}
