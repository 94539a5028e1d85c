// The transforms of Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2015) for 3x3 convolutions with
// stride 1 and padding 1. Each 2x2 block of outputs (a tile) is
//   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
// where d is the 4x4 input patch under the tile (zero outside the plane), g the 3x3
// kernel, and
//   Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],  G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1],
//   Aᵀ = [1 1 1 0; 0 1 -1 -1].
// Summed over input channels, the 16 element-wise products become 16 matrix products
// (one per position ξ = 4·i + j of the 4x4 transformed tile), which Swift hands to
// SGEMM: 16·C·O multiplications per tile instead of 36·C·O.
//
// Layouts: transformed inputs `v[(ξ·channels + c)·row_stride + t]`, tile t = image·tiles
// + tile_row·tile_columns + tile_column, tiles per image = ⌈H/2⌉·⌈W/2⌉; transformed
// weights `u[(ξ·rows + r)·columns + s]`.
#include "CKernels.h"
#include "vectors.h"

static inline int64_t tiles_along(int64_t extent) { return (extent + 1) / 2; }

// The transforms run along a tile row, eight tiles per vector: a tile row's 16
// outputs per ξ are contiguous, and its input columns 2·tx .. 2·tx + 3 are the even
// and odd columns of pairs. Tails go through local copies, so nothing is read or
// written past a row.

/// Copies `count` (0 ... 8) floats with inline moves: a library call per tail costs
/// more than the few floats it moves.
#define COPY_FLOATS(dst, src, count) do { \
        switch (count) { \
        case 8: __builtin_memcpy_inline((dst), (src), 32); break; \
        case 7: __builtin_memcpy_inline((dst), (src), 28); break; \
        case 6: __builtin_memcpy_inline((dst), (src), 24); break; \
        case 5: __builtin_memcpy_inline((dst), (src), 20); break; \
        case 4: __builtin_memcpy_inline((dst), (src), 16); break; \
        case 3: __builtin_memcpy_inline((dst), (src), 12); break; \
        case 2: __builtin_memcpy_inline((dst), (src), 8); break; \
        case 1: __builtin_memcpy_inline((dst), (src), 4); break; \
        default: break; \
        } \
    } while (0)
/// `count` (≤ 8) floats at `p`, zero in the other lanes.
#define LOAD_PART(p, count) ({ \
        float part_[8] = {0}; \
        COPY_FLOATS(part_, (p), (count)); \
        LOAD8(part_); \
    })
/// The first `count` (≤ 8) lanes of `v` to `p`.
#define STORE_PART(p, v, count) do { \
        if ((count) == 8) { STORE8((p), (v)); } else { \
            float part_[8]; STORE8(part_, (v)); COPY_FLOATS((p), part_, (count)); } \
    } while (0)
/// Copies `count` floats, eight at a time.
#define COPY_ROW(dst, src, count) do { \
        for (int64_t at_ = 0; at_ < (count); at_ += 8) { \
            const int64_t n_ = (count) - at_ < 8 ? (count) - at_ : 8; \
            COPY_FLOATS((dst) + at_, (src) + at_, n_); \
        } \
    } while (0)
#define EVEN(lo, hi) __builtin_shufflevector((lo), (hi), 0, 2, 4, 6, 8, 10, 12, 14)
#define ODD(lo, hi) __builtin_shufflevector((lo), (hi), 1, 3, 5, 7, 9, 11, 13, 15)

/// Padded-plane width: 16 floats per vector of tiles, and one vector more, which
/// supplies the columns right of the last tile.
static inline int64_t padded_width(int64_t tw) { return 16 * ((tw + 7) / 8 + 1); }

int64_t nnreport_winograd_scratch(int64_t height, int64_t width) {
    return 2 * (2 * tiles_along(height) + 2) * padded_width(tiles_along(width));
}

