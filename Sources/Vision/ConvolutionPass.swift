import Engine
import Support

/// How a pass computes its convolution: im2col and SGEMM (any geometry), Winograd's
/// F(2x2, 3x3) or F(4x4, 3x3) (`WinogradTile.choice`), or one product per kernel tap
/// over the positions it reaches (`ConvolutionGeometry.suitsTapProducts`).
enum ConvolutionAlgorithm: Equatable {
    case im2col
    case winograd(WinogradTile)
    case taps(TapPlan)

    /// The algorithm for `g` with the workspace's switches: the Winograd tile
    /// `WinogradTile.choice` picks, else taps where they suit, else im2col.
    static func choice(for g: ConvolutionGeometry, winograd: Bool, taps: Bool,
                       plan: (ConvolutionGeometry) -> TapPlan) -> ConvolutionAlgorithm {
        if winograd, let tile = WinogradTile.choice(for: g, minimumTiles: ConvolutionPass.winogradMinimumTiles) {
            return .winograd(tile)
        }
        if taps && g.suitsTapProducts { return .taps(plan(g)) }
        return .im2col
    }
}

/// One forward or backward pass of a convolution over a batch, with the work split
/// into chunks of images that run whole on the worker threads.
///
/// A chunk's column matrix is sized to stay in a core's L2 cache (see
/// `ConvolutionWorkspace.chunkElements`), so each thread unfolds a chunk, multiplies
/// it while it is still cached, and writes the product back in NCHW order before
/// the next chunk; OpenBLAS runs single-threaded inside each chunk. Against one
/// batch-wide SGEMM on OpenBLAS's own threads with the copies split between the
/// products, this measured faster on every ResNet18 layer: the copies hit cache,
/// and no thread hands over to another. OpenBLAS's own threads are not used at all
/// while a batch has two chunks or more: after each call they spin for a while
/// (about 0.1 s by default), and that spinning took a core from the chunk threads.
///
/// The weight gradient sums the whole batch (or group, see
/// `ConvolutionWorkspace.maximumColumnElements`): either one product per chunk,
/// added in chunk order, or one product over the whole group's gathered columns,
/// split by fixed blocks of output channels, whichever needs the smaller buffer
/// (`sumsChunkPartials`).
///
/// A pass by taps runs the batch as one chunk and splits its products by taps and
/// blocks of channels instead (ConvolutionPass+Taps.swift).
///
/// Chunk and block sizes depend on the geometry and the batch only, never on the
/// thread count, so results are the same bit for bit whatever the number of threads.
struct ConvolutionPass {
    let geometry: ConvolutionGeometry
    let outputChannels: Int
    let batch: Int
    /// Images per chunk.
    let chunk: Int
    /// The patch table, for geometries that use one (`Im2Col.usesTable`).
    let table: PatchTable?
    /// The cores the pass may use (the workspace's budget).
    let cores: CoreBudget
    /// The budget's `count` when the pass was made: the pass sizes its lanes and splits
    /// every step by it, though the budget may be resized meanwhile.
    let threads: Int
    /// How the pass computes the convolution.
    let algorithm: ConvolutionAlgorithm

    /// The Winograd algorithm of the pass, nil for the others.
    var winograd: WinogradTile? {
        if case .winograd(let tile) = algorithm { return tile }
        return nil
    }
    /// The plan of a pass by taps, nil for the others.
    var tapPlan: TapPlan? {
        if case .taps(let plan) = algorithm { return plan }
        return nil
    }

    var positions: Int { geometry.outputPositions }
    var patch: Int { geometry.patchSize }
    func chunks(in images: Int) -> Int { (images + chunk - 1) / chunk }
    /// Column-matrix floats of one chunk (transformed tiles with Winograd, each tap's
    /// inputs by taps), and output floats of one chunk.
    var chunkColumns: Int {
        switch algorithm {
        case .im2col: patch * chunk * positions
        case .winograd: chunkTransformed
        case .taps: geometry.channels * tapColumns
        }
    }
    var chunkOutputs: Int { outputChannels * chunk * positions }
    /// Floats per lane of the column buffer: a chunk's columns (or transformed tiles)
    /// and the unfolding scratch.
    var laneColumnsStride: Int {
        switch algorithm {
        case .im2col: chunkColumns + Im2Col.scratchSize(geometry)
        case .winograd(let tile): chunkColumns + Winograd.scratchSize(geometry, tile, images: chunk)
        case .taps: chunkColumns
        }
    }
    /// Floats per lane of the staging buffer: a chunk's products before NCHW order (and,
    /// by taps, the input gradient's products too).
    var laneStagingStride: Int {
        switch algorithm {
        case .im2col: chunkOutputs
        case .winograd: chunkTransformed
        case .taps: max(outputChannels, geometry.channels) * tapColumns
        }
    }
    /// Threads (lanes) used for `items` chunks or blocks.
    func parts(for items: Int) -> Int { max(1, min(threads, items)) }
    /// Threads for `work` elements, none with fewer than `CoreBudget.parts`'s minimum.
    func parts(work: Int) -> Int { CoreBudget.parts(work: work, cores: threads) }

