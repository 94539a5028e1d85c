// The weight side of a convolution computed one kernel tap at a time (see
// ConvolutionPass+Taps.swift): each tap's weights as an `[O, C]` matrix, and each
// tap's gradient matrix added back onto the kernels.
//
// Both work on eight kernels at a time, one per vector lane: a kernel's taps lie k²
// floats apart and are moved into or out of lanes by scalar copies; the tap-major
// side is whole vectors.
#include "CKernels.h"
#include "vectors.h"

NNREPORT_CLONES
void nnreport_taps_from_weights(const float *w, int64_t outputs, int64_t inputs, int64_t kernel_taps,
                                const int32_t *taps, int64_t tap_count, int64_t first, int64_t count, float *u) {
    const int64_t block = outputs * inputs;
    float lanes_of[kernel_taps][8];
    for (int64_t e0 = first * inputs; e0 < (first + count) * inputs; e0 += 8) {
        const int64_t end = (first + count) * inputs;
        const int64_t lanes = end - e0 < 8 ? end - e0 : 8;
        for (int64_t l = 0; l < lanes; l++) {
            const float *kernel = w + (e0 + l) * kernel_taps;
            for (int64_t t = 0; t < kernel_taps; t++) lanes_of[t][l] = kernel[t];
        }
        for (int64_t i = 0; i < tap_count; i++) {
            memcpy(u + taps[i] * block + e0, lanes_of[taps[i]], (size_t)lanes * sizeof(float));
        }
    }
}

NNREPORT_CLONES
void nnreport_taps_add_to_weights(const float *du, int64_t outputs, int64_t inputs, int64_t kernel_taps,
                                  const int32_t *taps, int64_t tap_count, int64_t first, int64_t count, float *dw) {
    const int64_t block = outputs * inputs;
    float lanes_of[kernel_taps][8];
    for (int64_t e0 = first * inputs; e0 < (first + count) * inputs; e0 += 8) {
        const int64_t end = (first + count) * inputs;
        const int64_t lanes = end - e0 < 8 ? end - e0 : 8;
        for (int64_t i = 0; i < tap_count; i++) {
            memcpy(lanes_of[taps[i]], du + taps[i] * block + e0, (size_t)lanes * sizeof(float));
        }
        for (int64_t l = 0; l < lanes; l++) {
            float *kernel = dw + (e0 + l) * kernel_taps;
            for (int64_t i = 0; i < tap_count; i++) kernel[taps[i]] += lanes_of[taps[i]][l];
        }
    }
}