/// Bᵀ down the columns 2k and 2k + 1 (k = at/2 ... at/2 + 7) of the four padded rows
/// from `r0`: `s[i]` the even columns and `s[4 + i]` the odd ones of row i of Bᵀ·d.
#define COLUMN_SUMS(r0, pw, at, s) do { \
        const float *q0_ = (r0) + (at), *q1_ = q0_ + (pw), *q2_ = q1_ + (pw), *q3_ = q2_ + (pw); \
        const v8f l0_ = LOAD8(q0_), h0_ = LOAD8(q0_ + 8), l1_ = LOAD8(q1_), h1_ = LOAD8(q1_ + 8); \
        const v8f l2_ = LOAD8(q2_), h2_ = LOAD8(q2_ + 8), l3_ = LOAD8(q3_), h3_ = LOAD8(q3_ + 8); \
        const v8f e0_ = EVEN(l0_, h0_), o0_ = ODD(l0_, h0_), e1_ = EVEN(l1_, h1_), o1_ = ODD(l1_, h1_); \
        const v8f e2_ = EVEN(l2_, h2_), o2_ = ODD(l2_, h2_), e3_ = EVEN(l3_, h3_), o3_ = ODD(l3_, h3_); \
        (s)[0] = e0_ - e2_; (s)[1] = e1_ + e2_; (s)[2] = e2_ - e1_; (s)[3] = e1_ - e3_; \
        (s)[4] = o0_ - o2_; (s)[5] = o1_ + o2_; (s)[6] = o2_ - o1_; (s)[7] = o1_ - o3_; \
    } while (0)

NNREPORT_CLONES
void nnreport_winograd_input(const float *x, int64_t images, int64_t channels, int64_t height, int64_t width,
                             float *v, int64_t row_stride, float *scratch) {
    const int64_t th = tiles_along(height), tw = tiles_along(width), tiles = th * tw;
    const int64_t pw = padded_width(tw), ph = 2 * th + 2;
    const int64_t block = channels * row_stride, planes = images * channels;
    // Two padded planes, each an image plane at rows 1 ... H, columns 1 ... W with zeros
    // around (set once): the next plane is copied into one while the other is read,
    // so the reads do not wait for the copy's unaligned stores.
    memset(scratch, 0, (size_t)(2 * ph * pw) * sizeof(float));
    for (int64_t h = 0; h < height; h++) COPY_ROW(scratch + (h + 1) * pw + 1, x + h * width, width);
    for (int64_t index = 0; index < planes; index++) {
        const int64_t m = index / channels, c = index % channels;
        const float *padded = scratch + (index % 2) * ph * pw;
        if (index + 1 < planes) {
            const float *plane = x + (index + 1) * height * width;
            float *target = scratch + ((index + 1) % 2) * ph * pw;
            for (int64_t h = 0; h < height; h++) COPY_ROW(target + (h + 1) * pw + 1, plane + h * width, width);
        }
        {
            float *out = v + c * row_stride + m * tiles;
            for (int64_t ty = 0; ty < th; ty++, out += tw) {
                const float *r0 = padded + 2 * ty * pw;
                // Tile tx has columns e[tx], o[tx], e[tx + 1], o[tx + 1]: the sums of
                // this vector of tiles and, shifted in by one lane, of the next.
                v8f here[8], next[8];
                COLUMN_SUMS(r0, pw, 0, here);
                for (int64_t tx = 0; tx < tw; tx += 8) {
                    const int64_t lanes = tw - tx < 8 ? tw - tx : 8;
                    COLUMN_SUMS(r0, pw, 2 * tx + 16, next);
                    for (int i = 0; i < 4; i++) {
                        const v8f el = here[i], ol = here[4 + i];
                        const v8f er = __builtin_shufflevector(here[i], next[i], 1, 2, 3, 4, 5, 6, 7, 8);
                        const v8f orr = __builtin_shufflevector(here[4 + i], next[4 + i], 1, 2, 3, 4, 5, 6, 7, 8);
                        STORE_PART(out + (4 * i + 0) * block + tx, el - er, lanes);
                        STORE_PART(out + (4 * i + 1) * block + tx, ol + er, lanes);
                        STORE_PART(out + (4 * i + 2) * block + tx, er - ol, lanes);
                        STORE_PART(out + (4 * i + 3) * block + tx, ol - orr, lanes);
                    }
                    for (int q = 0; q < 8; q++) here[q] = next[q];
                }
            }
        }
    }
}

