// The transforms of Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2015, interpolation points 0, ±1,
// ±2 and ∞) for 3x3 convolutions with stride 1 and padding 1. Each 4x4 block of
// outputs (a tile) is
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
// where d is the 6x6 input patch under the tile (zero outside the plane), g the 3x3
// kernel, and
//   Bᵀ = [4  0 -5  0  1  0;      G = [ 1/4     0     0;     Aᵀ = [1  1  1  1  1  0;
//         0 -4 -4  1  1  0;            -1/6  -1/6  -1/6;           0  1 -1  2 -2  0;
//         0  4 -4 -1  1  0;            -1/6   1/6  -1/6;           0  1  1  4  4  0;
//         0 -2 -1  2  1  0;             1/24  1/12  1/6;           0  1 -1  8 -8  1].
//         0  2 -1 -2  1  0;             1/24 -1/12  1/6;
//         0  4  0 -5  0  1],            0     0     1   ],
// Summed over input channels, the 36 element-wise products become 36 matrix products
// (one per position ξ = 6·i + j of the 6x6 transformed tile): 36·C·O multiplications
// per 16 outputs instead of 16·C·O per 4 with F(2x2, 3x3) (winograd.c), 2.25 per
// output against 4. The price is rounding: the transforms scale by up to 8 and 1/24,
// so results stray a few times further from the exact convolution than F(2x2, 3x3)'s.
//
// Layouts: transformed inputs as in winograd.c with 36 positions,
// `v[(ξ·channels + c)·row_stride + t]`, tile t = image·tiles + tile_row·tile_columns +
// tile_column, tiles per image ⌈H/4⌉·⌈W/4⌉; transformed weights and the weight
// gradient's products, unlike winograd.c's, `u[(r·36 + ξ)·columns + s]`: the matrix of
// one ξ is read with a leading dimension of 36·columns, and a kernel's 36 values are
// written to (or read from) one region rather than 36 regions 4·O·C bytes apart,
// which share cache sets when O·C is a power of two.
// Unlike winograd.c's, the input transform's scratch holds a padded plane per image
// (`nnreport_winograd4_scratch(images, H, W)` floats).
//
// The input gradient needs the transform of each kernel turned by 180° with the
// channels swapped; unlike F(2x2, 3x3)'s, these points are not closed under the
// turn, so `nnreport_winograd4_weights` transforms the turned kernels on request.
#include "CKernels.h"
#include "vectors.h"

static inline int64_t tiles_along4(int64_t extent) { return (extent + 3) / 4; }

/// Padded-plane width: room for an eight-float load at every tile's first column.
static inline int64_t padded_width4(int64_t tw) { return 4 * tw + 8; }

int64_t nnreport_winograd4_scratch(int64_t images, int64_t height, int64_t width) {
    return images * (4 * tiles_along4(height) + 2) * padded_width4(tiles_along4(width));
}

#define EVEN(lo, hi) __builtin_shufflevector((lo), (hi), 0, 2, 4, 6, 8, 10, 12, 14)
#define ODD(lo, hi) __builtin_shufflevector((lo), (hi), 1, 3, 5, 7, 9, 11, 13, 15)
#define ZIP_LO(a, b) __builtin_shufflevector((a), (b), 0, 8, 1, 9, 2, 10, 3, 11)
#define ZIP_HI(a, b) __builtin_shufflevector((a), (b), 4, 12, 5, 13, 6, 14, 7, 15)

/// Lanes 4t + k (t = 0 ... 7) of 32 consecutive floats in `v[0...3]`, as `c[k]`.
#define DEINTERLEAVE4(v, c) do { \
        const v8f e_ = EVEN((v)[0], (v)[1]), o_ = ODD((v)[0], (v)[1]); \
        const v8f e2_ = EVEN((v)[2], (v)[3]), o2_ = ODD((v)[2], (v)[3]); \
        (c)[0] = EVEN(e_, e2_); (c)[2] = ODD(e_, e2_); (c)[1] = EVEN(o_, o2_); (c)[3] = ODD(o_, o2_); \
    } while (0)
