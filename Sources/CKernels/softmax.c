// Softmax cross-entropy, eight rows or eight classes at a time (see CKernels.h).
//
// exp(x) = 2^n·exp(r) with n = round(x/ln 2) and r = x - n·ln 2 (ln 2 split in a
// high and a low part so r is exact), exp(r) from Cephes' expf minimax polynomial
// (relative error below 2 ulp on [-ln2/2, ln2/2]), 2^n built in the exponent bits;
// arguments clamped to [-87.3, 88], where 2^n stays a normal float. PyTorch's
// vectorised CPU kernels use an approximation of the same kind (Sleef); the
// results are the same on every machine.
#include "CKernels.h"
#include "vectors.h"

#include <math.h>

static inline __attribute__((always_inline)) void exp8(const v8f *value, v8f *result) {
    const v8f low = SPLAT(-87.33654f), high = SPLAT(88.0f);
    v8f x = SELECT8(*value < low, low, *value);
    x = SELECT8(x > high, high, x);
    // Round to nearest by adding 1.5·2^23: the sum's low mantissa bits hold n.
    v8f shifted = x * 1.44269504f + 12582912.0f;
    v8f n = shifted - 12582912.0f;
    v8f r = x - n * 0.693359375f - n * -2.1219444e-4f;
    v8f p = SPLAT(1.9875691500e-4f);
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    v8f y = p * r * r + r + 1.0f;
    // Unsigned, so a NaN's bits shift without overflow (its result is NaN anyway).
    v8u scale = ((v8u)shifted + (uint32_t)(127 - 0x4B400000)) << 23;
    *result = y * (v8f)scale;
}

/// Lanes summed in a fixed order: (0+4, 1+5, 2+6, 3+7), then (a+c, b+d), then the two.
static inline __attribute__((always_inline)) float sum8(const v8f *v) {
    float a = (*v)[0] + (*v)[4], b = (*v)[1] + (*v)[5], c = (*v)[2] + (*v)[6], d = (*v)[3] + (*v)[7];
    return (a + c) + (b + d);
}

/// Natural logarithm of positive finite lanes, Cephes' logf (error about 1 ulp):
/// x = m·2^e with m in [sqrt(1/2), sqrt(2)), log(1 + (m - 1)) by a minimax polynomial,
/// e·ln 2 added in two parts. NaN and infinite lanes come back as they are; the
/// kernel only takes logs of sums of exponentials, which are at least 1 or NaN.
static inline __attribute__((always_inline)) void log8(const v8f *value, v8f *result) {
    const v8f x = *value;
    const v8u bits = (v8u)x;
    const v8f halfMantissa = (v8f)((bits & 0x007FFFFFu) | 0x3F000000u);
    const v8i small = halfMantissa < 0.707106781186547524f;
    const v8f e = __builtin_convertvector((v8i)(bits >> 23) - 126, v8f) - SELECT8(small, SPLAT(1.0f), SPLAT(0.0f));
    const v8f m = SELECT8(small, halfMantissa + halfMantissa, halfMantissa) - 1.0f;
    const v8f z = m * m;
    v8f y = SPLAT(7.0376836292e-2f);
    y = y * m - 1.1514610310e-1f;
    y = y * m + 1.1676998740e-1f;
    y = y * m - 1.2420140846e-1f;
    y = y * m + 1.4249322787e-1f;
    y = y * m - 1.6668057665e-1f;
    y = y * m + 2.0000714765e-1f;
    y = y * m - 2.4999993993e-1f;
    y = y * m + 3.3333331174e-1f;
    y = y * m * z;
    y += e * -2.12194440e-4f;
    y += z * -0.5f;
    v8f logarithm = m + y;
    logarithm += e * 0.693359375f;
    const v8i regular = (x == x) & (x < __builtin_inff()) & (x > 0.0f);
    *result = SELECT8(regular, logarithm, x);
}

