import Engine
import Foundation
import Support

/// Scratch buffers shared by the convolutions of one model, and their timing.
///
/// A convolution works through its batch in chunks of images whose column matrix
/// (`[C·k·k, images·Ho·Wo]`) has about `chunkElements` floats, one chunk per thread
/// at a time (see `ConvolutionPass`). For the weight gradient its backward pass
/// keeps either one partial product per chunk or the column matrix and output
/// gradient of the whole batch; when that column matrix would exceed
/// `maximumColumnElements`, the batch is handled in groups of images instead. All
/// these buffers are needed only during one layer's call, so the layers of a model
/// share them: the largest layer sets their size, and nothing is kept per layer
/// between forward and backward (the backward pass unfolds the cached input again,
/// which measured faster than keeping every layer's columns, ~150 MiB for ResNet18
/// at 64x64, where they fall out of the caches).
///
/// A workspace belongs to one model and is used from one thread at a time; its core
/// budget says how many threads the model's layers split their work over.
public final class ConvolutionWorkspace {
    /// Largest column matrix that a backward pass gathers at once, in floats (default 2²⁵ = 128 MiB).
    public var maximumColumnElements: Int
    /// Target column-matrix floats per chunk of images (default 5·2¹⁶ = 1.25 MiB, about
    /// half of a 2 MiB L2 cache): chunks have the largest power-of-two number of images
    /// that fits, at least one and at most a quarter of the batch, so that every layer
    /// has chunks enough to balance over the threads. (Up to engine 0.5.0 the rule let
    /// chunks reach half the batch: ResNet18's 8x8 and 4x4 stages then multiplied 64 and
    /// 16 columns per Winograd product, which OpenBLAS ran slower than 32 and 8; the
    /// quarter measured ~3% faster in inference and ~2% in training at 64x64.)
    public var chunkElements: Int
    /// The cores the model's convolutions and pooling may use.
    public var cores: CoreBudget
    /// When set, convolutions add their floating-point operations and time here.
    public var profile: ConvolutionProfile?
    /// Whether 3x3 convolutions with stride 1 and padding 1 use Winograd's F(2x2, 3x3) or
    /// F(4x4, 3x3) (`WinogradTile.choice`, ConvolutionPass+Winograd.swift; on by
    /// default) rather than im2col.
    public var winograd: Bool
    /// Whether convolutions that would multiply much padding with im2col multiply tap by
    /// tap instead (`ConvolutionGeometry.suitsTapProducts`, ConvolutionPass+Taps.swift;
    /// on by default).
    public var tapProducts: Bool

    /// Hands the chunks of each call to the worker threads.
    let runner = ConvolutionRunner()
    /// Per-thread chunk buffers: column matrices, and products before they go to NCHW order.
    var laneColumns = Tensor(zeros: [0])
    var laneStaging = Tensor(zeros: [0])
    /// The group's column matrix and channel-major output gradient in a backward pass.
    var columns = Tensor(zeros: [0])
    var channelMajor = Tensor(zeros: [0])
    /// The weight gradient's products in a Winograd pass (one `[O, C]` matrix per ξ) or
    /// by taps (one per tap).
    var weightProducts = Tensor(zeros: [0])
    /// F(4x4, 3x3)'s transforms of the kernels turned by 180°, which a backward pass makes
    /// for its input gradient and uses at once (so one buffer serves every layer).
    var turnedWeights = Tensor(zeros: [0])

    public init(cores: CoreBudget = .single, maximumColumnElements: Int = 1 << 25, chunkElements: Int = 5 << 16,
                winograd: Bool = true, tapProducts: Bool = true) {
        self.cores = cores
        self.winograd = winograd
        self.tapProducts = tapProducts
        self.maximumColumnElements = max(1, maximumColumnElements)
        self.chunkElements = max(1, chunkElements)
    }

    /// Images per chunk for a layer whose column matrix has `elementsPerImage` floats per image.
    func imagesPerChunk(elementsPerImage: Int, batch: Int) -> Int {
        var images = 1
        while 2 * images * elementsPerImage <= chunkElements && 4 * (2 * images) <= batch { images *= 2 }
        return images
    }

    /// Images per backward group: as many whole chunks as `maximumColumnElements` allows, at least one.
    func imagesPerGroup(elementsPerImage: Int, chunk: Int, batch: Int) -> Int {
        let fitting = maximumColumnElements / max(elementsPerImage, 1)
        return min(batch, max(chunk, fitting / chunk * chunk))
    }

    func record(flops: Double, gemmSeconds: Double, since start: UInt64) {
        guard profile != nil else { return }
        profile!.flops += flops
        profile!.gemmSeconds += gemmSeconds
        profile!.seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    var now: UInt64 { profile == nil ? 0 : DispatchTime.now().uptimeNanoseconds }

    var clock: ConvolutionClock { ConvolutionClock(enabled: profile != nil) }
}

/// Floating-point operations (multiply and add counted separately, as in GEMM
/// GFLOP/s figures) and seconds spent in convolution layers, im2col and col2im included.
public struct ConvolutionProfile: Sendable, Equatable {
    public var flops: Double = 0
    public var seconds: Double = 0
    /// The part of `seconds` spent inside SGEMM (the rest is im2col, col2im and layout
    /// changes); for products that run on several threads at once, the time per thread.
    public var gemmSeconds: Double = 0

    public init() {}

    /// Achieved rate, or 0 before any work.
    public var gigaflopsPerSecond: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
}
