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
    /// Most floats that the layers may keep as per-layer column caches for backward
    /// (default 2²⁷ = 512 MiB); a layer past the budget unfolds its input again instead.
    public var columnCacheBudget: Int
    /// When set, convolutions add their floating-point operations and time here.
    public var profile: ConvolutionProfile?

    private var columnCacheReservations: [ObjectIdentifier: Int] = [:]
    private var columnCacheReserved = 0

    var columns = Tensor(zeros: [0])
    var channelMajor = Tensor(zeros: [0])

    public init(maximumColumnElements: Int = 1 << 25, columnCacheBudget: Int = 1 << 27) {
        self.maximumColumnElements = max(1, maximumColumnElements)
        self.columnCacheBudget = max(0, columnCacheBudget)
    }

    /// Whether `layer` may keep a column cache of `elements` floats: its earlier
    /// reservation if as large, else a larger one if the budget allows.
    func reserveColumnCache(for layer: AnyObject, elements: Int) -> Bool {
        let key = ObjectIdentifier(layer)
        let held = columnCacheReservations[key] ?? 0
        if elements <= held { return true }
        guard columnCacheReserved - held + elements <= columnCacheBudget else { return false }
        columnCacheReserved += elements - held
        columnCacheReservations[key] = elements
        return true
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

    /// Runs a GEMM, adding its time to the profile's `gemmSeconds` when profiling.
    @inline(__always)
    func timingGEMM(_ body: () -> Void) {
        guard profile != nil else { return body() }
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        profile!.gemmSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// Floating-point operations (multiply and add counted separately, as in GEMM
/// GFLOP/s figures) and seconds spent in convolution layers, im2col and col2im included.
public struct ConvolutionProfile: Sendable, Equatable {
    public var flops: Double = 0
    public var seconds: Double = 0
    /// The part of `seconds` spent inside SGEMM (the rest is im2col, col2im and layout changes).
    public var gemmSeconds: Double = 0

    public init() {}

    /// Achieved rate, or 0 before any work.
    public var gigaflopsPerSecond: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
}
