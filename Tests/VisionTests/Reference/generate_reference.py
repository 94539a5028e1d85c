#!/usr/bin/env python3
"""Writes ../ReferenceValues.swift: expected outputs computed with numpy (float64).

Run from this folder:  python3 generate_reference.py
Inputs are defined by integer formulas that the Swift tests rebuild exactly
(each value computed in double, then rounded to float32, on both sides).

1. A tiny conv / batch-norm / ReLU / max-pool / global-average-pool stack with
   PyTorch semantics: Conv2d(3, 4, 3, stride 2, padding 1, bias), BatchNorm2d(4)
   in training mode (batch statistics, biased variance for normalising,
   unbiased for the running variance, momentum 0.1, eps 1e-5), ReLU,
   MaxPool2d(3, 2, 1), AdaptiveAvgPool2d(1).
2. Image transforms with torchvision semantics: PIL's antialiased bilinear
   resampling (Pillow src/libImaging/Resample.c, precompute_coeffs with the
   bilinear filter, support 1, scaled by the shrink factor), Resize(int)
   output size, CenterCrop offsets (Python round, zero padding), Normalize.
"""
import math
import numpy as np


def formula(count, multiplier, modulus, scale, offset):
    i = np.arange(count, dtype=np.int64)
    return (((i * multiplier) % modulus) / scale + offset).astype(np.float32).astype(np.float64)


# ---- 1. conv / bn / relu / maxpool / gap -------------------------------------
N, C, H, W, O, K, S, P = 2, 3, 9, 9, 4, 3, 2, 1
x = formula(N * C * H * W, 37, 101, 50.0, -1.0).reshape(N, C, H, W)
w = (formula(O * C * K * K, 53, 97, 97.0, -0.5) * 1.0).reshape(O, C, K, K)
b = np.array([0.1 * (o - 1.5) for o in range(O)], dtype=np.float32).astype(np.float64)
gamma = np.array([1 + 0.1 * c for c in range(O)], dtype=np.float32).astype(np.float64)
beta = np.array([0.05 * c - 0.1 for c in range(O)], dtype=np.float32).astype(np.float64)

Ho = (H + 2 * P - K) // S + 1
Wo = (W + 2 * P - K) // S + 1
xp = np.pad(x, ((0, 0), (0, 0), (P, P), (P, P)))
conv = np.zeros((N, O, Ho, Wo))
for n in range(N):
    for o in range(O):
        for i in range(Ho):
            for j in range(Wo):
                patch = xp[n, :, i * S:i * S + K, j * S:j * S + K]
                conv[n, o, i, j] = np.sum(patch * w[o]) + b[o]

mean = conv.mean(axis=(0, 2, 3))
var = conv.var(axis=(0, 2, 3))
m = N * Ho * Wo
bn = (conv - mean[None, :, None, None]) / np.sqrt(var[None, :, None, None] + 1e-5)
bn = bn * gamma[None, :, None, None] + beta[None, :, None, None]
running_mean = 0.1 * mean
running_var = 0.9 * 1.0 + 0.1 * var * m / (m - 1)
relu = np.maximum(bn, 0)

PK, PS, PP = 3, 2, 1
Hp = (Ho + 2 * PP - PK) // PS + 1
Wp = (Wo + 2 * PP - PK) // PS + 1
rp = np.pad(relu, ((0, 0), (0, 0), (PP, PP), (PP, PP)), constant_values=-np.inf)
pool = np.zeros((N, O, Hp, Wp))
for i in range(Hp):
    for j in range(Wp):
        pool[:, :, i, j] = rp[:, :, i * PS:i * PS + PK, j * PS:j * PS + PK].max(axis=(2, 3))
gap = pool.mean(axis=(2, 3))


# ---- 2. image transforms ------------------------------------------------------
def coefficients(in_size, out_size):
    scale = in_size / out_size
    filterscale = max(scale, 1.0)
    support = 1.0 * filterscale
    matrix = np.zeros((out_size, in_size))
    for xx in range(out_size):
        center = (xx + 0.5) * scale
        xmin = max(int(center - support + 0.5), 0)
        xmax = min(int(center + support + 0.5), in_size)
        ws = [max(0.0, 1.0 - abs((x + xmin - center + 0.5) / filterscale)) for x in range(xmax - xmin)]
        total = sum(ws)
        for x, weight in enumerate(ws):
            matrix[xx, xmin + x] = weight / total if total != 0 else weight
    return matrix


def resize(image, height, width):
    out = image
    if width != image.shape[2]:
        out = np.einsum('chw,vw->chv', out, coefficients(image.shape[2], width))
    if height != image.shape[1]:
        out = np.einsum('chw,uh->cuw', out, coefficients(image.shape[1], height))
    return out


def shorter_side(h, w, size):
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    return (new_long, new_short) if w <= h else (new_short, new_long)


def center_crop(image, ch, cw):
    _, h, w = image.shape
    if cw > w or ch > h:
        left = (cw - w) // 2 if cw > w else 0
        top = (ch - h) // 2 if ch > h else 0
        right = (cw - w + 1) // 2 if cw > w else 0
        bottom = (ch - h + 1) // 2 if ch > h else 0
        image = np.pad(image, ((0, 0), (top, bottom), (left, right)))
        _, h, w = image.shape
    top = int(round((h - ch) / 2.0))
    left = int(round((w - cw) / 2.0))
    return image[:, top:top + ch, left:left + cw]


image = formula(3 * 10 * 13, 29, 71, 70.0, 0.0).reshape(3, 10, 13)
mean_in = np.array([0.485, 0.456, 0.406], dtype=np.float32).astype(np.float64)
std_in = np.array([0.229, 0.224, 0.225], dtype=np.float32).astype(np.float64)
cases = {
    'resizeShrink4x6': resize(image, 4, 6),
    'resizeMixed17x9': resize(image, 17, 9),
    'resizeGrow13x20': resize(image, 13, 20),
    'resizeShorterSide7': resize(image, *shorter_side(10, 13, 7)),
    'centerCrop6x6': center_crop(image, 6, 6),
    'centerCrop7x8': center_crop(image, 7, 8),
    'centerCrop12x15': center_crop(image, 12, 15),
    'normalized': (image - mean_in[:, None, None]) / std_in[:, None, None],
}


def swift_array(values):
    flat = np.asarray(values, dtype=np.float64).ravel()
    lines, line = [], []
    for v in flat:
        line.append(repr(float(v)))
        if len(line) == 6:
            lines.append('        ' + ', '.join(line) + ',')
            line = []
    if line:
        lines.append('        ' + ', '.join(line) + ',')
    return '[\n' + '\n'.join(lines) + '\n    ]'


out = ['// Generated by Reference/generate_reference.py with numpy ' + np.__version__ + ' (float64).',
       '// Do not edit: change the script and run it again.', '',
       'enum ReferenceValues {']
for name, values in [('conv', conv), ('batchNorm', bn), ('runningMean', running_mean),
                     ('runningVariance', running_var), ('relu', relu), ('maxPool', pool), ('globalAverage', gap)]:
    out.append(f'    /// shape {list(np.shape(values))}')
    out.append(f'    static let {name}: [Double] = ' + swift_array(values))
for name, values in cases.items():
    out.append(f'    /// shape {list(values.shape)}')
    out.append(f'    static let {name}: [Double] = ' + swift_array(values))
out.append('}')
with open('../ReferenceValues.swift', 'w') as f:
    f.write('\n'.join(out) + '\n')
print('wrote ../ReferenceValues.swift')