/// The largest of `count` floats, NaN if one is NaN.
static inline __attribute__((always_inline)) float row_maximum(const float *line, int64_t count) {
    if (count < 8) {
        float m = line[0];
        for (int64_t k = 1; k < count; k++) {
            if (isnan(line[k]) || isnan(m)) m = NAN; else if (line[k] > m) m = line[k];
        }
        return m;
    }
    // Whole vectors, then one overlapping the last of them.
    v8f vector = LOAD8(line);
    v8i nan = vector != vector;
    for (int64_t k = 8; k < count; k += 8) {
        v8f v = LOAD8(line + (k < count - 8 ? k : count - 8));
        nan |= v != v;
        vector = SELECT8(v > vector, v, vector);
    }
    float m = vector[0];
    for (int lane = 0; lane < 8; lane++) {
        if (nan[lane]) return NAN;
        if (vector[lane] > m) m = vector[lane];
    }
    return m;
}

/// One row at a time, its classes eight lanes at a time: rows wider than
/// `BLOCK_CLASSES`, and the reference that `softmax_block` matches.
static inline __attribute__((always_inline)) void softmax_cross_entropy(
    const float *logits, int64_t rows, int64_t classes, const int32_t *labels, float *gradient, float *scratch,
    double *loss_sum, int64_t *correct) {
    const int64_t end = classes - classes % 8;
    // Rows of eight classes or more end with one vector that overlaps the last whole
    // one; its lanes already counted are left out of the sum, and storing them again
    // writes the same values.
    const int64_t tail = classes >= 8 && end < classes ? classes - 8 : -1;
    v8i repeated = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int lane = 0; lane < 8; lane++) repeated[lane] = lane < end - tail ? -1 : 0;
    const float inverse_rows = 1.0f / (float)rows;
    double total = 0;
    int64_t right = 0;
    // Rows' losses are finished eight at a time, so their logarithms take one vector;
    // they are still added to the total one row after another.
    float sums[8], maxima[8], labelled[8];
    int pending = 0;
    for (int64_t row = 0; row < rows; row++) {
        const float *line = logits + row * classes;
        const float maximum = row_maximum(line, classes);
        float *e = gradient ? gradient + row * classes : scratch;
        const v8f shift = SPLAT(maximum);
        v8f partial = SPLAT(0.0f);
        int64_t k = 0;
        for (; k < end; k += 8) {
            v8f v = LOAD8(line + k) - shift;
            exp8(&v, &v);
            STORE8(e + k, v);
            partial += v;
        }
        v8f tail_values = SPLAT(0.0f);
        if (tail >= 0) {
            tail_values = LOAD8(line + tail) - shift;
            exp8(&tail_values, &tail_values);
            STORE8(e + tail, tail_values);
            partial += SELECT8(repeated, SPLAT(0.0f), tail_values);
            k = classes;
        }
        float sum = sum8(&partial);
        for (; k < classes; k++) {
            v8f v = SPLAT(line[k] - maximum);
            exp8(&v, &v);
            e[k] = v[0];
            sum += v[0];
        }
        const int64_t label = labels[row];
        sums[pending] = sum;
        maxima[pending] = maximum;
        labelled[pending] = line[label];
        pending++;
        if (pending == 8 || row == rows - 1) {
            v8f logarithms = SPLAT(1.0f);
            for (int j = 0; j < pending; j++) logarithms[j] = sums[j];
            log8(&logarithms, &logarithms);
            for (int j = 0; j < pending; j++) total += (double)(logarithms[j] + maxima[j] - labelled[j]);
            pending = 0;
        }
        if (line[label] == maximum) {
            int64_t first = 0;
            while (line[first] != maximum) first++;
            if (first == label) right++;
        }
        if (gradient) {
            const float scale = inverse_rows / sum;
            const v8f scales = SPLAT(scale);
            k = 0;
            for (; k < end; k += 8) STORE8(e + k, LOAD8(e + k) * scales);
            if (tail >= 0) {
                STORE8(e + tail, tail_values * scales);
                k = classes;
            }
            for (; k < classes; k++) e[k] *= scale;
            e[label] -= inverse_rows;
        }
    }
    *loss_sum += total;
    *correct += right;
}

