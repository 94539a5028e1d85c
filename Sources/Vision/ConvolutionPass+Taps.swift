import Engine

// A convolution pass computed one kernel tap at a time, over only the output positions
// each tap reaches inside the input (known as kn2row). On planes hardly larger than
// the kernel, im2col multiplies mostly padding: ResNet18's last stage at 64x64 (3x3
// windows over 2x2 planes) reaches 16 of im2col's 36 tap-positions, and Winograd's
// single tile per image splits the work into products too small to run well.
//
// The plan (`TapPlan`) lists, tap by tap, the (output position p, input position q)
// pairs the tap joins: its entries. The batch's inputs are gathered into `X[c][e·N + n]
// = x[n, c, q(e)]`; for each tap, `Z[·, entries of t] = W_t · X[·, entries of t]` with
// `W_t[o][c] = w[o, c, t]` (the weights regrouped by tap, `WeightTransform`); and
// `y[n, o, p]` is the sum of `Z[o][e·N + n]` over the entries e with p(e) = p, in entry
// order. The input gradient is the same computation backwards (`W_tᵀ` on the output
// gradient gathered by p, summed by q), the weight gradient `dW_t = dY[·, entries of t]
// · X[·, entries of t]ᵀ`, added back onto the kernels (taps.c).
//
// The products are split into blocks of `tapRowsPerBlock` rows for each tap, the
// gathers and sums by channels, never by the thread count, so results are the same
// bits on any number of threads.
extension ConvolutionPass {
    /// Output (or input-gradient) channels per product.
    static let tapRowsPerBlock = 128

    /// Columns of the by-taps matrices: one per entry and image.
    var tapColumns: Int { tapPlan!.entries * chunk }

    private func tapItems(rows: Int) -> Int {
        (rows + Self.tapRowsPerBlock - 1) / Self.tapRowsPerBlock * tapPlan!.taps.count
    }

    /// Forward over the batch (one chunk): the weights by taps unless the data hold them
    /// already, the inputs gathered into lane 0's columns, the products into lane 0's
    /// staging, summed into NCHW `y` (and the bias added).
    func tapForward(_ d: ForwardData, runner: ConvolutionRunner, clock: ConvolutionClock) -> Double {
        let channels = geometry.channels, byTaps = d.transformed!
        if d.transformsWeights {
            _ = runner.run(self, .tapWeights(WeightTransform(w: d.w, u: byTaps)), count: outputChannels,
                           parts: parts(work: transformedWeightCount), clock: clock)
        }
        let gather = TapMatrix(nchw: UnsafeMutablePointer(mutating: d.x), rows: channels, plane: geometry.plane,
                               inputSide: true, images: batch, byTaps: d.columns)
        _ = runner.run(self, .tapGather(gather), count: channels, parts: parts(work: channels * tapColumns),
                       clock: clock)
        let products = TapProducts(product: .outputs, weights: byTaps, inputs: d.columns, outputs: d.staging,
                                   images: batch)
        let items = tapItems(rows: outputChannels)
        let seconds = runner.run(self, .tapProducts(products), count: items, parts: parts(for: items), clock: clock)
        let sums = TapMatrix(nchw: d.y, rows: outputChannels, plane: positions, inputSide: false, images: batch,
                             byTaps: d.staging)
        _ = runner.run(self, .tapSums(sums), count: outputChannels, parts: parts(work: outputChannels * tapColumns),
                       clock: clock)
        if let bias = d.bias {
            Im2Col.addChannelBias(bias, images: batch, channels: outputChannels, positions: positions, to: d.y)
        }
        return seconds
    }