NNREPORT_CLONES
void nnreport_winograd_output(const float *products, int64_t row_stride, int64_t images, int64_t channels,
                              int64_t height, int64_t width, float *y) {
    const int64_t th = tiles_along(height), tw = tiles_along(width), tiles = th * tw;
    const int64_t block = channels * row_stride;
    for (int64_t m = 0; m < images; m++) {
        for (int64_t c = 0; c < channels; c++) {
            const float *in = products + c * row_stride + m * tiles;
            float *plane = y + (m * channels + c) * height * width;
            for (int64_t ty = 0; ty < th; ty++, in += tw) {
                float *row0 = plane + 2 * ty * width, *row1 = row0 + width;
                const int has_row1 = 2 * ty + 1 < height;
                for (int64_t tx = 0; tx < tw; tx += 8) {
                    const int64_t lanes = tw - tx < 8 ? tw - tx : 8;
                    // Aᵀ down the tile's columns (s0, s1), then along its rows.
                    v8f s0[4], s1[4];
                    for (int j = 0; j < 4; j++) {
                        const v8f m0 = LOAD_PART(in + (0 + j) * block + tx, lanes);
                        const v8f m1 = LOAD_PART(in + (4 + j) * block + tx, lanes);
                        const v8f m2 = LOAD_PART(in + (8 + j) * block + tx, lanes);
                        const v8f m3 = LOAD_PART(in + (12 + j) * block + tx, lanes);
                        s0[j] = m0 + m1 + m2;
                        s1[j] = m1 - m2 - m3;
                    }
                    const v8f a0 = s0[0] + s0[1] + s0[2], b0 = s0[1] - s0[2] - s0[3];
                    const v8f a1 = s1[0] + s1[1] + s1[2], b1 = s1[1] - s1[2] - s1[3];
                    // Interleaved: outputs 2·tx, 2·tx + 1, ... of each row.
                    const v8f lo0 = __builtin_shufflevector(a0, b0, 0, 8, 1, 9, 2, 10, 3, 11);
                    const v8f hi0 = __builtin_shufflevector(a0, b0, 4, 12, 5, 13, 6, 14, 7, 15);
                    const v8f lo1 = __builtin_shufflevector(a1, b1, 0, 8, 1, 9, 2, 10, 3, 11);
                    const v8f hi1 = __builtin_shufflevector(a1, b1, 4, 12, 5, 13, 6, 14, 7, 15);
                    const int64_t count = width - 2 * tx < 16 ? width - 2 * tx : 16;
                    if (count == 16) {
                        STORE8(row0 + 2 * tx, lo0);
                        STORE8(row0 + 2 * tx + 8, hi0);
                        if (has_row1) {
                            STORE8(row1 + 2 * tx, lo1);
                            STORE8(row1 + 2 * tx + 8, hi1);
                        }
                    } else {
                        float both[2][16];
                        STORE8(both[0], lo0);
                        STORE8(both[0] + 8, hi0);
                        STORE8(both[1], lo1);
                        STORE8(both[1] + 8, hi1);
                        COPY_ROW(row0 + 2 * tx, both[0], count);
                        if (has_row1) COPY_ROW(row1 + 2 * tx, both[1], count);
                    }
                }
            }
        }
    }
}

/// Output-gradient columns 2·tx ... 2·tx + 15 of `row` (zero past `width`, or all zero
/// without a row), as their even and odd columns.
#define LOAD_PAIRS(row, tx, width, even, odd) do { \
        float pairs_[16] = {0}; \
        if (row) { \
            const int64_t count_ = (width) - 2 * (tx) < 16 ? (width) - 2 * (tx) : 16; \
            COPY_ROW(pairs_, (row) + 2 * (tx), count_); \
        } \
        const v8f lo_ = LOAD8(pairs_), hi_ = LOAD8(pairs_ + 8); \
        (even) = EVEN(lo_, hi_); \
        (odd) = ODD(lo_, hi_); \
    } while (0)

NNREPORT_CLONES
void nnreport_winograd_output_adjoint(const float *dy, int64_t images, int64_t channels, int64_t height, int64_t width,
                                      float *dm, int64_t row_stride) {
    const int64_t th = tiles_along(height), tw = tiles_along(width), tiles = th * tw;
    const int64_t block = channels * row_stride;
    for (int64_t m = 0; m < images; m++) {
        for (int64_t c = 0; c < channels; c++) {
            const float *plane = dy + (m * channels + c) * height * width;
            float *out = dm + c * row_stride + m * tiles;
            for (int64_t ty = 0; ty < th; ty++, out += tw) {
                const float *r0 = plane + 2 * ty * width, *r1 = 2 * ty + 1 < height ? r0 + width : NULL;
                for (int64_t tx = 0; tx < tw; tx += 8) {
                    const int64_t lanes = tw - tx < 8 ? tw - tx : 8;
                    v8f d00, d01, d10, d11;
                    LOAD_PAIRS(r0, tx, width, d00, d01);
                    LOAD_PAIRS(r1, tx, width, d10, d11);
                    // Rows of A·dy (A = (Aᵀ)ᵀ, 4x2), then each row times Aᵀ.
                    const v8f e[4][2] = {{d00, d01}, {d00 + d10, d01 + d11}, {d00 - d10, d01 - d11}, {-d10, -d11}};
                    for (int i = 0; i < 4; i++) {
                        STORE_PART(out + (4 * i + 0) * block + tx, e[i][0], lanes);
                        STORE_PART(out + (4 * i + 1) * block + tx, e[i][0] + e[i][1], lanes);
                        STORE_PART(out + (4 * i + 2) * block + tx, e[i][0] - e[i][1], lanes);
                        STORE_PART(out + (4 * i + 3) * block + tx, -e[i][1], lanes);
                    }
                }
            }
        }
    }
}