/// `out[j][i] = in[i][j]`: eight vectors of eight floats turned, in three rounds of
/// shuffles (pairs, then quads within each half, then halves).
static inline __attribute__((always_inline)) void transpose8(const v8f in[8], v8f out[8]) {
    v8f t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shufflevector(in[i], in[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(in[i], in[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int j = 0; j < 4; j++) {
        out[j] = __builtin_shufflevector(u[j], u[j + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        out[j + 4] = __builtin_shufflevector(u[j], u[j + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
}

/// The rows of `classes` logits this many or fewer go through `softmax_block`.
#define BLOCK_CLASSES 64

/// `softmax_cross_entropy` for rows `first ..< first + count` (count 1...8), eight rows
/// at a time across the lanes: the logits are turned so that one vector holds one
/// class of eight rows, and the maximum, the arg-max, the exponentials, their sums and
/// the logarithms each take one pass over `classes` vectors, without the per-row
/// reductions across lanes and the arg-max's search. Every row's numbers are those of
/// the row-at-a-time path, bit for bit: the exponentials are the same function, and
/// each row's sum adds the same terms in the same order (eight partial sums of every
/// eighth class, the overlapping last vector's new lanes, then the fixed tree of
/// `sum8`; one after another below eight classes). Lanes past `count` hold zeros and
/// are ignored.
static inline __attribute__((always_inline)) void softmax_block(
    const float *logits, int64_t first, int64_t count, int64_t classes, const int32_t *labels, float *gradient,
    float inverse_rows, double *total, int64_t *right) {
    v8f x[BLOCK_CLASSES];
    int32_t label[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    float labelled[8];
    for (int64_t lane = 0; lane < count; lane++) label[lane] = labels[first + lane];
    if (classes >= 8) {
        // Eight classes of the eight rows at a time, turned by shuffles; past the last
        // whole eight, one more eight that ends at the last class, of which the new
        // classes are kept.
        const int64_t end = classes - classes % 8;
        for (int64_t k = 0; k < classes; k += 8) {
            const int64_t at = k < end ? k : classes - 8;
            v8f rows[8], turned[8];
            for (int64_t lane = 0; lane < 8; lane++)
                rows[lane] = lane < count ? LOAD8(logits + (first + lane) * classes + at) : SPLAT(0.0f);
            transpose8(rows, turned);
            for (int64_t j = k - at; j < 8; j++) x[at + j] = turned[j];
        }
    } else {
        for (int64_t k = 0; k < classes; k++) x[k] = SPLAT(0.0f);
        for (int64_t lane = 0; lane < count; lane++) {
            const float *line = logits + (first + lane) * classes;
            for (int64_t k = 0; k < classes; k++) x[k][lane] = line[k];
        }
    }
    // The maximum (NaN if a logit is), the first class that reaches it, the label's logit.
    v8f maximum = x[0];
    v8i nan = x[0] != x[0];
    for (int64_t k = 1; k < classes; k++) {
        nan |= x[k] != x[k];
        maximum = SELECT8(x[k] > maximum, x[k], maximum);
    }
    maximum = SELECT8(nan, SPLAT(__builtin_nanf("")), maximum);
    v8i arg_max = {-1, -1, -1, -1, -1, -1, -1, -1}, found = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t k = 0; k < classes; k++) {
        const v8i hit = (x[k] == maximum) & ~found;
        arg_max = (hit & (int32_t)k) | (~hit & arg_max);
        found |= hit;
    }
    for (int lane = 0; lane < 8; lane++) labelled[lane] = x[label[lane]][lane];
    // Exponentials in place, summed as the row path sums them.
    for (int64_t k = 0; k < classes; k++) {
        v8f v = x[k] - maximum;
        exp8(&v, &x[k]);
    }
    v8f sum;
    if (classes < 8) {
        sum = SPLAT(0.0f);
        for (int64_t k = 0; k < classes; k++) sum += x[k];
    } else {
        const int64_t end = classes - classes % 8;
        v8f partial[8];
        for (int j = 0; j < 8; j++) {
            partial[j] = SPLAT(0.0f);
            for (int64_t k = j; k < end; k += 8) partial[j] += x[k];
        }
        if (end < classes) {
            const int64_t tail = classes - 8;
            for (int64_t j = end - tail; j < 8; j++) partial[j] += x[tail + j];
        }
        sum = ((partial[0] + partial[4]) + (partial[2] + partial[6])) + ((partial[1] + partial[5]) + (partial[3] + partial[7]));
    }
    v8f logarithm;
    log8(&sum, &logarithm);
    const v8f loss = logarithm + maximum - LOAD8(labelled);
    for (int64_t lane = 0; lane < count; lane++) {
        *total += (double)loss[lane];
        if (arg_max[lane] == label[lane]) (*right)++;
    }
    if (gradient) {
        const v8f scale = inverse_rows / sum;
        for (int64_t k = 0; k < classes; k++) x[k] *= scale;
        if (classes >= 8) {
            // As the logits came in: the last eight classes overlap the whole eights
            // before them and store the same values there again.
            for (int64_t k = 0; k < classes; k += 8) {
                const int64_t at = k + 8 <= classes ? k : classes - 8;
                v8f rows[8];
                transpose8(x + at, rows);
                for (int64_t lane = 0; lane < count; lane++) STORE8(gradient + (first + lane) * classes + at, rows[lane]);
            }
        } else {
            for (int64_t lane = 0; lane < count; lane++) {
                float *line = gradient + (first + lane) * classes;
                for (int64_t k = 0; k < classes; k++) line[k] = x[k][lane];
            }
        }
        for (int64_t lane = 0; lane < count; lane++) gradient[(first + lane) * classes + label[lane]] -= inverse_rows;
    }
}

/// Rows of up to `BLOCK_CLASSES` classes eight at a time (`softmax_block`), wider rows
/// one at a time: the same numbers either way.
static inline __attribute__((always_inline)) void softmax_cross_entropy_any(
    const float *logits, int64_t rows, int64_t classes, const int32_t *labels, float *gradient, float *scratch,
    double *loss_sum, int64_t *correct) {
    if (classes > BLOCK_CLASSES) {
        softmax_cross_entropy(logits, rows, classes, labels, gradient, scratch, loss_sum, correct);
        return;
    }
    const float inverse_rows = 1.0f / (float)rows;
    double total = 0;
    int64_t right = 0;
    for (int64_t first = 0; first < rows; first += 8)
        softmax_block(logits, first, rows - first < 8 ? rows - first : 8, classes, labels, gradient, inverse_rows,
                      &total, &right);
    *loss_sum += total;
    *correct += right;
}

NNREPORT_CLONES
void nnreport_softmax_cross_entropy(const float *logits, int64_t rows, int64_t classes, const int32_t *labels,
                                    float *gradient, float *scratch, double *loss_sum, int64_t *correct) {
    softmax_cross_entropy_any(logits, rows, classes, labels, gradient, scratch, loss_sum, correct);
}

void nnreport_softmax_cross_entropy_baseline(const float *logits, int64_t rows, int64_t classes, const int32_t *labels,
                                             float *gradient, float *scratch, double *loss_sum, int64_t *correct) {
    softmax_cross_entropy_any(logits, rows, classes, labels, gradient, scratch, loss_sum, correct);
}

NNREPORT_CLONES
void nnreport_softmax_cross_entropy_rows(const float *logits, int64_t rows, int64_t classes, const int32_t *labels,
                                         float *gradient, float *scratch, double *loss_sum, int64_t *correct) {
    softmax_cross_entropy(logits, rows, classes, labels, gradient, scratch, loss_sum, correct);
}

void nnreport_exp(const float *x, float *y, int64_t count) {
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        v8f v = LOAD8(x + i);
        exp8(&v, &v);
        STORE8(y + i, v);
    }
    for (; i < count; i++) {
        v8f v = SPLAT(x[i]);
        exp8(&v, &v);
        y[i] = v[0];
    }
}
