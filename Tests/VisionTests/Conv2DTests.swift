import Engine
import Support
import Testing
import TestSupport
@testable import Vision

/// Plain-loop convolution in Double: the reference for the im2col + SGEMM path.
private func naiveConvolution(_ x: Tensor, _ conv: Conv2D) -> [Double] {
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    let k = conv.kernelSize, s = conv.stride, p = conv.padding, o = conv.outputChannels
    let ho = (h + 2 * p - k) / s + 1, wo = (w + 2 * p - k) / s + 1
    let weights = conv.weight.value, bias = conv.bias?.value
    var out = [Double](repeating: 0, count: n * o * ho * wo)
    for image in 0..<n {
        for channel in 0..<o {
            for i in 0..<ho {
                for j in 0..<wo {
                    var sum = bias.map { Double($0[flat: channel]) } ?? 0
                    for ci in 0..<c {
                        for ki in 0..<k {
                            for kj in 0..<k {
                                let y = i * s - p + ki, xx = j * s - p + kj
                                guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                                sum += Double(x[flat: ((image * c + ci) * h + y) * w + xx])
                                    * Double(weights[flat: ((channel * c + ci) * k + ki) * k + kj])
                            }
                        }
                    }
                    out[((image * o + channel) * ho + i) * wo + j] = sum
                }
            }
        }
    }
    return out
}

/// `dW[o, c, i, j] = Σ dy[n, o, oh, ow] · x[n, c, oh·s - p + i, ow·s - p + j]` in Double.
private func naiveWeightGradient(_ x: Tensor, _ dy: Tensor, _ conv: Conv2D) -> [Double] {
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    let k = conv.kernelSize, s = conv.stride, p = conv.padding, o = conv.outputChannels
    let ho = dy.shape[2], wo = dy.shape[3]
    var out = [Double](repeating: 0, count: o * c * k * k)
    for image in 0..<n {
        for channel in 0..<o {
            for i in 0..<ho {
                for j in 0..<wo {
                    let g = Double(dy[flat: ((image * o + channel) * ho + i) * wo + j])
                    for ci in 0..<c {
                        for ki in 0..<k {
                            for kj in 0..<k {
                                let y = i * s - p + ki, xx = j * s - p + kj
                                guard y >= 0, y < h, xx >= 0, xx < w else { continue }
                                out[((channel * c + ci) * k + ki) * k + kj] +=
                                    g * Double(x[flat: ((image * c + ci) * h + y) * w + xx])
                            }
                        }
                    }
                }
            }
        }
    }
    return out
}

@Suite struct Conv2DTests {
    /// (C, O, k, s, p, N, H, W, bias)
    private let shapes: [(Int, Int, Int, Int, Int, Int, Int, Int, Bool)] = [
        (1, 1, 1, 1, 0, 1, 1, 1, false),   // 1x1 everything
        (3, 4, 1, 1, 0, 2, 5, 4, true),    // pointwise
        (2, 3, 1, 2, 0, 3, 7, 6, false),   // 1x1 stride 2 (ResNet downsample)
        (3, 5, 3, 1, 1, 2, 6, 7, true),    // 3x3 same
        (4, 2, 3, 2, 1, 2, 9, 8, false),   // 3x3 stride 2
        (3, 4, 7, 2, 3, 2, 11, 10, false), // ResNet stem
        (2, 3, 3, 1, 0, 1, 3, 3, true),    // output 1x1
        (2, 2, 5, 3, 2, 2, 4, 13, true),   // odd stride, wide input
        (2, 3, 3, 1, 1, 2, 20, 18, false), // wide rows: row-copy unfold path
        (1, 2, 3, 1, 2, 1, 2, 2, true),    // padding larger than the input reach
        (3, 2, 3, 1, 1, 2, 1, 1, true),    // 1x1 input, 3x3 same: only the centre tap
        (2, 3, 3, 1, 1, 3, 1, 5, false),   // one-row input, 3x3 same
        (2, 3, 7, 2, 3, 3, 9, 40, false),  // stem-like, output 20 wide: vector stride-2 row gathers
        (2, 2, 3, 2, 1, 2, 5, 37, true),   // stride 2, odd widths: gathers with scalar tails
        (3, 2, 1, 2, 0, 3, 4, 34, false),  // 1x1 stride 2, output 17 wide
        (2, 9, 3, 1, 1, 5, 3, 3, false),   // O > chunk·P: the weight gradient from gathered columns
        (3, 4, 3, 1, 1, 3, 7, 5, true),    // Winograd: odd height and width, partial tiles
        (5, 3, 3, 1, 1, 2, 2, 3, false),   // Winograd: two tiles per image, one of them partial
        (3, 2, 3, 1, 1, 1, 17, 33, true),  // Winograd: 17 tiles a row (three vectors), odd rows
        (2, 11, 3, 1, 1, 4, 16, 18, false), // Winograd: many tiles, more outputs than inputs
        (3, 4, 3, 1, 1, 2, 2, 37, true),   // Winograd F(2x2, 3x3): 19 tiles a row (three vectors)
        (2, 3, 3, 1, 1, 2, 9, 70, false),  // Winograd F(4x4, 3x3): 18 tiles a row, partial tile rows
        (9, 6, 3, 1, 1, 3, 2, 2, false),   // by taps: 3x3 over 2x2 planes (ResNet18's last stage), 9 channels
        (4, 3, 3, 2, 1, 2, 4, 4, true),    // by taps: stride 2 over 4x4, 25 of 36 tap-positions reached
        (3, 10, 3, 1, 1, 2, 2, 1, true),   // by taps: a 2x1 plane, no tap column but the middle one
    ]