    /// Backward over the group (the batch, one chunk): the output gradient gathered by
    /// output positions into the channel-major buffer; the input gradient's products
    /// into lane 0's staging, summed into NCHW `dx`; the inputs gathered into the
    /// column buffer, each tap's weight gradient into the weight products, added onto `dw`.
    func tapBackward(_ d: BackwardData, runner: ConvolutionRunner, clock: ConvolutionClock) -> Double {
        let g = geometry, images = d.groupImages, first = d.groupFirst
        let byTaps = UnsafeMutablePointer(mutating: d.transformed!), gradient = d.buffers.channelMajor
        let columns = tapPlan!.entries * images
        let gatherGradient = TapMatrix(nchw: UnsafeMutablePointer(mutating: d.dy + first * outputChannels * positions),
                                       rows: outputChannels, plane: positions, inputSide: false, images: images,
                                       byTaps: gradient)
        _ = runner.run(self, .tapGather(gatherGradient), count: outputChannels,
                       parts: parts(work: outputChannels * columns), clock: clock)
        var seconds = 0.0
        if let dx = d.dx {
            let products = TapProducts(product: .inputGradient, weights: byTaps, inputs: d.buffers.laneStaging,
                                       outputs: gradient, images: images)
            let items = tapItems(rows: g.channels)
            seconds += runner.run(self, .tapProducts(products), count: items, parts: parts(for: items), clock: clock)
            let sums = TapMatrix(nchw: dx + first * g.channels * g.plane, rows: g.channels, plane: g.plane,
                                 inputSide: true, images: images, byTaps: d.buffers.laneStaging)
            _ = runner.run(self, .tapSums(sums), count: g.channels, parts: parts(work: g.channels * columns),
                           clock: clock)
        }
        if d.dw != nil {
            let gather = TapMatrix(nchw: UnsafeMutablePointer(mutating: d.x + first * g.channels * g.plane),
                                   rows: g.channels, plane: g.plane, inputSide: true, images: images,
                                   byTaps: d.buffers.columns)
            _ = runner.run(self, .tapGather(gather), count: g.channels, parts: parts(work: g.channels * columns),
                           clock: clock)
            let products = TapProducts(product: .weightGradient, weights: d.buffers.weightProducts,
                                       inputs: d.buffers.columns, outputs: gradient, images: images)
            let items = tapItems(rows: outputChannels)
            seconds += runner.run(self, .tapProducts(products), count: items, parts: parts(for: items), clock: clock)
            _ = runner.run(self, .tapWeightGradient(d), count: outputChannels,
                           parts: parts(work: weightProductCount), clock: clock)
        }
        return seconds
    }

    /// `u[t][o][c] = w[o, c, t]` for the output channels `rows` and the plan's taps.
    func tapWeights(rows: Range<Int>, _ t: WeightTransform) {
        TapWeights.regroup(t.w, outputs: outputChannels, inputs: geometry.channels,
                           kernelTaps: geometry.kernel * geometry.kernel, taps: tapPlan!.taps, rows: rows, into: t.u)
    }

    /// `dw[o, c, t] += dW_t[o][c]` for the output channels `rows` and the plan's taps.
    func addTapWeightGradient(rows: Range<Int>, _ d: BackwardData) {
        TapWeights.accumulate(d.buffers.weightProducts, outputs: outputChannels, inputs: geometry.channels,
                              kernelTaps: geometry.kernel * geometry.kernel, taps: tapPlan!.taps, rows: rows,
                              into: d.dw!)
    }

    /// Images per pass over a row's entries in `gatherTaps` and `sumTaps`.
    static let tapImagesPerPass = 8

    /// `target[r][e·N + n] = source[n, r, position(e)]` for the rows `rows`, a few images
    /// at a time, so that the reads stay in a few planes and the writes in one stretch
    /// of the row (reading one image after another at the same position strides a
    /// whole image, often a multiple of 4 KiB, which the L1 cache maps onto one set).
    func gatherTaps(rows: Range<Int>, _ g: TapMatrix) {
        let plan = tapPlan!, images = g.images, columns = plan.entries * images, imageStride = g.rows * g.plane
        (g.inputSide ? plan.inputPositions : plan.outputPositions).withUnsafeBufferPointer { positions in
            for r in rows {
                let target = g.byTaps + r * columns, source = g.nchw + r * g.plane
                for first in stride(from: 0, to: images, by: Self.tapImagesPerPass) {
                    let last = min(first + Self.tapImagesPerPass, images)
                    for e in positions.indices {
                        let at = Int(positions[e]), out = target + e * images
                        for n in first..<last { out[n] = source[n &* imageStride &+ at] }
                    }
                }
            }
        }
    }

    /// `target[n, r, position] = Σ source[r][e·N + n]` over the entries e at that
    /// position, in entry order (zero where none is), for the rows `rows`; a few images
    /// at a time, as `gatherTaps`.
    func sumTaps(rows: Range<Int>, _ s: TapMatrix) {
        let plan = tapPlan!, images = s.images, columns = plan.entries * images, imageStride = s.rows * s.plane
        (s.inputSide ? plan.inputPositions : plan.outputPositions).withUnsafeBufferPointer { positions in
            for r in rows {
                let source = s.byTaps + r * columns, target = s.nchw + r * s.plane
                for first in stride(from: 0, to: images, by: Self.tapImagesPerPass) {
                    let last = min(first + Self.tapImagesPerPass, images)
                    for n in first..<last { (target + n * imageStride).update(repeating: 0, count: s.plane) }
                    for e in positions.indices {
                        let at = Int(positions[e]), sums = source + e * images
                        for n in first..<last { target[n &* imageStride &+ at] += sums[n] }
                    }
                }
            }
        }
    }