/// The inverse of `DEINTERLEAVE4`.
#define INTERLEAVE4(c, v) do { \
        const v8f alo_ = ZIP_LO((c)[0], (c)[2]), ahi_ = ZIP_HI((c)[0], (c)[2]); \
        const v8f blo_ = ZIP_LO((c)[1], (c)[3]), bhi_ = ZIP_HI((c)[1], (c)[3]); \
        (v)[0] = ZIP_LO(alo_, blo_); (v)[1] = ZIP_HI(alo_, blo_); \
        (v)[2] = ZIP_LO(ahi_, bhi_); (v)[3] = ZIP_HI(ahi_, bhi_); \
    } while (0)
/// `out[k][l] = in[l][k]`: eight vectors transposed.
#define TRANSPOSE8(in, out) do { \
        v8f a_[8], b_[8]; \
        for (int p_ = 0; p_ < 8; p_ += 2) { \
            a_[p_] = __builtin_shufflevector((in)[p_], (in)[p_ + 1], 0, 8, 1, 9, 4, 12, 5, 13); \
            a_[p_ + 1] = __builtin_shufflevector((in)[p_], (in)[p_ + 1], 2, 10, 3, 11, 6, 14, 7, 15); \
        } \
        for (int p_ = 0; p_ < 8; p_ += 4) { \
            for (int q_ = 0; q_ < 2; q_++) { \
                b_[p_ + 2 * q_] = __builtin_shufflevector(a_[p_ + q_], a_[p_ + 2 + q_], 0, 1, 8, 9, 4, 5, 12, 13); \
                b_[p_ + 2 * q_ + 1] = __builtin_shufflevector(a_[p_ + q_], a_[p_ + 2 + q_], 2, 3, 10, 11, 6, 7, 14, 15); \
            } \
        } \
        for (int k_ = 0; k_ < 4; k_++) { \
            (out)[k_] = __builtin_shufflevector(b_[k_], b_[4 + k_], 0, 1, 2, 3, 8, 9, 10, 11); \
            (out)[4 + k_] = __builtin_shufflevector(b_[k_], b_[4 + k_], 4, 5, 6, 7, 12, 13, 14, 15); \
        } \
    } while (0)

/// `out[0...5] = Bᵀ·d[0...5]`, lane by lane.
#define B_TRANSPOSE(d, out) do { \
        const v8f t1_ = (d)[4] - 4.0f * (d)[2], t2_ = (d)[3] - 4.0f * (d)[1]; \
        const v8f t3_ = (d)[4] - (d)[2], t4_ = 2.0f * ((d)[3] - (d)[1]); \
        (out)[0] = 4.0f * (d)[0] - 5.0f * (d)[2] + (d)[4]; \
        (out)[1] = t1_ + t2_; \
        (out)[2] = t1_ - t2_; \
        (out)[3] = t3_ + t4_; \
        (out)[4] = t3_ - t4_; \
        (out)[5] = 4.0f * (d)[1] - 5.0f * (d)[3] + (d)[5]; \
    } while (0)

/// `out[0...3] = Aᵀ·m[0...5]`, lane by lane.
#define A_TRANSPOSE(m, out) do { \
        const v8f a_ = (m)[1] + (m)[2], b_ = (m)[1] - (m)[2], c_ = (m)[3] + (m)[4], d_ = (m)[3] - (m)[4]; \
        (out)[0] = (m)[0] + a_ + c_; \
        (out)[1] = b_ + 2.0f * d_; \
        (out)[2] = a_ + 4.0f * c_; \
        (out)[3] = b_ + 8.0f * d_ + (m)[5]; \
    } while (0)

/// `out[0...5] = A·d[0...3]` (A = (Aᵀ)ᵀ), lane by lane.
#define A_TIMES(d, out) do { \
        const v8f p_ = (d)[0] + (d)[2], q_ = (d)[1] + (d)[3]; \
        const v8f u_ = (d)[0] + 4.0f * (d)[2], w_ = 2.0f * (d)[1] + 8.0f * (d)[3]; \
        (out)[0] = (d)[0]; \
        (out)[1] = p_ + q_; \
        (out)[2] = p_ - q_; \
        (out)[3] = u_ + w_; \
        (out)[4] = u_ - w_; \
        (out)[5] = (d)[3]; \
    } while (0)

/// Copies `count` floats (no library call: most copies are a few floats).
static inline __attribute__((always_inline)) void copy_floats(float *dst, const float *src, int64_t count) {
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) __builtin_memcpy_inline(dst + i, src + i, 32);
    for (; i < count; i++) dst[i] = src[i];
}