    /// Workspaces that take every path: default chunks, one image per chunk on the worker
    /// threads, one image per backward group, and chunks as large as the batch allows
    /// (single-image batches run as one chunk on OpenBLAS's threads in every mode).
    private let workspaces: [(String, () -> ConvolutionWorkspace)] = [
        ("default", { ConvolutionWorkspace() }),
        ("one image per chunk", { ConvolutionWorkspace(chunkElements: 1) }),
        ("one image per group", { ConvolutionWorkspace(maximumColumnElements: 1, chunkElements: 1) }),
        ("largest chunks", { ConvolutionWorkspace(chunkElements: 1 << 30) }),
        ("im2col", { ConvolutionWorkspace(winograd: false, tapProducts: false) }),
        ("im2col, one image per group", {
            ConvolutionWorkspace(maximumColumnElements: 1, chunkElements: 1, winograd: false, tapProducts: false)
        }),
        ("no Winograd", { ConvolutionWorkspace(winograd: false) }),
    ]

    /// Calls `body` with a convolution of every shape in every buffer mode and a random
    /// input of that shape, all drawn from one generator seeded with `seed`.
    private func forEveryConvolution(seed: UInt64, _ body: (_ index: Int, _ mode: String, Conv2D, Tensor) throws -> Void) throws {
        var rng = RNG(seed: seed)
        for (index, (c, o, k, s, p, n, h, w, bias)) in shapes.enumerated() {
            for (name, workspace) in workspaces {
                let conv = try Conv2D(c, o, kernelSize: k, stride: s, padding: p, bias: bias, rng: &rng,
                                      workspace: workspace())
                try body(index, name, conv, randomTensor([n, c, h, w], rng: &rng))
            }
        }
    }

    @Test(.tags(.numerics)) func forwardMatchesNaiveConvolutionInEveryBufferMode() throws {
        try forEveryConvolution(seed: 11) { index, name, conv, x in
            let expected = naiveConvolution(x, conv)
            let shape = try conv.outputShape(for: x.shape)
            for mode in [Mode.inference, .training] {
                let y = conv.forward(x, mode: mode)
                #expect(y.shape == shape)
                expectClose(y.scalars, expected, tolerance: 1e-5, "case \(index) \(name) \(mode)")
                if mode == .training { _ = conv.backward(detached(y), needsInputGradient: true) }
            }
        }
    }