// The weight transforms work on eight kernels at a time, one per vector lane: the
// kernels' nine taps are moved into lanes by scalar copies (they lie 9 floats
// apart), and the arithmetic and the transformed side's 16 streams are whole vectors.
//
// The input gradient needs the transform of each kernel turned by 180°, with the
// channels swapped. Since G·J = P·G (J reverses 3 taps, P swaps rows 0 and 3 of
// 4), that is P·U·Pᵀ: the same matrices at ξ = 4·p(i) + p(j), transposed, so the
// caller multiplies by U[ξ']ᵀ and transforms nothing again.

NNREPORT_CLONES
void nnreport_winograd_weights(const float *w, int64_t outputs, int64_t inputs, int64_t first_row, int64_t row_count,
                               float *u) {
    const int64_t columns = inputs, block = outputs * inputs;
    const v8f half = SPLAT(0.5f);
    for (int64_t r = first_row; r < first_row + row_count; r++) {
        for (int64_t s0 = 0; s0 < columns; s0 += 8) {
            const int64_t lanes = columns - s0 < 8 ? columns - s0 : 8;
            float taps[9][8];
            gather_taps(w, r, inputs, s0, lanes, 0, taps);
            v8f g[9];
            for (int q = 0; q < 9; q++) g[q] = LOAD8(taps[q]);
            // G·g (4x3), then each row times Gᵀ.
            v8f t[4][3];
            for (int j = 0; j < 3; j++) {
                t[0][j] = g[j];
                t[1][j] = half * (g[j] + g[3 + j] + g[6 + j]);
                t[2][j] = half * (g[j] - g[3 + j] + g[6 + j]);
                t[3][j] = g[6 + j];
            }
            float *out = u + r * columns + s0;
            for (int i = 0; i < 4; i++) {
                v8f row[4] = {t[i][0], half * (t[i][0] + t[i][1] + t[i][2]), half * (t[i][0] - t[i][1] + t[i][2]),
                              t[i][2]};
                for (int j = 0; j < 4; j++) {
                    float *target = out + (4 * i + j) * block;
                    if (lanes == 8) {
                        STORE8(target, row[j]);
                    } else {
                        float lane_values[8];
                        STORE8(lane_values, row[j]);
                        memcpy(target, lane_values, (size_t)lanes * sizeof(float));
                    }
                }
            }
        }
    }
}

NNREPORT_CLONES
void nnreport_winograd_weight_gradient(const float *du, int64_t outputs, int64_t inputs, int64_t first, int64_t count,
                                       float *dw) {
    const int64_t block = outputs * inputs;
    const v8f half = SPLAT(0.5f);
    for (int64_t e0 = first; e0 < first + count; e0 += 8) {
        const int64_t lanes = first + count - e0 < 8 ? first + count - e0 : 8;
        v8f d[16];
        for (int x = 0; x < 16; x++) {
            float lane_values[8] = {0};
            memcpy(lane_values, du + x * block + e0, (size_t)lanes * sizeof(float));
            d[x] = LOAD8(lane_values);
        }
        // Gᵀ·d·G: each row times G, then the rows combined by Gᵀ.
        v8f t[4][3];
        for (int p = 0; p < 4; p++) {
            const v8f h = half * (d[4 * p + 1] + d[4 * p + 2]);
            t[p][0] = d[4 * p] + h;
            t[p][1] = half * (d[4 * p + 1] - d[4 * p + 2]);
            t[p][2] = h + d[4 * p + 3];
        }
        float taps[9][8];
        for (int j = 0; j < 3; j++) {
            const v8f h = half * (t[1][j] + t[2][j]);
            STORE8(taps[j], t[0][j] + h);
            STORE8(taps[3 + j], half * (t[1][j] - t[2][j]));
            STORE8(taps[6 + j], h + t[3][j]);
        }
        for (int64_t l = 0; l < lanes; l++) {
            float *k = dw + (e0 + l) * 9;
            for (int q = 0; q < 9; q++) k[q] += taps[q][l];
        }
    }
}