    /// `y = W·unfold(x) (+ b)` over the batch; `data`'s lane buffers hold `parts(for:
    /// chunks(in: batch))` lanes. Returns the seconds spent in SGEMM per thread.
    func forward(_ data: ForwardData, runner: ConvolutionRunner, clock: ConvolutionClock) -> Double {
        if tapPlan != nil { return tapForward(data, runner: runner, clock: clock) }
        if winograd != nil, data.transformsWeights, let u = data.transformed {
            transformWeights(WeightTransform(w: data.w, u: u), runner: runner, clock: clock)
        }
        let chunks = chunks(in: batch)
        return runner.run(self, .forward(data), count: chunks, parts: parts(for: chunks), clock: clock)
    }

    /// Backward over one group of images (see `BackwardData`): the input gradient chunk
    /// by chunk, then the weight gradient. Returns the seconds spent in SGEMM per thread.
    func backward(_ data: BackwardData, runner: ConvolutionRunner, clock: ConvolutionClock) -> Double {
        if tapPlan != nil { return tapBackward(data, runner: runner, clock: clock) }
        let chunks = chunks(in: data.groupImages)
        var seconds = runner.run(self, .backward(data), count: chunks, parts: parts(for: chunks), clock: clock)
        guard data.dw != nil else { return seconds }
        if winograd != nil {
            seconds += runner.run(self, .winogradWeightProducts(data), count: points, parts: parts(for: points),
                                  clock: clock)
            let kernels = outputChannels * geometry.channels
            seconds += runner.run(self, .winogradWeightGradient(data), count: kernels,
                                  parts: parts(work: kernels * 64), clock: clock)
        } else if sumsChunkPartials {
            let elements = outputChannels * patch
            seconds += runner.run(self, .sumPartials(data), count: elements,
                                  parts: parts(work: elements * chunks), clock: clock)
        } else {
            let blocks = (outputChannels + Self.weightRowsPerBlock - 1) / Self.weightRowsPerBlock
            seconds += runner.run(self, .weightBlocks(data), count: blocks, parts: parts(for: blocks), clock: clock)
        }
        return seconds
    }

    /// Whether the weight gradient sums one partial product per chunk (`O·K` floats
    /// each) rather than gathering the group's columns (`K·images·P` floats) for one
    /// batch-wide product: when the partials are no larger, as in ResNet's first
    /// stages, the chunks' columns never leave the cache.
    var sumsChunkPartials: Bool { outputChannels <= chunk * positions }

    /// Output positions per image from which the forward pass multiplies image by image
    /// straight into NCHW (measured on the stem's 32x32 outputs; 16x16 gained nothing).
    static let directPositions = 1024

    /// Output channels per weight-gradient SGEMM when the group's columns are gathered.
    static let weightRowsPerBlock = 64

    /// Floats of the shared backward buffers for a group of `images` images: the chunk
    /// partials or the group's column matrix, and the group's channel-major output gradient.
    func backwardBufferSizes(images: Int, weightGradient: Bool) -> (columns: Int, channelMajor: Int) {
        if tapPlan != nil { return (weightGradient ? geometry.channels * tapColumns : 0, outputChannels * tapColumns) }
        if winograd != nil {
            let transformed = points * images * tiles
            return weightGradient ? (geometry.channels * transformed, outputChannels * transformed) : (0, 0)
        }
        if sumsChunkPartials { return (weightGradient ? chunks(in: images) * outputChannels * patch : 0, 0) }
        return (weightGradient ? patch * images * positions : 0, outputChannels * images * positions)
    }

