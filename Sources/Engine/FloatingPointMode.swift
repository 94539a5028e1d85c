import CFloatingPoint

/// Control of subnormal ("denormal") floats on the calling thread.
///
/// Adam's moments of a parameter whose gradient stays zero (a dead ReLU unit)
/// decay geometrically into the subnormal range within a few hundred steps,
/// and x86 processors handle subnormal operands in microcode at about a hundred
/// times the normal cost. Training therefore flushes them to zero, as
/// `torch.set_flush_denormal(True)` does in PyTorch. Values below 1.2e-38 are
/// all that change; nothing the study measures depends on them.
public enum FloatingPointMode {
    /// Flushes subnormal results and inputs to zero on the calling thread (x86 FTZ/DAZ,
    /// ARM FZ), or restores IEEE gradual underflow.
    public static func setFlushSubnormalsToZero(_ enabled: Bool) {
        nnr_set_flush_subnormals(enabled ? 1 : 0)
    }

    /// Whether the calling thread flushes subnormals.
    public static var flushesSubnormalsToZero: Bool { nnr_flushes_subnormals() != 0 }

    /// Runs `body` with subnormals flushed on this thread, restoring the previous mode after.
    public static func withSubnormalsFlushed<R>(_ body: () throws -> R) rethrows -> R {
        try with(flushingSubnormals: true, body)
    }

    /// Runs `body` in the given mode on this thread, restoring the previous mode after.
    /// Work split over threads calls it on each worker with the mode of the thread that
    /// split it (the mode is per thread), so every part computes alike.
    public static func with<R>(flushingSubnormals flushes: Bool, _ body: () throws -> R) rethrows -> R {
        let previous = flushesSubnormalsToZero
        if previous != flushes { setFlushSubnormalsToZero(flushes) }
        defer { if previous != flushes { setFlushSubnormalsToZero(previous) } }
        return try body()
    }
}
