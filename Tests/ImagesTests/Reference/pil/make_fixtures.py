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
- ramp_90x70.jpg: the first image as a JPEG (quality 90, 4:2:0);
- rgb16_90x70.png, rgba16_48x40.png, grey16_83x61.png, greyalpha16_40x48.png:
  16-bit PNGs (RGB with a tRNS chunk, RGBA, grey, grey with alpha), written by
  `png16` below since Pillow writes none of them but grey. Their low bytes vary
  over 0..255, so truncating and rounding to 8 bits differ; the grey one has
  samples below and above 255;
- grey16trns_50x30.png: 16-bit grey with a tRNS chunk (the transparent level
  is dropped, as convert("RGB") drops it), written by `png16`;
- interlaced_45x37.png and interlaced_5x3.png: 8-bit RGB, Adam7-interlaced
  (written by `png_interlaced` below: Pillow writes no interlaced PNG); in the
  5x3 image some of the seven passes are empty.

Pillow holds these in 8 bits when it opens them, except grey (mode I;16), and
`check_sixteen_bit_rules` first checks, over all 65,536 samples of each color
type, the reduction that Sources/Images/PNG.swift `eightBitLevel` implements:
the high byte (sample >> 8) for RGB, RGBA and grey with alpha; min(sample, 255)
for grey, whose I;16 -> RGB conversion clips.

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
import io
import json
import os
import struct
import sys
import zlib

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


def chunk(kind, data):
    """A PNG chunk: length, type, data, CRC-32."""
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


def png16(samples, color_type, extra_chunks=b''):
    """The bytes of a non-interlaced 16-bit PNG of `samples` (uint16 [H, W, C]) of
    PNG color type `color_type` (0 grey, 2 RGB, 4 grey+alpha, 6 RGBA)."""
    height, width, _ = samples.shape
    rows = b''.join(b'\0' + samples[y].astype('>u2').tobytes() for y in range(height))
    header = struct.pack('>IIBBBBB', width, height, 16, color_type, 0, 0, 0)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + extra_chunks
            + chunk(b'IDAT', zlib.compress(rows, 9)) + chunk(b'IEND', b''))


def png_interlaced(samples):
    """The bytes of an Adam7-interlaced 8-bit RGB PNG of `samples` (uint8 [H, W, 3]):
    the seven passes' scanlines one after another, each with filter type 0; a pass
    with no column or no row has no scanlines."""
    height, width, _ = samples.shape
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    data = b''
    for x0, y0, dx, dy in passes:
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        data += b''.join(b'\0' + sub[y].astype(np.uint8).tobytes() for y in range(sub.shape[0]))
    header = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 1)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(data, 9))
            + chunk(b'IEND', b''))


def trns(*values):
    """A tRNS chunk naming the transparent grey level or RGB colour."""
    return chunk(b'tRNS', struct.pack('>' + 'H' * len(values), *values))


def eight_bit_level(samples, color_type):
    """What Sources/Images/PNG.swift `eightBitLevel` computes."""
    return np.minimum(samples, 255) if color_type == 0 else samples >> 8


def check_sixteen_bit_rules():
    """Stops unless Pillow's Image.open(f).convert('RGB') gives `eight_bit_level` of
    every 16-bit sample, for each color type, with and without a tRNS chunk."""
    every = np.arange(65536, dtype=np.uint32).reshape(256, 256)
    planes = [every, 65535 - every, every * 7919 % 65536, every * 104729 % 65536]
    for color_type, channels, chunks in [(2, 3, b''), (2, 3, trns(4660, 0, 0)), (6, 4, b''),
                                         (0, 1, b''), (0, 1, trns(4660)), (4, 2, b'')]:
        samples = np.stack(planes[:channels], axis=-1).astype(np.uint16)
        with Image.open(io.BytesIO(png16(samples, color_type, chunks))) as image:
            rgb = np.asarray(image.convert('RGB')).astype(np.int64)
        colors = samples[:, :, :3] if channels >= 3 else samples[:, :, :1].repeat(3, axis=-1)
        if not (rgb == eight_bit_level(colors.astype(np.int64), color_type)).all():
            sys.exit(f'Pillow {PIL.__version__} reduces 16-bit PNGs of color type {color_type} otherwise: '
                     'update eight_bit_level and PNG.eightBitLevel')