/// `count` (≤ 8) floats of `v` to `p`.
#define STORE_LANES(p, v, count) do { \
        if ((count) == 8) { STORE8((p), (v)); } else { \
            float lanes_[8]; STORE8(lanes_, (v)); copy_floats((p), lanes_, (count)); } \
    } while (0)
/// `count` (≤ 8) floats at `p`, zero in the other lanes.
#define LOAD_LANES(p, count) ({ \
        float lanes_[8] = {0}; \
        if ((count) == 8) __builtin_memcpy_inline(lanes_, (p), 32); else copy_floats(lanes_, (p), (count)); \
        LOAD8(lanes_); \
    })

// The transforms run over all tiles of a chunk for one channel at a time, eight tiles
// (one per vector lane) at a time in the order of the transformed layout, so the 36
// streams are read or written as whole vectors whatever the plane size: ResNet18's
// planes at 64x64 have 16, 4 or 1 tiles. A lane's tile is found by stepping along
// tile columns, rows and images (`Cursor`).

/// The image, tile row and tile column of a lane.
typedef struct { int64_t m, ty, tx; } Cursor;

static inline __attribute__((always_inline)) void cursor_step(Cursor *at, int64_t th, int64_t tw) {
    if (++at->tx == tw) {
        at->tx = 0;
        if (++at->ty == th) { at->ty = 0; at->m++; }
    }
}

NNREPORT_CLONES
void nnreport_winograd4_input(const float *x, int64_t images, int64_t channels, int64_t height, int64_t width,
                              float *v, int64_t row_stride, float *scratch) {
    const int64_t th = tiles_along4(height), tw = tiles_along4(width), tiles = th * tw, total = images * tiles;
    const int64_t pw = padded_width4(tw), ph = 4 * th + 2, padded = ph * pw;
    const int64_t block = channels * row_stride;
    // One zero-padded plane per image (the image at rows 1 ... H, columns 1 ... W): the
    // borders are set once, each channel's copy writes the same interior.
    memset(scratch, 0, (size_t)(images * padded) * sizeof(float));
    for (int64_t c = 0; c < channels; c++) {
        for (int64_t m = 0; m < images; m++) {
            const float *plane = x + (m * channels + c) * height * width;
            for (int64_t h = 0; h < height; h++) copy_floats(scratch + m * padded + (h + 1) * pw + 1, plane + h * width, width);
        }
        float *out = v + c * row_stride;
        Cursor at = {0, 0, 0};
        for (int64_t t0 = 0; t0 < total; t0 += 8) {
            const int64_t lanes = total - t0 < 8 ? total - t0 : 8;
            const float *base[8];
            for (int l = 0; l < 8; l++) {
                base[l] = scratch + at.m * padded + 4 * at.ty * pw + 4 * at.tx;
                if (l + 1 < lanes) cursor_step(&at, th, tw);
            }
            cursor_step(&at, th, tw);
            // Row r of every lane's 6x6 patch, turned into columns over the lanes; Bᵀ
            // down each column, then along each row.
            v8f d[6][8];
            for (int r = 0; r < 6; r++) {
                v8f rows[8];
                for (int l = 0; l < 8; l++) rows[l] = LOAD8(base[l] + r * pw);
                TRANSPOSE8(rows, d[r]);
            }
            v8f s[6][6];
            for (int k = 0; k < 6; k++) {
                v8f column[6] = {d[0][k], d[1][k], d[2][k], d[3][k], d[4][k], d[5][k]}, result[6];
                B_TRANSPOSE(column, result);
                for (int i = 0; i < 6; i++) s[i][k] = result[i];
            }
            for (int i = 0; i < 6; i++) {
                v8f row[6];
                B_TRANSPOSE(s[i], row);
                for (int j = 0; j < 6; j++) STORE_LANES(out + (6 * i + j) * block + t0, row[j], lanes);
            }
        }
    }
}

