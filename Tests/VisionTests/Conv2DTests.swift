import Engine
import XCTest
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

final class Conv2DTests: XCTestCase {
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
    ]

    func testForwardMatchesNaiveConvolutionInEveryBufferMode() throws {
        var rng = RNG(seed: 11)
        for (index, (c, o, k, s, p, n, h, w, bias)) in shapes.enumerated() {
            // Whole batch at once; one image per group; column cache on and off.
            for (groupLimit, cacheBudget) in [(1 << 25, 1 << 27), (1, 1 << 27), (1 << 25, 0)] {
                let workspace = ConvolutionWorkspace(maximumColumnElements: groupLimit, columnCacheBudget: cacheBudget)
                let conv = try Conv2D(c, o, kernelSize: k, stride: s, padding: p, bias: bias, rng: &rng, workspace: workspace)
                let x = randomTensor([n, c, h, w], rng: &rng)
                let expected = naiveConvolution(x, conv)
                for mode in [Mode.inference, .training] {
                    let y = conv.forward(x, mode: mode)
                    XCTAssertEqual(y.shape, try conv.outputShape(for: x.shape))
                    assertClose(y.scalars, expected, tolerance: 1e-5, "case \(index) limit \(groupLimit) \(mode)")
                    if mode == .training { _ = conv.backward(detached(y), needsInputGradient: true) }
                }
            }
        }
    }

    func testMultithreadedKernelsMatchTheReference() throws {
        // Large enough for im2col, col2im and the layout copies to split over two threads.
        var rng = RNG(seed: 16)
        let conv = try Conv2D(8, 8, kernelSize: 3, stride: 1, padding: 1, bias: true, rng: &rng)
        let x = randomTensor([4, 8, 32, 32], rng: &rng)
        var parts = 0
        Parallel.run(parts: 2, work: 8 * 4 * 1024 * 9) { _, count in parts = count }
        XCTAssertEqual(parts, 2, "the test shape should use both threads")
        assertClose(conv.forward(x, mode: .training).scalars, naiveConvolution(x, conv), tolerance: 1e-5, "2 threads")
        let dy = randomTensor([4, 8, 32, 32], rng: &rng)
        let dx = detached(conv.backward(dy, needsInputGradient: true)!)
        // The input gradient of a convolution is the adjoint: <dy, conv(e)> for a few basis inputs e.
        for index in [0, 1234, 8 * 4 * 1024 - 1] {
            var e = Tensor(zeros: x.shape)
            e[flat: index] = 1
            let response = naiveConvolution(e, conv)
            let bias = conv.bias!.value
            var expected = 0.0
            for (flat, value) in response.enumerated() {
                let channel = (flat / 1024) % 8
                expected += (value - Double(bias[flat: channel])) * Double(dy[flat: flat])
            }
            XCTAssertEqual(Double(dx[flat: index]), expected, accuracy: 1e-4, "dx[\(index)]")
        }
    }

    func testGradientsOfEveryShape() throws {
        var rng = RNG(seed: 12)
        for (index, (c, o, k, s, p, n, h, w, bias)) in shapes.enumerated() {
            for groupLimit in [1 << 25, 1] {
                let workspace = ConvolutionWorkspace(maximumColumnElements: groupLimit)
                let conv = try Conv2D(c, o, kernelSize: k, stride: s, padding: p, bias: bias, rng: &rng, workspace: workspace)
                checkGradients(of: conv, input: randomTensor([n, c, h, w], rng: &rng), seed: UInt64(100 + index))
            }
        }
    }

    func testBackwardAccumulatesWeightGradientsAndSkipsFrozenWeights() throws {
        var rng = RNG(seed: 13)
        let conv = try Conv2D(2, 3, kernelSize: 3, padding: 1, rng: &rng)
        let x = randomTensor([2, 2, 5, 5], rng: &rng)
        let dy = randomTensor([2, 3, 5, 5], rng: &rng)
        _ = conv.forward(x, mode: .training)
        _ = conv.backward(dy, needsInputGradient: false)
        let once = conv.weight.gradient.scalars
        _ = conv.forward(x, mode: .training)
        _ = conv.backward(dy, needsInputGradient: false)
        for (twice, single) in zip(conv.weight.gradient.scalars, once) { XCTAssertEqual(twice, 2 * single, accuracy: 1e-4) }

        conv.setFrozen(true)
        conv.weight.gradient.zero()
        _ = conv.forward(x, mode: .training)
        let dx = conv.backward(dy, needsInputGradient: true)
        XCTAssertTrue(conv.weight.gradient.scalars.allSatisfy { $0 == 0 }, "a frozen weight gets no gradient")
        XCTAssertEqual(dx?.shape, x.shape)
    }

    func testInvalidConfigurationsAndShapesAreReported() throws {
        var rng = RNG(seed: 14)
        XCTAssertThrowsError(try Conv2D(0, 3, kernelSize: 3, rng: &rng))
        XCTAssertThrowsError(try Conv2D(3, 3, kernelSize: 3, stride: 0, rng: &rng))
        let conv = try Conv2D(3, 8, kernelSize: 5, rng: &rng)
        XCTAssertThrowsError(try conv.outputShape(for: [1, 4, 9, 9])) { error in
            XCTAssertTrue("\(error)".contains("expects input [N, 3, H, W]"), "\(error)")
        }
        XCTAssertThrowsError(try conv.outputShape(for: [1, 3, 4, 9]))
        XCTAssertEqual(try conv.outputShape(for: [2, 3, 9, 7]), [2, 8, 5, 3])
    }

    func testUnfoldAndFoldAreAdjoint() {
        // <unfold(x), c> == <x, fold(c)> for random x and c: fold is unfold's transpose.
        var rng = RNG(seed: 15)
        for g in [ConvolutionGeometry(channels: 2, height: 5, width: 7, kernel: 3, stride: 2, padding: 1),
                  ConvolutionGeometry(channels: 3, height: 4, width: 4, kernel: 1, stride: 1, padding: 0),
                  ConvolutionGeometry(channels: 1, height: 6, width: 20, kernel: 3, stride: 1, padding: 1)] {
            let images = 2
            let x = (0..<(images * g.channels * g.height * g.width)).map { _ in rng.uniform(-1, 1) }
            let c = (0..<(g.patchSize * images * g.outputPositions)).map { _ in rng.uniform(-1, 1) }
            var columns = [Float](repeating: 0, count: c.count)
            var folded = [Float](repeating: 0, count: x.count)
            x.withUnsafeBufferPointer { xp in
                columns.withUnsafeMutableBufferPointer { Im2Col.unfold(xp.baseAddress!, images: images, geometry: g, into: $0.baseAddress!) }
            }
            c.withUnsafeBufferPointer { cp in
                folded.withUnsafeMutableBufferPointer { Im2Col.fold(cp.baseAddress!, images: images, geometry: g, into: $0.baseAddress!) }
            }
            let left = zip(columns, c).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let right = zip(x, folded).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(left, right, accuracy: 1e-4 * max(1, abs(left)), "\(g)")
        }
    }
}