    /// Chunk `index` of the forward pass on lane `lane`; returns its SGEMM seconds.
    func forwardChunk(_ index: Int, lane: Int, _ d: ForwardData, clock: ConvolutionClock) -> Double {
        let g = geometry, inputStride = g.channels * g.plane, outputStride = outputChannels * positions
        let first = index * chunk, images = min(chunk, batch - first)
        let image = d.x + first * inputStride, target = d.y + first * outputStride
        var seconds = 0.0
        if winograd != nil {
            seconds = winogradForward(image, images: images, lane: lane, d, into: target, clock: clock)
        } else if g.isPointwise {
            // Each image's plane block is already its column matrix: multiply in place, into NCHW.
            for m in 0..<images {
                seconds += clock.time {
                    BLAS.gemm(transposeA: false, transposeB: false, m: outputChannels, n: positions, k: patch,
                              alpha: 1, a: d.w, lda: patch, b: image + m * inputStride, ldb: positions,
                              beta: 0, c: target + m * outputStride, ldc: positions)
                }
            }
        } else {
            let columns = d.columns + lane * laneColumnsStride, staging = d.staging + lane * laneStagingStride
            let n = images * positions
            Im2Col.unfold(image, images: images, geometry: g, table: table, into: columns, rowStride: n,
                          scratch: columns + chunkColumns)
            if positions >= Self.directPositions {
                // Wide planes: one product per image lands in NCHW order without a staging copy.
                for m in 0..<images {
                    seconds += clock.time {
                        BLAS.gemm(transposeA: false, transposeB: false, m: outputChannels, n: positions, k: patch,
                                  alpha: 1, a: d.w, lda: patch, b: columns + m * positions, ldb: n, beta: 0,
                                  c: target + m * outputStride, ldc: positions)
                    }
                }
            } else {
                seconds += clock.time {
                    BLAS.gemm(transposeA: false, transposeB: false, m: outputChannels, n: n, k: patch,
                              alpha: 1, a: d.w, lda: patch, b: columns, ldb: n, beta: 0, c: staging, ldc: n)
                }
                Im2Col.scatterChannels(staging, rowStride: n, images: images, channels: outputChannels,
                                       positions: positions, into: target)
            }
        }
        if let bias = d.bias {
            Im2Col.addChannelBias(bias, images: images, channels: outputChannels, positions: positions, to: target)
        }
        return seconds
    }

    /// Chunk `index` of a backward group on lane `lane`: `dx = fold(Wᵀ·dY)` when asked,
    /// and the chunk's share of the weight gradient (its partial product, or its
    /// columns and output gradient in the group's matrices). Returns its SGEMM seconds.
    func backwardChunk(_ index: Int, lane: Int, _ d: BackwardData, clock: ConvolutionClock) -> Double {
        let g = geometry, inputStride = g.channels * g.plane, outputStride = outputChannels * positions
        let offset = index * chunk, images = min(chunk, d.groupImages - offset)
        if winograd != nil { return winogradBackward(offset: offset, images: images, lane: lane, d, clock: clock) }
        let first = d.groupFirst + offset, n = images * positions
        let gradient = d.dy + first * outputStride
        let laneColumns = d.buffers.laneColumns + lane * laneColumnsStride, scratch = laneColumns + chunkColumns
        let byChunks = sumsChunkPartials
        // dY (and X) of the chunk, channel-major: in lane buffers, or in the group's matrices.
        let dyMatrix = byChunks ? d.buffers.laneStaging + lane * laneStagingStride : d.buffers.channelMajor + offset * positions
        let stride = byChunks ? n : d.groupImages * positions
        var seconds = 0.0
        Im2Col.gatherChannels(gradient, images: images, channels: outputChannels, positions: positions,
                              into: dyMatrix, rowStride: stride)
        if d.dw != nil {
            let columns = byChunks ? laneColumns : d.buffers.columns + offset * positions
            Im2Col.unfold(d.x + first * inputStride, images: images, geometry: g, table: table,
                          into: columns, rowStride: stride, scratch: scratch)
            if byChunks {
                seconds += clock.time {
                    BLAS.gemm(transposeA: false, transposeB: true, m: outputChannels, n: patch, k: n,
                              alpha: 1, a: dyMatrix, lda: n, b: columns, ldb: n, beta: 0,
                              c: d.buffers.columns + index * outputChannels * patch, ldc: patch)
                }
            }
        }
        guard let dx = d.dx else { return seconds }
        let target = dx + first * inputStride
        if g.isPointwise {
            // dx of each image is Wᵀ times its output-gradient planes, already in NCHW order.
            for m in 0..<images {
                seconds += clock.time {
                    BLAS.gemm(transposeA: true, transposeB: false, m: patch, n: positions, k: outputChannels,
                              alpha: 1, a: d.w, lda: patch, b: gradient + m * outputStride, ldb: positions,
                              beta: 0, c: target + m * inputStride, ldc: positions)
                }
            }
        } else {
            seconds += clock.time {
                BLAS.gemm(transposeA: true, transposeB: false, m: patch, n: n, k: outputChannels,
                          alpha: 1, a: d.w, lda: patch, b: dyMatrix, ldb: stride, beta: 0, c: laneColumns, ldc: n)
            }
            Im2Col.fold(laneColumns, rowStride: n, images: images, geometry: g, table: table, into: target,
                        scratch: scratch)
        }
        return seconds
    }

