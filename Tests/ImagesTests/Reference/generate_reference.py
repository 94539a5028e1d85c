#!/usr/bin/env python3
"""Writes ../ReferenceValues.swift: expected outputs computed with numpy (float64).

Run from this folder:  python3 generate_reference.py
Inputs are defined by integer formulas that the Swift tests rebuild exactly
(each value computed in double, then rounded to float32, on both sides).

Image transforms with torchvision semantics: PIL's antialiased bilinear
resampling (Pillow src/libImaging/Resample.c, precompute_coeffs with the
bilinear filter, support 1, scaled by the shrink factor), Resize(int)
output size, CenterCrop offsets (Python round, zero padding), Normalize.
(Until the image code left Vision, these values were written together with
the conv stack's by Tests/VisionTests/Reference/generate_reference.py.)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'Reference'))
from reference_values import formula, write_reference_values  # noqa: E402


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


write_reference_values(cases.items())
