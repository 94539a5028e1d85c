import Engine

// A convolution pass computed with Winograd's F(2x2, 3x3) (see Winograd.swift): each
// 2x2 block of outputs of a 3x3, stride-1, padding-1 window takes 16 multiplications
// per input and output channel instead of 36. A chunk of images is transformed into
// `16` matrices `V[ξ]` of `[C, tiles]`, multiplied by the transformed weights
// `U[ξ]` (`[O, C]`) in 16 SGEMMs, and transformed back; the input gradient is the
// same computation on the output gradient with the kernels turned by 180° and
// the channels swapped; the weight gradient multiplies the transformed output
// gradients by the transformed inputs of the whole group, one SGEMM per ξ on the
// threads, and transforms the 16 sums back to 3x3 kernels.
//
// Rounding differs from the im2col products (the transforms add and halve before
// multiplying), within float32 round-off of the exact convolution (tests compare
// both against a Double reference); chunking depends on the geometry and the batch
// only, so results stay the same bit for bit whatever the number of threads.
extension ConvolutionPass {
    /// Tiles per image from which a 3x3 layer uses Winograd. ResNet18's last stage at
    /// 64x64 (2x2 planes, one tile per image, 512 channels) does not: its transformed
    /// weights (16·O·C floats, 16 MiB) cost more to write and read than the products
    /// save on 32 tiles a batch (`nnreport bench resnet18`, medians of five alternating
    /// runs: 165 training and 541 inference images/s with it, 173 and 570 without; the
    /// other stages gain with it).
    static let winogradMinimumTiles = 2

    /// Floats of the transformed weights and of the weight gradient's 16 products: `16·O·C`, none without Winograd.
    var transformedWeightCount: Int { winograd ? 16 * outputChannels * geometry.channels : 0 }

    /// Floats of one chunk's transformed tiles, in or out: `16·max(C, O)·images·tiles`.
    var chunkTransformed: Int { 16 * max(geometry.channels, outputChannels) * chunk * geometry.tiles }

    /// `u[ξ][o][c]` (`16·O·C` floats) from the layer's weights `w`, output channels split between the threads.
    func transformWeights(_ t: WeightTransform, runner: ConvolutionRunner, clock: ConvolutionClock) {
        _ = runner.run(self, .winogradWeights(t), count: outputChannels,
                       parts: cores.parts(work: 16 * outputChannels * geometry.channels), clock: clock)
    }

    /// Output channels `rows` of `t`.
    func transformWeights(rows: Range<Int>, _ t: WeightTransform) {
        Winograd.transformWeights(t.w, outputs: outputChannels, inputs: geometry.channels, rows: rows, into: t.u)
    }

    /// Forward of `images` images at `x` into NCHW `y`: transform, 16 products, transform back.
    func winogradForward(_ x: UnsafePointer<Float>, images: Int, lane: Int, _ d: ForwardData,
                         into y: UnsafeMutablePointer<Float>, clock: ConvolutionClock) -> Double {
        let g = geometry, channels = g.channels, n = images * g.tiles
        let v = d.columns + lane * laneColumnsStride, scratch = v + chunkColumns
        let products = d.staging + lane * laneStagingStride
        Winograd.transformInput(x, images: images, channels: channels, geometry: g, into: v, rowStride: n, scratch: scratch)
        let seconds = clock.time {
            for xi in 0..<16 {
                BLAS.gemm(transposeA: false, transposeB: false, m: outputChannels, n: n, k: channels,
                          alpha: 1, a: d.transformed! + xi * outputChannels * channels, lda: channels,
                          b: v + xi * channels * n, ldb: n, beta: 0, c: products + xi * outputChannels * n, ldc: n)
            }
        }
        Winograd.transformOutput(products, rowStride: n, images: images, channels: outputChannels, geometry: g,
                                 into: y)
        return seconds
    }

    /// Backward chunk of `images` images from `offset` in the group: the transformed
    /// inputs and output gradients into the group's matrices (weight gradient), and
    /// the input gradient of the chunk. Returns its SGEMM seconds.
    func winogradBackward(offset: Int, images: Int, lane: Int, _ d: BackwardData, clock: ConvolutionClock) -> Double {
        let g = geometry, channels = g.channels, first = d.groupFirst + offset
        let inputStride = channels * g.plane, outputStride = outputChannels * positions
        let v = d.buffers.laneColumns + lane * laneColumnsStride, scratch = v + chunkColumns
        let gradient = d.dy + first * outputStride
        if d.dw != nil {
            let groupTiles = d.groupImages * g.tiles, column = offset * g.tiles
            Winograd.transformInput(d.x + first * inputStride, images: images, channels: channels, geometry: g,
                                    into: d.buffers.columns + column, rowStride: groupTiles, scratch: scratch)
            Winograd.transformOutputGradient(gradient, images: images, channels: outputChannels, geometry: g,
                                             into: d.buffers.channelMajor + column, rowStride: groupTiles)
        }
        guard let dx = d.dx else { return 0 }
        // dx = the forward computation on dy with the kernels turned by 180° and the
        // channels swapped, whose transformed weights are the forward's, transposed.
        let n = images * g.tiles, products = d.buffers.laneStaging + lane * laneStagingStride
        Winograd.transformInput(gradient, images: images, channels: outputChannels, geometry: g, into: v, rowStride: n,
                                scratch: scratch)
        let seconds = clock.time {
            for xi in 0..<16 {
                BLAS.gemm(transposeA: true, transposeB: false, m: channels, n: n, k: outputChannels,
                          alpha: 1, a: d.transformed! + Winograd.turned(xi) * outputChannels * channels, lda: channels,
                          b: v + xi * outputChannels * n, ldb: n, beta: 0, c: products + xi * channels * n, ldc: n)
            }
        }
        Winograd.transformOutput(products, rowStride: n, images: images, channels: channels, geometry: g,
                                 into: dx + first * inputStride)
        return seconds
    }

    /// `dU[ξ] = dM[ξ]·V[ξ]ᵀ` over the group's tiles (`[O, C]`); returns its SGEMM seconds.
    func winogradWeightProduct(_ xi: Int, _ d: BackwardData, clock: ConvolutionClock) -> Double {
        let channels = geometry.channels, k = d.groupImages * geometry.tiles
        return clock.time {
            BLAS.gemm(transposeA: false, transposeB: true, m: outputChannels, n: channels, k: k,
                      alpha: 1, a: d.buffers.channelMajor + xi * outputChannels * k, lda: k,
                      b: d.buffers.columns + xi * channels * k, ldb: k, beta: 0,
                      c: d.buffers.weightProducts + xi * outputChannels * channels, ldc: channels)
        }
    }

    /// `dw += Gᵀ dU G` for the kernels in `kernels`.
    func winogradWeightGradient(_ kernels: Range<Int>, _ d: BackwardData) {
        Winograd.accumulateWeightGradient(d.buffers.weightProducts, outputs: outputChannels, inputs: geometry.channels,
                                          kernels: kernels, into: d.dw!)
    }
}

/// Weights `w` to transform into `u` (`16·O·C` floats).
struct WeightTransform {
    let w: UnsafePointer<Float>
    let u: UnsafeMutablePointer<Float>
}