NNREPORT_CLONES
void nnreport_winograd4_output(const float *products, int64_t row_stride, int64_t images, int64_t channels,
                               int64_t height, int64_t width, float *y) {
    const int64_t th = tiles_along4(height), tw = tiles_along4(width), tiles = th * tw, total = images * tiles;
    const int64_t block = channels * row_stride;
    for (int64_t c = 0; c < channels; c++) {
        const float *in = products + c * row_stride;
        Cursor at = {0, 0, 0};
        for (int64_t t0 = 0; t0 < total; t0 += 8) {
            const int64_t lanes = total - t0 < 8 ? total - t0 : 8;
            // Aᵀ down the tiles' columns, then along their rows.
            v8f s[4][6];
            for (int j = 0; j < 6; j++) {
                v8f column[6], result[4];
                for (int i = 0; i < 6; i++) column[i] = LOAD_LANES(in + (6 * i + j) * block + t0, lanes);
                A_TRANSPOSE(column, result);
                for (int r = 0; r < 4; r++) s[r][j] = result[r];
            }
            // Row r of lane l's tile: floats 4l ... 4l + 3 of `rows[r]`.
            float rows[4][32];
            for (int r = 0; r < 4; r++) {
                v8f columns[4], line[4];
                A_TRANSPOSE(s[r], columns);
                INTERLEAVE4(columns, line);
                for (int q = 0; q < 4; q++) STORE8(rows[r] + 8 * q, line[q]);
            }
            for (int l = 0; l < lanes; l++) {
                float *target = y + (at.m * channels + c) * height * width + 4 * at.ty * width + 4 * at.tx;
                const int64_t down = height - 4 * at.ty < 4 ? height - 4 * at.ty : 4;
                const int64_t across = width - 4 * at.tx < 4 ? width - 4 * at.tx : 4;
                if (across == 4) {
                    for (int64_t r = 0; r < down; r++) __builtin_memcpy_inline(target + r * width, rows[r] + 4 * l, 16);
                } else {
                    for (int64_t r = 0; r < down; r++) copy_floats(target + r * width, rows[r] + 4 * l, across);
                }
                cursor_step(&at, th, tw);
            }
        }
    }
}

NNREPORT_CLONES
void nnreport_winograd4_output_adjoint(const float *dy, int64_t images, int64_t channels, int64_t height,
                                       int64_t width, float *dm, int64_t row_stride) {
    const int64_t th = tiles_along4(height), tw = tiles_along4(width), tiles = th * tw, total = images * tiles;
    const int64_t block = channels * row_stride;
    for (int64_t c = 0; c < channels; c++) {
        float *out = dm + c * row_stride;
        Cursor at = {0, 0, 0};
        for (int64_t t0 = 0; t0 < total; t0 += 8) {
            const int64_t lanes = total - t0 < 8 ? total - t0 : 8;
            // Row r of lane l's output gradients at floats 4l ... 4l + 3 of `rows[r]`,
            // zero past the plane.
            float rows[4][32] = {{0}};
            for (int l = 0; l < lanes; l++) {
                const float *source = dy + (at.m * channels + c) * height * width + 4 * at.ty * width + 4 * at.tx;
                const int64_t down = height - 4 * at.ty < 4 ? height - 4 * at.ty : 4;
                const int64_t across = width - 4 * at.tx < 4 ? width - 4 * at.tx : 4;
                if (across == 4) {
                    for (int64_t r = 0; r < down; r++) __builtin_memcpy_inline(rows[r] + 4 * l, source + r * width, 16);
                } else {
                    for (int64_t r = 0; r < down; r++) copy_floats(rows[r] + 4 * l, source + r * width, across);
                }
                cursor_step(&at, th, tw);
            }
            // Each row times Aᵀ's columns, then the rows combined by A.
            v8f e[4][6];
            for (int r = 0; r < 4; r++) {
                v8f loaded[4], d[4], row[6];
                for (int q = 0; q < 4; q++) loaded[q] = LOAD8(rows[r] + 8 * q);
                DEINTERLEAVE4(loaded, d);
                A_TIMES(d, row);
                for (int j = 0; j < 6; j++) e[r][j] = row[j];
            }
            for (int j = 0; j < 6; j++) {
                v8f column[4] = {e[0][j], e[1][j], e[2][j], e[3][j]}, result[6];
                A_TIMES(column, result);
                for (int i = 0; i < 6; i++) STORE_LANES(out + (6 * i + j) * block + t0, result[i], lanes);
            }
        }
    }
}

