// One Adam step on one tensor, PyTorch's single-tensor form (torch/optim/adam.py):
// g += λ·p; m = lerp(m, g, 1-β₁); v = β₂·v + (1-β₂)·g²;
// p += -step_size · m / (√v / bias_correction2_root + ε).
// Each element rounds exactly as the scalar expressions below, in the same order,
// in both copies (see CKernels.h), so the step is the one the engine always took.
#include "CKernels.h"
#include "vectors.h"

NNREPORT_CLONES
void nnreport_adam_step(float *p, const float *g, float *m, float *v, int64_t count, float step_size,
                        float bias_correction2_root, float beta1, float beta2, float epsilon, float weight_decay) {
    const float w = 1.0f - beta1;
    // torch.lerp(start, end, w): start + w·(end - start) for w < 0.5, else end - (end - start)·(1 - w)
    const int lerp_from_start = w < 0.5f;
    const float one_minus_w = 1.0f - w, one_minus_beta2 = 1.0f - beta2, negative_step = -step_size;
    const int64_t end = count - count % 8;
    int64_t i = 0;
    for (; i < end; i += 8) {
        v8f grad = LOAD8(g + i);
        if (weight_decay != 0) grad += SPLAT(weight_decay) * LOAD8(p + i);
        const v8f m0 = LOAD8(m + i);
        const v8f m1 = lerp_from_start ? m0 + SPLAT(w) * (grad - m0) : grad - (grad - m0) * SPLAT(one_minus_w);
        const v8f v1 = LOAD8(v + i) * SPLAT(beta2) + SPLAT(one_minus_beta2) * grad * grad;
        const v8f denominator = __builtin_elementwise_sqrt(v1) / SPLAT(bias_correction2_root) + SPLAT(epsilon);
        STORE8(m + i, m1);
        STORE8(v + i, v1);
        STORE8(p + i, LOAD8(p + i) + SPLAT(negative_step) * (m1 / denominator));
    }
    for (; i < count; i++) {
        float grad = g[i];
        if (weight_decay != 0) grad += weight_decay * p[i];
        m[i] = lerp_from_start ? m[i] + w * (grad - m[i]) : grad - (grad - m[i]) * one_minus_w;
        v[i] = v[i] * beta2 + one_minus_beta2 * grad * grad;
        const float denominator = __builtin_sqrtf(v[i]) / bias_correction2_root + epsilon;
        p[i] += negative_step * (m[i] / denominator);
    }
}
