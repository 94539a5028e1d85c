// Max pooling with PyTorch's CPU rule, eight outputs of a row at a time, one per
// vector lane. Each plane is first copied into a scratch plane bordered with −∞ (so
// every window is a whole k x k block and padding is never chosen: −∞ is not greater
// than the running maximum, which starts at −∞), wide enough on the right for whole
// vectors of eight outputs. Every window is then scanned in row-major order, and an
// element replaces the running maximum when it is greater or is a NaN: PyTorch's
// `(val > maxval) || isnan(val)`, so the first maximum wins a tie and the last NaN
// wins over everything. An all −∞ window keeps its first in-image element's index,
// PyTorch's starting `maxindex`.
#include "CKernels.h"
#include "vectors.h"

static inline int64_t rounded_up8(int64_t n) { return (n + 7) / 8 * 8; }

static inline int64_t pool_outputs(int64_t extent, int64_t kernel, int64_t stride, int64_t padding) {
    return (extent + 2 * padding - kernel) / stride + 1;
}

/// Scratch-plane width: the padded row, or more so that the last vector of outputs
/// (lanes past the row's end included) reads inside the row.
static inline int64_t pool_row(int64_t width, int64_t kernel, int64_t stride, int64_t padding) {
    const int64_t padded = width + 2 * padding;
    const int64_t vectors = stride * rounded_up8(pool_outputs(width, kernel, stride, padding)) + kernel;
    return padded > vectors ? padded : vectors;
}

int64_t nnreport_max_pool_scratch(int64_t height, int64_t width, int64_t kernel, int64_t stride, int64_t padding) {
    return (height + 2 * padding) * pool_row(width, kernel, stride, padding);
}

NNREPORT_CLONES
void nnreport_max_pool(const float *x, int64_t planes, int64_t height, int64_t width, int64_t kernel, int64_t stride,
                       int64_t padding, float *y, int32_t *argmax, float *scratch) {
    const int64_t ho = pool_outputs(height, kernel, stride, padding), wo = pool_outputs(width, kernel, stride, padding);
    const int64_t row = pool_row(width, kernel, stride, padding);
    const int64_t scratch_floats = (height + 2 * padding) * row;
    for (int64_t i = 0; i < scratch_floats; i++) scratch[i] = -__builtin_inff();
    const v8i lane = {0, 1, 2, 3, 4, 5, 6, 7};
    const v8i lane_offset = lane * (int32_t)stride;
    for (int64_t q = 0; q < planes; q++) {
        const float *plane = x + q * height * width;
        for (int64_t h = 0; h < height; h++) {
            memcpy(scratch + (h + padding) * row + padding, plane + h * width, (size_t)width * sizeof(float));
        }
        float *out = y + q * ho * wo;
        int32_t *chosen = argmax + q * ho * wo;
        for (int64_t oh = 0; oh < ho; oh++) {
            const int64_t top = oh * stride - padding;
            const int32_t first_row = (int32_t)(top > 0 ? top : 0);
            for (int64_t ow0 = 0; ow0 < wo; ow0 += 8) {
                // The first in-image element of each lane's window: where PyTorch starts.
                v8i left = (int32_t)(ow0 * stride - padding) + lane_offset;
                left = (v8i)SELECT8(left > 0, left, (v8i){0});
                v8i best_index = first_row * (int32_t)width + left;
                v8f best = SPLAT(-__builtin_inff());
                for (int64_t i = 0; i < kernel; i++) {
                    const float *line = scratch + (oh * stride + i) * row + ow0 * stride;
                    const int32_t line_index = (int32_t)((top + i) * width + ow0 * stride - padding);
                    for (int64_t j = 0; j < kernel; j++) {
                        v8f v;
                        if (stride == 1) {
                            v = LOAD8(line + j);
                        } else if (stride == 2) {
                            const v8f lo = LOAD8(line + j), hi = LOAD8(line + j + 8);
                            v = __builtin_shufflevector(lo, hi, 0, 2, 4, 6, 8, 10, 12, 14);
                        } else {
                            for (int l = 0; l < 8; l++) v[l] = line[j + l * stride];
                        }
                        const v8i replaces = (v > best) | (v != v);
                        best = SELECT8(replaces, v, best);
                        best_index = (v8i)SELECT8(replaces, line_index + (int32_t)j + lane_offset, best_index);
                    }
                }
                const int64_t lanes = wo - ow0 < 8 ? wo - ow0 : 8;
                memcpy(out + oh * wo + ow0, &best, (size_t)lanes * sizeof(float));
                memcpy(chosen + oh * wo + ow0, &best_index, (size_t)lanes * sizeof(int32_t));
            }
        }
    }
}