/// `out[0...5] = G·g[0...2]`, lane by lane.
#define G_TIMES(g, out) do { \
        const v8f sum_ = (g)[0] + (g)[2]; \
        const v8f quarter_ = (g)[0] * (1.0f / 24.0f) + (g)[2] * (1.0f / 6.0f), middle_ = (g)[1] * (1.0f / 12.0f); \
        (out)[0] = (g)[0] * 0.25f; \
        (out)[1] = (sum_ + (g)[1]) * (-1.0f / 6.0f); \
        (out)[2] = (sum_ - (g)[1]) * (-1.0f / 6.0f); \
        (out)[3] = quarter_ + middle_; \
        (out)[4] = quarter_ - middle_; \
        (out)[5] = (g)[2]; \
    } while (0)

/// `out[0...2] = Gᵀ·d[0...5]`, lane by lane.
#define G_TRANSPOSE(d, out) do { \
        const v8f plus_ = (d)[1] + (d)[2], minus_ = (d)[1] - (d)[2]; \
        const v8f high_ = (d)[3] + (d)[4], low_ = (d)[3] - (d)[4]; \
        (out)[0] = (d)[0] * 0.25f + plus_ * (-1.0f / 6.0f) + high_ * (1.0f / 24.0f); \
        (out)[1] = minus_ * (-1.0f / 6.0f) + low_ * (1.0f / 12.0f); \
        (out)[2] = plus_ * (-1.0f / 6.0f) + high_ * (1.0f / 6.0f) + (d)[5]; \
    } while (0)

// The weight transforms work on eight kernels at a time, one per vector lane, as in
// winograd.c.

NNREPORT_CLONES
void nnreport_winograd4_weights(const float *w, int64_t outputs, int64_t inputs, int64_t first_row, int64_t row_count,
                                int32_t turned, float *u) {
    const int64_t columns = inputs;
    for (int64_t r = first_row; r < first_row + row_count; r++) {
        for (int64_t s0 = 0; s0 < columns; s0 += 8) {
            const int64_t lanes = columns - s0 < 8 ? columns - s0 : 8;
            float taps[9][8];
            gather_taps(w, r, inputs, s0, lanes, turned, taps);
            // G·g (6x3), then each row times Gᵀ.
            v8f t[6][3];
            for (int j = 0; j < 3; j++) {
                v8f column[3] = {LOAD8(taps[j]), LOAD8(taps[3 + j]), LOAD8(taps[6 + j])}, out[6];
                G_TIMES(column, out);
                for (int i = 0; i < 6; i++) t[i][j] = out[i];
            }
            float *target = u + r * 36 * columns + s0;
            for (int i = 0; i < 6; i++) {
                v8f row[6];
                G_TIMES(t[i], row);
                for (int j = 0; j < 6; j++) STORE_LANES(target + (6 * i + j) * columns, row[j], lanes);
            }
        }
    }
}

NNREPORT_CLONES
void nnreport_winograd4_weight_gradient(const float *du, int64_t outputs, int64_t inputs, int64_t first, int64_t count,
                                        float *dw) {
    (void)outputs;
    for (int64_t e0 = first; e0 < first + count;) {
        // Up to eight kernels of one output channel: their products lie side by side.
        const int64_t o = e0 / inputs, c0 = e0 % inputs;
        int64_t lanes = first + count - e0 < 8 ? first + count - e0 : 8;
        if (inputs - c0 < lanes) lanes = inputs - c0;
        const float *products = du + o * 36 * inputs + c0;
        // Gᵀ·dU·G: each row times G, then the rows combined by Gᵀ.
        v8f t[6][3];
        for (int p = 0; p < 6; p++) {
            v8f row[6], out[3];
            for (int j = 0; j < 6; j++) row[j] = LOAD_LANES(products + (6 * p + j) * inputs, lanes);
            G_TRANSPOSE(row, out);
            for (int k = 0; k < 3; k++) t[p][k] = out[k];
        }
        float taps[9][8];
        for (int k = 0; k < 3; k++) {
            v8f column[6] = {t[0][k], t[1][k], t[2][k], t[3][k], t[4][k], t[5][k]}, out[3];
            G_TRANSPOSE(column, out);
            for (int i = 0; i < 3; i++) STORE8(taps[3 * i + k], out[i]);
        }
        for (int64_t l = 0; l < lanes; l++) {
            float *k = dw + (e0 + l) * 9;
            for (int q = 0; q < 9; q++) k[q] += taps[q][l];
        }
        e0 += lanes;
    }
}