def sixteen_bit_pixels(width, height, channels, seed):
    """The 8-bit formula's pixels as high bytes, with low bytes spread over 0..255."""
    y, x = np.mgrid[0:height, 0:width]
    low = np.stack([(x * 37 + y * 101 + (c + seed) * 53) % 256 for c in range(channels)], axis=-1)
    return (pixels(width, height, channels, seed).astype(np.uint16) << 8) | low.astype(np.uint16)


def grey_sixteen_bit_pixels(width, height, seed):
    """Grey samples from 0 to about 600, and 40,000 in a disc: some pass, some clip."""
    y, x = np.mgrid[0:height, 0:width]
    ramp = x * 500 // (width - 1) + y * 60 // (height - 1) + ((x * 7919 + y * 104729 + seed * 31337) % 41)
    disc = (x - 2 * width // 3) ** 2 + (y - height // 3) ** 2 < (min(width, height) // 5) ** 2
    return np.where(disc, 40000, ramp).astype(np.uint16)[:, :, None]


def write_fixtures():
    Image.fromarray(pixels(90, 70, 3, 1), 'RGB').save(os.path.join(HERE, 'ramp_90x70.png'))
    Image.fromarray(pixels(300, 257, 3, 2), 'RGB').save(os.path.join(HERE, 'ramp_300x257.png'))
    Image.fromarray(pixels(61, 83, 1, 3)[:, :, 0], 'L').save(os.path.join(HERE, 'grey_61x83.png'))
    Image.fromarray(pixels(90, 70, 3, 1), 'RGB').save(os.path.join(HERE, 'ramp_90x70.jpg'), quality=90)
    for name, data in [('rgb16_90x70.png', png16(sixteen_bit_pixels(90, 70, 3, 4), 2, trns(0, 0, 0))),
                       ('rgba16_48x40.png', png16(sixteen_bit_pixels(48, 40, 4, 5), 6)),
                       ('grey16_83x61.png', png16(grey_sixteen_bit_pixels(83, 61, 6), 0)),
                       ('greyalpha16_40x48.png', png16(sixteen_bit_pixels(40, 48, 2, 7), 4)),
                       ('grey16trns_50x30.png', png16(grey_sixteen_bit_pixels(50, 30, 8), 0, trns(100))),
                       ('interlaced_45x37.png', png_interlaced(pixels(45, 37, 3, 9))),
                       ('interlaced_5x3.png', png_interlaced(pixels(5, 3, 3, 10)))]:
        with open(os.path.join(HERE, name), 'wb') as f:
            f.write(data)


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
         ('ramp_90x70.jpg', 'pretrained', 64), ('ramp_90x70.jpg', 'scratch', 64),
         ('rgb16_90x70.png', 'pretrained', 64), ('rgb16_90x70.png', 'scratch', 64),
         ('rgba16_48x40.png', 'pretrained', 64), ('rgba16_48x40.png', 'scratch', 32),
         ('grey16_83x61.png', 'pretrained', 64), ('grey16_83x61.png', 'scratch', 48),
         ('greyalpha16_40x48.png', 'pretrained', 64), ('greyalpha16_40x48.png', 'scratch', 32),
         ('grey16trns_50x30.png', 'pretrained', 64), ('grey16trns_50x30.png', 'scratch', 32),
         ('interlaced_45x37.png', 'pretrained', 64), ('interlaced_45x37.png', 'scratch', 32),
         ('interlaced_5x3.png', 'pretrained', 16), ('interlaced_5x3.png', 'scratch', 8)]


def check_interlaced_fixtures():
    """Stops unless Pillow reads the interlaced fixtures as the pixels they were written from."""
    for name, (width, height, seed) in [('interlaced_45x37.png', (45, 37, 9)), ('interlaced_5x3.png', (5, 3, 10))]:
        with Image.open(os.path.join(HERE, name)) as image:
            if image.info.get('interlace') != 1 or not (np.asarray(image.convert('RGB')) == pixels(width, height, 3, seed)).all():
                sys.exit(f'{name} does not read back as the interlaced image it was written as')


def main():
    check_sixteen_bit_rules()
    write_fixtures()
    check_interlaced_fixtures()
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
