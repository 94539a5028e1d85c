#ifndef NNREPORT_COPENBLAS_SHIM_H
#define NNREPORT_COPENBLAS_SHIM_H
// Debian installs OpenBLAS's cblas.h under a per-variant include folder that
// pkg-config adds to the search path (openblas.pc: Cflags).
#include <cblas.h>

// CPU feature tiers that decide which OpenBLAS kernel family this processor can run:
// 2 = AVX-512 (F, BW, VL, DQ, CD), 1 = AVX2 with FMA, 0 = neither / not x86.
static inline int nnr_cpu_simd_tier(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512cd")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
    return 0;
}
#endif