    /// Product `item` (block of rows `item / taps`, tap `item % taps`); returns its SGEMM seconds.
    func tapProduct(_ item: Int, _ p: TapProducts, clock: ConvolutionClock) -> Double {
        let plan = tapPlan!, channels = geometry.channels
        let block = item / plan.taps.count, index = item % plan.taps.count
        let matrix = Int(plan.taps[index]) * outputChannels * channels
        let columns = plan.entries * p.images
        let first = plan.starts[index] * p.images, n = (plan.starts[index + 1] - plan.starts[index]) * p.images
        let row = block * Self.tapRowsPerBlock
        return clock.time {
            switch p.product {
            case .outputs:
                // Z[rows, entries of t] = W_t[rows] · X[·, entries of t]
                BLAS.gemm(transposeA: false, transposeB: false, m: min(Self.tapRowsPerBlock, outputChannels - row),
                          n: n, k: channels, alpha: 1, a: p.weights + matrix + row * channels, lda: channels,
                          b: p.inputs + first, ldb: columns, beta: 0, c: p.outputs + row * columns + first, ldc: columns)
            case .inputGradient:
                // dX[rows, entries of t] = W_t[·, rows]ᵀ · dY[·, entries of t]
                BLAS.gemm(transposeA: true, transposeB: false, m: min(Self.tapRowsPerBlock, channels - row),
                          n: n, k: outputChannels, alpha: 1, a: p.weights + matrix + row, lda: channels,
                          b: p.outputs + first, ldb: columns, beta: 0, c: p.inputs + row * columns + first, ldc: columns)
            case .weightGradient:
                // dW_t[rows] = dY[rows, entries of t] · X[·, entries of t]ᵀ
                BLAS.gemm(transposeA: false, transposeB: true, m: min(Self.tapRowsPerBlock, outputChannels - row),
                          n: channels, k: n, alpha: 1, a: p.outputs + row * columns + first, lda: columns,
                          b: p.inputs + first, ldb: columns, beta: 0, c: p.weights + matrix + row * channels,
                          ldc: channels)
            }
        }
    }
}

/// An NCHW tensor and its by-taps matrix: the one gathered from the other
/// (`ConvolutionPass.gatherTaps`) or summed back into it (`ConvolutionPass.sumTaps`).
struct TapMatrix {
    /// `[images, rows, plane]`.
    let nchw: UnsafeMutablePointer<Float>
    let rows: Int
    let plane: Int
    /// Whether the entries' input positions (else their output positions) index the plane.
    let inputSide: Bool
    let images: Int
    /// `[rows][entries · images]`.
    let byTaps: UnsafeMutablePointer<Float>
}

/// The matrices of one kind of tap product (`ConvolutionPass.tapProduct`).
struct TapProducts {
    enum Product {
        /// `outputs = W_t · inputs`
        case outputs
        /// `inputs = W_tᵀ · outputs`
        case inputGradient
        /// `weights_t = outputs · inputsᵀ`
        case weightGradient
    }

    let product: Product
    /// `[taps][O][C]`: the weights by taps, or their gradient.
    let weights: UnsafeMutablePointer<Float>
    /// `[C][entries · images]`: gathered inputs, or the input gradient's products.
    let inputs: UnsafeMutablePointer<Float>
    /// `[O][entries · images]`: the outputs' products, or the gathered output gradient.
    let outputs: UnsafeMutablePointer<Float>
    let images: Int
}

/// The kernel taps that reach the input somewhere, and the (output, input) position
/// pairs each joins, for a geometry computed by taps. Built once per layer and
/// geometry, so a pass allocates nothing.
final class TapPlan: Equatable {
    let geometry: ConvolutionGeometry
    /// The taps `i·k + j` that reach some output, in order.
    let taps: [Int32]
    /// The entries of `taps[i]` are `starts[i] ..< starts[i + 1]`.
    let starts: [Int]
    /// Each entry's output position `oh·Wo + ow` and input position `h·W + w`.
    let outputPositions: [Int32]
    let inputPositions: [Int32]

    var entries: Int { outputPositions.count }

    init(_ g: ConvolutionGeometry) {
        geometry = g
        var taps: [Int32] = [], starts = [0], outputs: [Int32] = [], inputs: [Int32] = []
        for i in 0..<g.kernel {
            for j in 0..<g.kernel {
                let rows = g.validRows(kernelRow: i), columns = g.validColumns(kernelColumn: j)
                guard !rows.isEmpty && !columns.isEmpty else { continue }
                for oh in rows {
                    for ow in columns {
                        outputs.append(Int32(oh * g.outputWidth + ow))
                        inputs.append(Int32((oh * g.stride - g.padding + i) * g.width + ow * g.stride - g.padding + j))
                    }
                }
                taps.append(Int32(i * g.kernel + j))
                starts.append(outputs.count)
            }
        }
        (self.taps, self.starts, outputPositions, inputPositions) = (taps, starts, outputs, inputs)
    }

    static func == (a: TapPlan, b: TapPlan) -> Bool { a.geometry == b.geometry }
}
