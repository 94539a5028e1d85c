import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How many heaps glibc's malloc keeps for the process's threads.
///
/// By default glibc gives threads that allocate at once arenas of their own, up to
/// eight per core, and memory freed in one arena serves only the threads on it. A
/// study starts every run on a new thread, beside worker threads and XGBoost's, so
/// the images and buffers one run freed were not reused by the next: Part 7 alone
/// peaked at 2.21 GB with the default arenas and at 1.96 GB with two (2026-12-05,
/// `nnreport run --only 7 --seeds 1`, resident memory sampled every half second).
/// The training steps allocate nothing, so threads sharing arenas do not contend.
public enum MallocArenas {
    /// Limits malloc to one arena per core (at least two), unless the user set
    /// `MALLOC_ARENA_MAX`; call it first thing in the process. Returns whether the
    /// limit was set (false with the user's setting, or on another C library).
    @discardableResult
    public static func limitToCores() -> Bool {
        #if canImport(Glibc)
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return false }
        // Glibc's Swift module leaves out <malloc.h>: mallopt is looked up by name.
        guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "mallopt") else { return false }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        return unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, Int32(clamping: max(2, CoreBudget.machineCores))) == 1
        #else
        return false
        #endif
    }
}
