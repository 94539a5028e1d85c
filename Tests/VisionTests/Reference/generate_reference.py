#!/usr/bin/env python3
"""Writes ../ReferenceValues.swift: expected outputs computed with numpy (float64).

Run from this folder:  python3 generate_reference.py
Inputs are defined by integer formulas that the Swift tests rebuild exactly
(each value computed in double, then rounded to float32, on both sides).

A tiny conv / batch-norm / ReLU / max-pool / global-average-pool stack with
PyTorch semantics: Conv2d(3, 4, 3, stride 2, padding 1, bias), BatchNorm2d(4)
in training mode (batch statistics, biased variance for normalising,
unbiased for the running variance, momentum 0.1, eps 1e-5), ReLU,
MaxPool2d(3, 2, 1), AdaptiveAvgPool2d(1). The image transforms' values are
written by Tests/ImagesTests/Reference/generate_reference.py.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'Reference'))
from reference_values import formula, write_reference_values  # noqa: E402


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


write_reference_values([('conv', conv), ('batchNorm', bn), ('runningMean', running_mean),
                        ('runningVariance', running_var), ('relu', relu), ('maxPool', pool), ('globalAverage', gap)])
