// Kernels written in C so that one source compiles twice: once for any x86-64 (SSE2)
// and once for AVX2, chosen when the program loads (clang's target_clones). Swift
// has no per-function target, and building the whole engine for AVX2 would stop
// the tool on older processors. Neither copy uses fused multiply-adds, so both give
// bit-identical results; only the speed differs.
#ifndef NNREPORT_CKERNELS_H
#define NNREPORT_CKERNELS_H

#include <stdint.h>

/// Softmax cross-entropy of `rows` rows of `classes` logits (row-major) against
/// `labels`, as `torch.nn.CrossEntropyLoss()`. Adds each row's loss to `*loss_sum`
/// (in double, rows in order) and the number of rows whose first arg-max equals the
/// label to `*correct`. When `gradient` is not NULL, writes
/// `(softmax(z) - onehot(y)) / rows` there; `scratch` holds at least
/// `classes` floats otherwise. A NaN logit makes its row's loss NaN.
void nnreport_softmax_cross_entropy(const float *logits, int64_t rows, int64_t classes, const int32_t *labels,
                                    float *gradient, float *scratch,
                                    double *loss_sum, int64_t *correct);

/// Up to 64 classes, rows go eight at a time, one row per lane (see softmax.c); wider
/// rows one at a time. `nnreport_softmax_cross_entropy_rows` always goes one row at a
/// time: tests check that both give the same bits (NaN's sign apart).
void nnreport_softmax_cross_entropy_rows(const float *logits, int64_t rows, int64_t classes, const int32_t *labels,
                                         float *gradient, float *scratch, double *loss_sum, int64_t *correct);

/// The same, always the copy built for any x86-64 (SSE2): tests compare it with the
/// one chosen at load time, bit for bit.
void nnreport_softmax_cross_entropy_baseline(const float *logits, int64_t rows, int64_t classes, const int32_t *labels,
                                             float *gradient, float *scratch, double *loss_sum, int64_t *correct);

/// `y = exp(x)` element-wise with the softmax kernel's approximation (relative error
/// below 3e-7 on [-87, 88]), for tests of its accuracy.
void nnreport_exp(const float *x, float *y, int64_t count);

/// One Adam step over `count` floats of a parameter `p`, its gradient `g` and its
/// moments `m` and `v`, as PyTorch's single-tensor Adam (see adam.c).
void nnreport_adam_step(float *p, const float *g, float *m, float *v, int64_t count, float step_size,
                        float bias_correction2_root, float beta1, float beta2, float epsilon, float weight_decay);

/// Winograd F(2x2, 3x3) transforms for 3x3 convolutions with stride 1 and padding 1
/// (see winograd.c for the layouts). The input transform's
/// `scratch` holds `nnreport_winograd_scratch(H, W)` floats.
int64_t nnreport_winograd_scratch(int64_t height, int64_t width);
/// Input patches of `images` NCHW images: `v[(ξ·channels + c)·row_stride + tile]`.
void nnreport_winograd_input(const float *x, int64_t images, int64_t channels, int64_t height, int64_t width,
                             float *v, int64_t row_stride, float *scratch);
/// The inverse: 2x2 outputs per tile from the 16 products, written over NCHW `y`.
void nnreport_winograd_output(const float *products, int64_t row_stride, int64_t images, int64_t channels,
                              int64_t height, int64_t width, float *y);
/// The adjoint of `nnreport_winograd_output`: output gradients to the 16 tile positions.
void nnreport_winograd_output_adjoint(const float *dy, int64_t images, int64_t channels, int64_t height, int64_t width,
                                      float *dm, int64_t row_stride);
/// Kernels `w[outputs, inputs, 3, 3]` to `u[ξ][outputs][inputs]`, for the outputs
/// `first_row..<first_row + row_count` only.
void nnreport_winograd_weights(const float *w, int64_t outputs, int64_t inputs, int64_t first_row, int64_t row_count,
                               float *u);
/// `dw[e] += Gᵀ·du[·][e]·G` for kernels `e` in `first..<first + count` (e = o·inputs + c).
void nnreport_winograd_weight_gradient(const float *du, int64_t outputs, int64_t inputs, int64_t first, int64_t count,
                                       float *dw);

/// Winograd F(4x4, 3x3) transforms, the same calls for 4x4 tiles and 36 positions
/// (see winograd4.c); `turned` transforms each kernel turned by 180°.
int64_t nnreport_winograd4_scratch(int64_t images, int64_t height, int64_t width);
void nnreport_winograd4_input(const float *x, int64_t images, int64_t channels, int64_t height, int64_t width,
                              float *v, int64_t row_stride, float *scratch);
void nnreport_winograd4_output(const float *products, int64_t row_stride, int64_t images, int64_t channels,
                               int64_t height, int64_t width, float *y);
void nnreport_winograd4_output_adjoint(const float *dy, int64_t images, int64_t channels, int64_t height,
                                       int64_t width, float *dm, int64_t row_stride);
void nnreport_winograd4_weights(const float *w, int64_t outputs, int64_t inputs, int64_t first_row, int64_t row_count,
                                int32_t turned, float *u);
void nnreport_winograd4_weight_gradient(const float *du, int64_t outputs, int64_t inputs, int64_t first, int64_t count,
                                        float *dw);

/// Max pooling with PyTorch's CPU rule (see pooling.c): `planes` NCHW planes of
/// `height x width` to `y`, and each output's flat in-plane index of its chosen element
/// to `argmax`; `scratch` holds `nnreport_max_pool_scratch(...)` floats. Padding is at
/// most half the kernel.
int64_t nnreport_max_pool_scratch(int64_t height, int64_t width, int64_t kernel, int64_t stride, int64_t padding);
void nnreport_max_pool(const float *x, int64_t planes, int64_t height, int64_t width, int64_t kernel, int64_t stride,
                       int64_t padding, float *y, int32_t *argmax, float *scratch);

/// A convolution one kernel tap at a time (see taps.c): `u[t][o][c] = w[o, c, t]` for
/// the `tap_count` taps listed in `taps` (of `kernel_taps` per kernel) and the outputs
/// `first..<first + count`.
void nnreport_taps_from_weights(const float *w, int64_t outputs, int64_t inputs, int64_t kernel_taps,
                                const int32_t *taps, int64_t tap_count, int64_t first, int64_t count, float *u);
/// The adjoint, accumulated: `dw[o, c, t] += du[t][o][c]` for the listed taps and outputs.
void nnreport_taps_add_to_weights(const float *du, int64_t outputs, int64_t inputs, int64_t kernel_taps,
                                  const int32_t *taps, int64_t tap_count, int64_t first, int64_t count, float *dw);

#endif
