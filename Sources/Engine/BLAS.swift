import COpenBLAS

/// Matrix products through OpenBLAS: the only file that imports it.
///
/// All matrices are row-major. A product with a single output row or column goes
/// to SGEMV, which OpenBLAS runs with far less overhead than SGEMM for that shape;
/// everything else goes to SGEMM.
public enum BLAS {
    /// `c = alpha * op(a) * op(b) + beta * c`, where `op(a)` is `m x k`, `op(b)` is `k x n`
    /// and `c` is `m x n`; `lda`, `ldb`, `ldc` are the row strides as stored.
    public static func gemm(
        transposeA: Bool, transposeB: Bool,
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        _ = singleThreaded
        if k == 0 {
            scale(c, rows: m, columns: n, stride: ldc, by: beta)
            return
        }
        if m == 1 {
            // c[0, :] = op(b)^T · (row of op(a))
            let aStride = transposeA ? lda : 1
            if transposeB {  // b stored n x k
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(k), alpha, b, Int32(ldb),
                            a, Int32(aStride), beta, c, 1)
            } else {  // b stored k x n
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(k), Int32(n), alpha, b, Int32(ldb),
                            a, Int32(aStride), beta, c, 1)
            }
            return
        }
        if n == 1 {
            // c[:, 0] = op(a) · (column of op(b))
            let bStride = transposeB ? 1 : ldb
            if transposeA {  // a stored k x m
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(k), Int32(m), alpha, a, Int32(lda),
                            b, Int32(bStride), beta, c, Int32(ldc))
            } else {  // a stored m x k
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(k), alpha, a, Int32(lda),
                            b, Int32(bStride), beta, c, Int32(ldc))
            }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `c = alpha * op(a) * op(b) + beta * c` for rank-2 tensors (`c` is resized to `m x n`
    /// when `beta` is zero, and must already have that shape otherwise).
    public static func matmul(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
        into c: inout Tensor, alpha: Float = 1, beta: Float = 0
    ) {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs matrices, got \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kB = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kB, "matmul inner dimensions differ: \(a.shape) and \(b.shape)")
        if beta == 0 {
            c.resize(rows: m, columns: n)
        } else {
            // Compared dimension by dimension: an array literal here would allocate every call.
            precondition(c.rank == 2 && c.shape[0] == m && c.shape[1] == n,
                         "matmul accumulates into \(c.shape), expected [\(m), \(n)]")
        }
        let lda = a.shape[1], ldb = b.shape[1]
        c.withUnsafeMutableBufferPointer { cBuffer in
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                 a: a.basePointer, lda: lda, b: b.basePointer, ldb: ldb,
                 beta: beta, c: cBuffer.baseAddress!, ldc: n)
        }
    }

    /// `y = alpha · op(a) · x + beta · y` for a row-major `m x n` matrix `a` (SGEMV);
    /// `op(a)` is `a` or, with `transpose`, `aᵀ`.
    public static func gemv(
        transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        guard m > 0, n > 0 else { return }
        _ = singleThreaded
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, 1, beta, y, 1)
    }

    /// `sum_i x[i] * y[i]` over `count` elements.
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        _ = singleThreaded
        return cblas_sdot(Int32(count), x, 1, y, 1)
    }

    /// OpenBLAS runs every call on the calling thread alone. The cores belong to the
    /// study's scheduler, which gives each run a budget (`Support.CoreBudget`): runs
    /// that use several cores split their work into parts themselves (convolution
    /// chunks, pooling planes) and call OpenBLAS from each part's thread. OpenBLAS's
    /// own thread count is process-wide, so letting it spawn threads would take cores
    /// that belong to other runs; set once, before the first call, never changed.
    static let singleThreaded: Void = openblas_set_num_threads(1)

    /// Threads OpenBLAS uses for one call: always 1 (see `singleThreaded`).
    public static var threadCount: Int {
        _ = singleThreaded
        return Int(openblas_get_num_threads())
    }

    /// OpenBLAS's build configuration and the CPU kernel it selected, for provenance.
    public static var configuration: String {
        let config = openblas_get_config().map { String(cString: $0) } ?? "unknown"
        let core = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        return "OpenBLAS \(config.trimmingCharacters(in: " ")) (\(core))"
    }

    /// The OpenBLAS kernel family (`OPENBLAS_CORETYPE`) this CPU supports, when it is
    /// better than the one OpenBLAS picked.
    ///
    /// OpenBLAS releases older than the CPU do not recognise it and fall back to
    /// generic SSE3 kernels ("Prescott"), several times slower: Debian 12's 0.3.21 on
    /// an Emerald Rapids Xeon reaches about 65 GFLOP/s instead of about 300. The
    /// choice is made when the library loads, so a caller that gets a value here sets
    /// `OPENBLAS_CORETYPE` and restarts the process.
    public static var betterCoreType: String? {
        let current = (openblas_get_corename().map { String(cString: $0) } ?? "").lowercased()
        let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids"]
        let avx2Cores: Set<String> = avx512Cores.union(["haswell", "zen"])
        switch nnr_cpu_simd_tier() {
        case 2 where !avx512Cores.contains(current): return "SkylakeX"
        case 1 where !avx2Cores.contains(current): return "Haswell"
        default: return nil
        }
    }

    private static func scale(_ c: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int, by beta: Float) {
        for row in 0..<rows {
            let line = c + row * stride
            for column in 0..<columns { line[column] = beta == 0 ? 0 : beta * line[column] }
        }
    }
}

private extension String {
    func trimmingCharacters(in set: Character) -> String {
        var text = Substring(self)
        while text.first == set { text = text.dropFirst() }
        while text.last == set { text = text.dropLast() }
        return String(text)
    }
}
