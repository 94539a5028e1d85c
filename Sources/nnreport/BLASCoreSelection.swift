import Engine
import Foundation

/// Restarts the process with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to
/// generic kernels on a CPU it does not know (see `BLAS.betterCoreType`).
/// A value the user already set is respected and never overridden.
enum BLASCoreSelection {
    static func restartWithBetterKernelsIfNeeded() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let core = BLAS.betterCoreType else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv only returns on failure: carry on with the slower kernels.
        FileHandle.standardError.write(Data("warning: could not restart with OPENBLAS_CORETYPE=\(core); BLAS runs generic kernels\n".utf8))
    }
}
