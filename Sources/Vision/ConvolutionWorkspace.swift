import Engine
import Foundation

/// Scratch buffers shared by the convolutions of one model, and their timing.
///
/// A convolution unfolds its input into a column matrix `[C·k·k, N·Ho·Wo]` for
/// one large SGEMM. Those matrices are the largest temporaries of a forward
/// pass, and each is needed only during its own layer's call (the backward pass
/// unfolds the cached input again), so all the layers of a model share one
/// buffer instead of keeping one each. When a batch's column matrix would exceed
/// `maximumColumnElements`, the layer works through the batch in groups of images.
///
/// A workspace belongs to one model and is used from one thread at a time.
public final class ConvolutionWorkspace {
    /// Largest column matrix to build at once, in floats (default 2²⁵ = 128 MiB).
    public var maximumColumnElements: Int
    /// When set, convolutions add their floating-point operations and time here.
    public var profile: ConvolutionProfile?

    var columns = Tensor(zeros: [0])
    var channelMajor = Tensor(zeros: [0])

    public init(maximumColumnElements: Int = 1 << 25) {
        self.maximumColumnElements = max(1, maximumColumnElements)
    }

    /// Images per group for a layer whose column matrix has `elementsPerImage` floats per image.
    func imagesPerGroup(elementsPerImage: Int, batch: Int) -> Int {
        max(1, min(batch, maximumColumnElements / max(elementsPerImage, 1)))
    }

    func record(flops: Double, since start: UInt64) {
        guard profile != nil else { return }
        profile!.flops += flops
        profile!.seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    var now: UInt64 { profile == nil ? 0 : DispatchTime.now().uptimeNanoseconds }
}

/// Floating-point operations (multiply and add counted separately, as in GEMM
/// GFLOP/s figures) and seconds spent in convolution layers, im2col and col2im included.
public struct ConvolutionProfile: Sendable, Equatable {
    public var flops: Double = 0
    public var seconds: Double = 0

    public init() {}

    /// Achieved rate, or 0 before any work.
    public var gigaflopsPerSecond: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
}
