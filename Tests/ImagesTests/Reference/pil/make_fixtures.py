#!/usr/bin/env python3
"""Writes the image fixtures of Tests/ImagesTests/PILParityTests.swift and
expected.json: the tensors torchvision's usual transforms make of them, read with
PIL as torchvision's ImageFolder reads files (`Image.open(path).convert("RGB")`).

Run from the repository root with PyTorch, torchvision and Pillow installed:
    python3 -m venv .build/venv-torch
    .build/venv-torch/bin/pip install torch pillow numpy         # CPU wheel of torch
    .build/venv-torch/bin/pip install --no-deps torchvision      # the version matching torch
    .build/venv-torch/bin/python Tests/ImagesTests/Reference/pil/make_fixtures.py

Fixtures (pixels from integer formulas: smooth ramps, a hard-edged disc and a
fine texture, so that both rounding and antialiasing matter):
- ramp_90x70.png: RGB, 90 wide and 70 high;
- ramp_300x257.png: RGB, 300 x 257;
- grey_61x83.png: 8-bit grey (replicated to RGB by convert);
- ramp_90x70.jpg: the first image as a JPEG (quality 90, 4:2:0).

Each case applies one of the study's pipelines (Sources/Images/ImageTransforms.swift
`ImagePipeline`) in torchvision's words:
- pretrained(S): Resize(round(S * 256 / 224)), CenterCrop(S), ToTensor(),
  Normalize(ImageNet mean, std);
- scratch(S): Resize((S, S)), ToTensor().
PIL resizes the uint8 image in 8 bits (fixed-point weights, rounding to 0..255
after each pass) before ToTensor divides by 255. Recorded per case: the shape,
the SHA-256 of the float32 tensor's little-endian bytes, its float64 sum and 16
values at evenly spaced flat indices (to say where a difference lies).
"""
import hashlib
import json
import os
import sys

import numpy as np
import PIL
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'Reference'))
from reference_values import import_torchvision  # noqa: E402

torchvision = import_torchvision()
T = torchvision.transforms
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def pixels(width, height, channels, seed):
    y, x = np.mgrid[0:height, 0:width]
    planes = []
    for c in range(channels):
        ramp = (x * (200 + 20 * c)) // max(width - 1, 1) + (y * (55 - 10 * c)) // max(height - 1, 1)
        disc = ((x - width // 3) ** 2 + (y - height // 2) ** 2 < (min(width, height) // 3) ** 2) * (60 - 50 * c)
        texture = ((x * 7919 + y * 104729 + (c + seed) * 31337) % 41) - 20
        planes.append(np.clip(ramp + disc + texture, 0, 255))
    return np.stack(planes, axis=-1).astype(np.uint8)


def write_fixtures():
    Image.fromarray(pixels(90, 70, 3, 1), 'RGB').save(os.path.join(HERE, 'ramp_90x70.png'))
    Image.fromarray(pixels(300, 257, 3, 2), 'RGB').save(os.path.join(HERE, 'ramp_300x257.png'))
    Image.fromarray(pixels(61, 83, 1, 3)[:, :, 0], 'L').save(os.path.join(HERE, 'grey_61x83.png'))
    Image.fromarray(pixels(90, 70, 3, 1), 'RGB').save(os.path.join(HERE, 'ramp_90x70.jpg'), quality=90)


def pipeline(kind, size):
    if kind == 'pretrained':
        return T.Compose([T.Resize(int(size * 256 / 224 + 0.5)), T.CenterCrop(size), T.ToTensor(),
                          T.Normalize(IMAGENET_MEAN, IMAGENET_STD)])
    return T.Compose([T.Resize((size, size)), T.ToTensor()])


CASES = [('ramp_90x70.png', 'pretrained', 64), ('ramp_90x70.png', 'scratch', 64),
         ('ramp_90x70.png', 'pretrained', 96),  # Resize(110) enlarges
         ('ramp_300x257.png', 'pretrained', 224), ('ramp_300x257.png', 'scratch', 80),
         ('grey_61x83.png', 'pretrained', 64),
         ('grey_61x83.png', 'scratch', 48),  # height shrinks by 35, width by 13: Pillow 13 resamples columns first
         ('ramp_90x70.jpg', 'pretrained', 64), ('ramp_90x70.jpg', 'scratch', 64)]


def main():
    write_fixtures()
    cases = []
    for file, kind, size in CASES:
        with Image.open(os.path.join(HERE, file)) as image:
            tensor = pipeline(kind, size)(image.convert('RGB'))
        values = tensor.numpy().astype('<f4')
        flat = values.ravel()
        indices = np.linspace(0, flat.size - 1, 16).round().astype(int).tolist()
        cases.append({'file': file, 'pipeline': kind, 'size': size, 'shape': list(values.shape),
                      'sha256': hashlib.sha256(values.tobytes()).hexdigest(), 'sum': float(flat.astype(np.float64).sum()),
                      'indices': indices, 'values': [float(flat[i]) for i in indices]})
    result = {'generator': 'Tests/ImagesTests/Reference/pil/make_fixtures.py', 'pillow': PIL.__version__,
              'torchvision': torchvision.__version__, 'cases': cases}
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(result, f, indent=1)
        f.write('\n')
    print(f'wrote {len(cases)} cases with Pillow {PIL.__version__}, torchvision {torchvision.__version__}')


if __name__ == '__main__':
    main()