    /// `dw[rows of block] += dYcm[rows] · columnsᵀ` over the group; returns its SGEMM seconds.
    func weightBlock(_ block: Int, _ d: BackwardData, clock: ConvolutionClock) -> Double {
        let row = block * Self.weightRowsPerBlock, rows = min(Self.weightRowsPerBlock, outputChannels - row)
        let k = d.groupImages * positions
        return clock.time {
            BLAS.gemm(transposeA: false, transposeB: true, m: rows, n: patch, k: k,
                      alpha: 1, a: d.buffers.channelMajor + row * k, lda: k, b: d.buffers.columns, ldb: k,
                      beta: 1, c: d.dw! + row * patch, ldc: patch)
        }
    }

    /// `dw[e] += partials[0][e] + partials[1][e] + …` for `e` in `elements`, in chunk order.
    func sumPartials(_ elements: Range<Int>, _ d: BackwardData) {
        let size = outputChannels * patch, dw = d.dw!
        for index in 0..<chunks(in: d.groupImages) {
            let partial = d.buffers.columns + index * size
            for e in elements { dw[e] += partial[e] }
        }
    }
}

/// The pointers of one forward pass: input, weight, bias, output, and the lane
/// buffers (`laneColumnsStride` and `laneStagingStride` floats per lane).
struct ForwardData {
    let x: UnsafePointer<Float>
    let w: UnsafePointer<Float>
    let bias: UnsafePointer<Float>?
    let y: UnsafeMutablePointer<Float>
    let columns: UnsafeMutablePointer<Float>
    let staging: UnsafeMutablePointer<Float>
    /// The transformed weights (`transformedWeightCount` floats) of a Winograd pass, or
    /// the weights by taps, nil otherwise.
    let transformed: UnsafeMutablePointer<Float>?
    /// Whether the pass transforms `w` into `transformed` first (else they hold its transform already).
    var transformsWeights = true
}

/// The pointers of one backward group of `groupImages` images from `groupFirst`;
/// `dw` and `dx` are nil when that gradient is not wanted.
struct BackwardData {
    let groupFirst: Int
    let groupImages: Int
    let x: UnsafePointer<Float>
    let dy: UnsafePointer<Float>
    let w: UnsafePointer<Float>
    let dw: UnsafeMutablePointer<Float>?
    let dx: UnsafeMutablePointer<Float>?
    /// A Winograd pass's transformed weights, or the weights by taps, from the forward pass; nil otherwise.
    let transformed: UnsafePointer<Float>?
    let buffers: ConvolutionBuffers
}

/// The shared scratch of a backward pass, sized by `ConvolutionPass.backwardBufferSizes`
/// and, for the lanes, like the forward pass's.
struct ConvolutionBuffers {
    let laneColumns: UnsafeMutablePointer<Float>
    let laneStaging: UnsafeMutablePointer<Float>
    /// Chunk partial weight gradients, or the group's column matrix.
    let columns: UnsafeMutablePointer<Float>
    let channelMajor: UnsafeMutablePointer<Float>
    /// The weight gradient's products in a Winograd pass or by taps (`weightProductCount` floats).
    let weightProducts: UnsafeMutablePointer<Float>
    /// F(4x4, 3x3)'s transforms of the kernels turned by 180° (`weightProductCount` floats).
    let turnedWeights: UnsafeMutablePointer<Float>
}
