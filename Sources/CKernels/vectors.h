// What the kernel files share (not part of the module's interface): eight-float
// vectors, the two copies each exported kernel is built as, and no contraction of
// a·b + c into fused multiply-adds, which only the AVX2 copy could use and would
// make the two copies' bits differ.
#ifndef NNREPORT_CKERNELS_VECTORS_H
#define NNREPORT_CKERNELS_VECTORS_H

#include <stdint.h>
#include <string.h>

#pragma STDC FP_CONTRACT OFF

typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));
typedef uint32_t v8u __attribute__((vector_size(32)));

/// An exported kernel built for any x86-64 and for AVX2, chosen when the program
/// loads; one copy where the loader cannot choose (not x86-64 ELF).
#if defined(__x86_64__) && defined(__clang__) && defined(__ELF__)
#define NNREPORT_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define NNREPORT_CLONES
#endif

// Helpers are macros or take pointers: a function passing 256-bit vectors by value
// would have a different ABI in the two copies, which clang refuses.
#define SPLAT(x) ((v8f){(x), (x), (x), (x), (x), (x), (x), (x)})
#define LOAD8(p) ({ v8f loaded_; memcpy(&loaded_, (p), sizeof loaded_); loaded_; })
#define STORE8(p, v) do { v8f stored_ = (v); memcpy((p), &stored_, sizeof stored_); } while (0)
/// `mask ? a : b` lane by lane (mask lanes all ones or all zeros).
#define SELECT8(mask, a, b) ((v8f)(((mask) & (v8i)(a)) | (~(mask) & (v8i)(b))))

/// The nine taps of the 3x3 kernels `w[r, s0 ... s0 + lanes - 1]` of `w[·, inputs, 3, 3]`,
/// one kernel per lane (zero in the others), each turned by 180° when `turned`: the
/// weight transforms' input, eight kernels at a time.
static inline __attribute__((always_inline)) void gather_taps(const float *w, int64_t r, int64_t inputs, int64_t s0,
                                                              int64_t lanes, int turned, float taps[9][8]) {
    memset(taps, 0, 9 * 8 * sizeof(float));
    for (int64_t l = 0; l < lanes; l++) {
        const float *k = w + (r * inputs + s0 + l) * 9;
        for (int q = 0; q < 9; q++) taps[q][l] = k[turned ? 8 - q : q];
    }
}

#endif