    @Test(.tags(.numerics)) func chunksOnTwoThreadsMatchTheReferenceAndOneThreadBitForBit() throws {
        var rng = RNG(seed: 16)
        // Five images in chunks of two: three chunks over two threads. With 8 outputs the
        // weight gradient sums chunk partials, with 40 outputs of 3x3 it gathers the columns.
        for (outputs, size) in [(8, 12), (40, 3)] {
            let patchElements = 8 * 9 * size * size
            let workspace = ConvolutionWorkspace(chunkElements: 2 * patchElements)
            let conv = try Conv2D(8, outputs, kernelSize: 3, padding: 1, bias: true, rng: &rng, workspace: workspace)
            let x = randomTensor([5, 8, size, size], rng: &rng)
            let dy = randomTensor([5, outputs, size, size], rng: &rng)
            func run(threads: Int) -> (y: [Float], dx: [Float], dw: [Float], db: [Float]) {
                workspace.cores = CoreBudget(cores: threads)
                conv.weight.gradient.zero()
                conv.bias!.gradient.zero()
                let y = conv.forward(x, mode: .training).scalars
                let dx = conv.backward(dy, needsInputGradient: true)!.scalars
                return (y, dx, conv.weight.gradient.scalars, conv.bias!.gradient.scalars)
            }
            let one = run(threads: 1), two = run(threads: 2)
            #expect(one.y == two.y && one.dx == two.dx && one.dw == two.dw && one.db == two.db,
                    "\(outputs) outputs: one and two threads differ")
            expectClose(two.y, naiveConvolution(x, conv), tolerance: 1e-5, "\(outputs) outputs: y")
            expectClose(two.dw, naiveWeightGradient(x, dy, conv), tolerance: 1e-4, "\(outputs) outputs: dW")
            // The input gradient is the adjoint: dx[e] = <dy, conv(e) - b> for basis inputs e.
            let planeSize = size * size
            for index in [0, 1234 % x.count, x.count - 1] {
                var e = Tensor(zeros: x.shape)
                e[flat: index] = 1
                var expected = 0.0
                for (flat, value) in naiveConvolution(e, conv).enumerated() {
                    let channel = (flat / planeSize) % outputs
                    expected += (value - Double(conv.bias!.value[flat: channel])) * Double(dy[flat: flat])
                }
                expectClose(Double(two.dx[index]), expected, accuracy: 1e-4, "\(outputs) outputs: dx[\(index)]")
            }
        }
    }

    /// The subnormal mode is per thread: the worker threads compute their chunks in the
    /// caller's mode, so products of tiny values flush to zero in every chunk alike.
    @Test(.tags(.numerics)) func workerThreadsFlushSubnormalsAsTheCallerDoes() throws {
        var rng = RNG(seed: 17)
        for winograd in [true, false] {
            let workspace = ConvolutionWorkspace(chunkElements: 1, winograd: winograd)
            let conv = try Conv2D(4, 3, kernelSize: 3, padding: 1, bias: false, rng: &rng, workspace: workspace)
            conv.weight.value.withUnsafeMutableBufferPointer { w in for i in w.indices { w[i] = 1e-20 } }
            var x = Tensor(zeros: [6, 4, 6, 6])
            x.withUnsafeMutableBufferPointer { x in for i in x.indices { x[i] = 1e-20 } }
            for cores in [1, 2] {
                workspace.cores = CoreBudget(cores: cores)
                let flushed = FloatingPointMode.withSubnormalsFlushed { conv.forward(x, mode: .inference).scalars }
                #expect(flushed.allSatisfy { $0 == 0 }, "winograd \(winograd), \(cores) cores: subnormal outputs kept")
                let gradual = FloatingPointMode.with(flushingSubnormals: false) { conv.forward(x, mode: .inference).scalars }
                #expect(gradual.allSatisfy { $0 > 0 }, "winograd \(winograd), \(cores) cores: gradual underflow lost")
            }
        }
    }

    /// The algorithm of a 3x3 layer is the one with fewer multiplications per plane; the
    /// shapes above take each of them (and im2col).
    @Test func winogradTilesAreChosenByTheirMultiplications() {
        func choice(_ h: Int, _ w: Int, stride: Int = 1) -> WinogradTile? {
            WinogradTile.choice(for: ConvolutionGeometry(channels: 4, height: h, width: w, kernel: 3, stride: stride,
                                                         padding: 1),
                                minimumTiles: ConvolutionPass.winogradMinimumTiles)
        }
        #expect(choice(16, 16) == .four)  // 16 tiles of 36 against 64 of 16
        #expect(choice(4, 4) == .four)    // 36 against 64
        #expect(choice(3, 3) == .four)    // one partial tile of 36 against four of 16
        #expect(choice(6, 6) == .two)     // 144 each: the tie goes to F(2x2, 3x3)
        #expect(choice(2, 37) == .two)    // 19 tiles of 16 against 10 of 36
        #expect(choice(2, 2) == nil)      // one F(2x2, 3x3) tile: im2col
        #expect(choice(16, 16, stride: 2) == nil)
        let taken = shapes.filter { $0.2 == 3 && $0.3 == 1 && $0.4 == 1 }.map { choice($0.6, $0.7) }
        #expect(taken.contains(.two) && taken.contains(.four) && taken.contains(nil))
    }

    /// Convolutions of which im2col would multiply a quarter or more padding go by taps
    /// (unless Winograd takes them): in ResNet18 at 64x64, the last stage's.
    @Test func tapsAreChosenWhereImToColWouldMultiplyPadding() {
        func algorithm(_ c: Int, _ h: Int, kernel: Int, stride: Int, padding: Int) -> String {
            let g = ConvolutionGeometry(channels: c, height: h, width: h, kernel: kernel, stride: stride, padding: padding)
            switch ConvolutionAlgorithm.choice(for: g, winograd: true, taps: true, plan: { TapPlan($0) }) {
            case .im2col: return "im2col"
            case .winograd(let tile): return tile == .two ? "F2" : "F4"
            case .taps(let plan): return "taps \(plan.entries)"
            }
        }
        #expect(algorithm(3, 64, kernel: 7, stride: 2, padding: 3) == "im2col")  // the stem
        #expect(algorithm(64, 16, kernel: 3, stride: 1, padding: 1) == "F4")
        #expect(algorithm(128, 8, kernel: 3, stride: 2, padding: 1) == "im2col")  // 121 of 144 reached
        #expect(algorithm(256, 4, kernel: 3, stride: 1, padding: 1) == "F4")
        #expect(algorithm(256, 4, kernel: 3, stride: 2, padding: 1) == "taps 25")
        #expect(algorithm(512, 2, kernel: 3, stride: 1, padding: 1) == "taps 16")
        #expect(algorithm(256, 4, kernel: 1, stride: 2, padding: 0) == "im2col")  // pointwise: no padding
        #expect(algorithm(512, 1, kernel: 3, stride: 1, padding: 1) == "taps 1")  // 32x32 images' last stage
        let plan = TapPlan(ConvolutionGeometry(channels: 1, height: 2, width: 2, kernel: 3, stride: 1, padding: 1))
        // Tap (0, 0) reaches only output (1, 1), from input (0, 0); the centre reaches every output from itself.
        #expect(plan.taps.first == 0 && plan.outputPositions[0] == 3 && plan.inputPositions[0] == 0)
        let centre = plan.taps.firstIndex(of: 4)!
        #expect(Array(plan.outputPositions[plan.starts[centre]..<plan.starts[centre + 1]]) == [0, 1, 2, 3])
        #expect(Array(plan.inputPositions[plan.starts[centre]..<plan.starts[centre + 1]]) == [0, 1, 2, 3])
    }

    /// By taps, products are split by blocks of channels for each tap: with more channels
    /// than a block, one, two and three threads give the same bits, and the reference.
    @Test(.tags(.numerics)) func tapProductsGiveTheSameBitsOnAnyNumberOfThreads() throws {
        var rng = RNG(seed: 19)
        let workspace = ConvolutionWorkspace()
        let conv = try Conv2D(150, 260, kernelSize: 3, padding: 1, bias: false, rng: &rng, workspace: workspace)
        let x = randomTensor([3, 150, 2, 2], rng: &rng)
        let dy = randomTensor([3, 260, 2, 2], rng: &rng)
        func run(threads: Int) -> [[Float]] {
            workspace.cores = CoreBudget(cores: threads)
            conv.weight.gradient.zero()
            let y = conv.forward(x, mode: .training).scalars
            let dx = conv.backward(dy, needsInputGradient: true)!.scalars
            return [y, dx, conv.weight.gradient.scalars, conv.forward(x, mode: .inference).scalars]
        }
        let one = run(threads: 1)
        #expect(run(threads: 2) == one)
        #expect(run(threads: 3) == one)
        expectClose(one[0], naiveConvolution(x, conv), tolerance: 1e-5, "y")
        expectClose(one[3], naiveConvolution(x, conv), tolerance: 1e-5, "y in inference")
        expectClose(one[2], naiveWeightGradient(x, dy, conv), tolerance: 1e-4, "dW")
    }

    /// Inference passes reuse the transformed weights while the weights stay the same,
    /// and transform again when they change in place or a training pass came between.
    @Test(.tags(.numerics)) func inferenceReusesTheWeightTransformOnlyForTheSameWeights() throws {
        var rng = RNG(seed: 18)
        for (height, width, tile) in [(16, 16, WinogradTile.four), (2, 37, .two), (2, 2, nil)] {
            let conv = try Conv2D(3, 4, kernelSize: 3, padding: 1, bias: false, rng: &rng)
            let x = randomTensor([2, 3, height, width], rng: &rng)
            let g = conv.geometry(height: height, width: width)
            #expect(WinogradTile.choice(for: g, minimumTiles: ConvolutionPass.winogradMinimumTiles) == tile)
            #expect(tile != nil || g.suitsTapProducts, "2x2 planes go by taps")
            let first = conv.forward(x, mode: .inference).scalars
            #expect(conv.forward(x, mode: .inference).scalars == first)
            conv.weight.value.withUnsafeMutableBufferPointer { w in w[w.count / 2] += 0.5 }
            expectClose(conv.forward(x, mode: .inference).scalars, naiveConvolution(x, conv), tolerance: 1e-5,
                        "\(String(describing: tile)): weights changed in place")
            _ = conv.forward(x, mode: .training)
            conv.weight.value.withUnsafeMutableBufferPointer { w in w[0] -= 0.25 }
            expectClose(conv.forward(x, mode: .inference).scalars, naiveConvolution(x, conv), tolerance: 1e-5,
                        "\(String(describing: tile)): weights changed after a training pass")
        }
    }

    @Test(.tags(.numerics)) func gradientsOfEveryShape() throws {
        try forEveryConvolution(seed: 12) { index, _, conv, x in
            checkGradients(of: conv, input: x, seed: UInt64(100 + index))
        }
    }

    @Test(.tags(.numerics)) func backwardAccumulatesWeightGradientsAndSkipsFrozenWeights() throws {
        var rng = RNG(seed: 13)
        let conv = try Conv2D(2, 3, kernelSize: 3, padding: 1, rng: &rng)
        let x = randomTensor([2, 2, 5, 5], rng: &rng)
        let dy = randomTensor([2, 3, 5, 5], rng: &rng)
        _ = conv.forward(x, mode: .training)
        _ = conv.backward(dy, needsInputGradient: false)
        let once = conv.weight.gradient.scalars
        _ = conv.forward(x, mode: .training)
        _ = conv.backward(dy, needsInputGradient: false)
        for (twice, single) in zip(conv.weight.gradient.scalars, once) { expectClose(twice, 2 * single, accuracy: 1e-4) }

        conv.setFrozen(true)
        conv.weight.gradient.zero()
        _ = conv.forward(x, mode: .training)
        let dx = conv.backward(dy, needsInputGradient: true)
        #expect(conv.weight.gradient.scalars.allSatisfy { $0 == 0 }, "a frozen weight gets no gradient")
        #expect(dx?.shape == x.shape)
    }

    @Test(.tags(.errors)) func invalidConfigurationsAndShapesAreReported() throws {
        var rng = RNG(seed: 14)
        #expect(throws: (any Error).self) { try Conv2D(0, 3, kernelSize: 3, rng: &rng) }
        #expect(throws: (any Error).self) { try Conv2D(3, 3, kernelSize: 3, stride: 0, rng: &rng) }
        let conv = try Conv2D(3, 8, kernelSize: 5, rng: &rng)
        if let error = #expect(throws: (any Error).self, performing: { try conv.outputShape(for: [1, 4, 9, 9]) }) {
            #expect("\(error)".contains("expects input [N, 3, H, W]"), "\(error)")
        }
        #expect(throws: (any Error).self) { try conv.outputShape(for: [1, 3, 4, 9]) }
        #expect(try conv.outputShape(for: [2, 3, 9, 7]) == [2, 8, 5, 3])
    }

    @Test(.tags(.numerics)) func unfoldAndFoldAreAdjointAndEveryKernelGivesTheSameBits() {
        // <unfold(x), c> == <x, fold(c)> for random x and c: fold is unfold's transpose.
        // The patch-table and padded-plane kernels must give the row kernels' results bit for bit.
        var rng = RNG(seed: 15)
        for g in [ConvolutionGeometry(channels: 2, height: 5, width: 7, kernel: 3, stride: 2, padding: 1),
                  ConvolutionGeometry(channels: 3, height: 4, width: 4, kernel: 1, stride: 1, padding: 0),
                  ConvolutionGeometry(channels: 1, height: 6, width: 20, kernel: 3, stride: 1, padding: 1),
                  ConvolutionGeometry(channels: 2, height: 9, width: 41, kernel: 7, stride: 2, padding: 3),
                  ConvolutionGeometry(channels: 2, height: 4, width: 34, kernel: 1, stride: 2, padding: 0),
                  ConvolutionGeometry(channels: 2, height: 3, width: 9, kernel: 3, stride: 1, padding: 0),
                  ConvolutionGeometry(channels: 1, height: 2, width: 2, kernel: 3, stride: 1, padding: 2),
                  ConvolutionGeometry(channels: 2, height: 5, width: 6, kernel: 5, stride: 1, padding: 2),
                  ConvolutionGeometry(channels: 3, height: 2, width: 2, kernel: 3, stride: 1, padding: 1),
                  ConvolutionGeometry(channels: 2, height: 1, width: 1, kernel: 3, stride: 1, padding: 1),
                  ConvolutionGeometry(channels: 1, height: 1, width: 3, kernel: 3, stride: 1, padding: 1),
                  ConvolutionGeometry(channels: 2, height: 4, width: 9, kernel: 3, stride: 1, padding: 1)] {
            let images = 2, rowLength = images * g.outputPositions, rowStride = rowLength + 3
            let x = (0..<(images * g.channels * g.plane)).map { _ in rng.uniform(-1, 1) }
            let c = (0..<(g.patchSize * rowStride)).map { _ in rng.uniform(-1, 1) }
            let table = PatchTable(g)
            var scratch = [Float](repeating: 0, count: Im2Col.scratchSize(g))
            // Each kernel unfolds x and folds c; results keyed by kernel name.
            var unfolded: [String: [Float]] = [:], folded: [String: [Float]] = [:]
            x.withUnsafeBufferPointer { xp in
                c.withUnsafeBufferPointer { cp in
                    scratch.withUnsafeMutableBufferPointer { sp in
                        let x = xp.baseAddress!, c = cp.baseAddress!, scratch = sp.baseAddress!
                        func run(_ name: String, unfold: (UnsafeMutablePointer<Float>) -> Void,
                                 fold: (UnsafeMutablePointer<Float>) -> Void) {
                            var columns = [Float](repeating: 0, count: g.patchSize * rowStride)
                            var input = [Float](repeating: 0, count: images * g.channels * g.plane)
                            columns.withUnsafeMutableBufferPointer { unfold($0.baseAddress!) }
                            input.withUnsafeMutableBufferPointer { fold($0.baseAddress!) }
                            (unfolded[name], folded[name]) = (columns, input)
                        }
                        run("rows", unfold: {
                            Im2Col.unfoldByRows(x, images: images, geometry: g, into: $0, rowStride: rowStride)
                        }, fold: {
                            Im2Col.foldByRows(c, rowStride: rowStride, images: images, geometry: g, into: $0)
                        })
                        run("table", unfold: {
                            table.unfold(x, images: images, into: $0, rowStride: rowStride, scratch: scratch)
                        }, fold: {
                            table.fold(c, rowStride: rowStride, images: images, into: $0)
                        })
                        if g.stride == 1 {
                            run("padded", unfold: {
                                Im2Col.unfoldPadded(x, images: images, geometry: g, into: $0, rowStride: rowStride,
                                                    scratch: scratch)
                            }, fold: {
                                Im2Col.foldPadded(c, rowStride: rowStride, images: images, geometry: g, into: $0,
                                                  scratch: scratch)
                            })
                        }
                        run("chosen", unfold: {
                            Im2Col.unfold(x, images: images, geometry: g, table: Im2Col.usesTable(g) ? table : nil,
                                          into: $0, rowStride: rowStride, scratch: scratch)
                        }, fold: {
                            Im2Col.fold(c, rowStride: rowStride, images: images, geometry: g,
                                        table: Im2Col.usesTable(g) ? table : nil, into: $0, scratch: scratch)
                        })
                    }
                }
            }
            for name in unfolded.keys where name != "rows" {
                #expect(unfolded[name] == unfolded["rows"], "\(g): unfold by \(name)")
                #expect(folded[name] == folded["rows"], "\(g): fold by \(name)")
            }
            let columns = unfolded["rows"]!
            var left = 0.0
            for row in 0..<g.patchSize {
                for q in 0..<rowLength { left += Double(columns[row * rowStride + q]) * Double(c[row * rowStride + q]) }
            }
            let right = zip(x, folded["rows"]!).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            expectClose(left, right, accuracy: 1e-4 * max(1, abs(left)), "\(g)")
        }
    }
}
