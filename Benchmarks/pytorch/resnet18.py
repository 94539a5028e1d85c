"""PyTorch twin of `nnreport bench resnet18`: ResNet18 training and inference images/s.

Does what `ResNetBenchmark.run` (Sources/Bench/ResNetBenchmark.swift) does: a
freshly initialised torchvision ResNet18 with `--classes` outputs (2), Adam at
lr 0.001, softmax cross-entropy, one fixed batch of random normal images
(labels 0, 1, 0, 1, ...). A training step is zero_grad, forward in training
mode, loss, backward, Adam update; an inference step is a forward pass in eval
mode under `torch.inference_mode()`. Each phase runs `--warmup` steps (2), then
is timed until at least `--seconds` have passed and `--min-steps` steps (3)
were taken, as ours is.

    python3 resnet18.py --json --image-size 224 --batch 16 --seconds 3

Prints JSON like `nnreport bench resnet18 --json` (image_size, batch, classes,
train_images_per_s, infer_images_per_s, peak_rss_mib) plus torch's version
and thread count. Uses torch's default threading (2 threads on the 2-core
machine), as ours uses every core by default.
"""
import argparse
import json
import os
import resource
import sys
import time

import torch

# PyPI's torchvision is built for CUDA torch: import it the way the test reference scripts do.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Reference"))
from reference_values import import_torchvision  # noqa: E402


def timed(step, warmup, seconds, min_steps):
    """Seconds per step of `step` after `warmup` untimed steps."""
    for _ in range(warmup):
        step()
    steps = 0
    started = time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds and steps >= min_steps:
            return elapsed / steps


def main():
    parser = argparse.ArgumentParser(description="PyTorch twin of `nnreport bench resnet18`.")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--image-size", type=int, default=64, help="image side in pixels")
    parser.add_argument("--batch", type=int, default=32, help="images per batch")
    parser.add_argument("--classes", type=int, default=2, help="number of classes of the final layer")
    parser.add_argument("--seconds", type=float, default=5, help="minimum seconds to time each phase")
    parser.add_argument("--min-steps", type=int, default=3, help="minimum timed steps per phase")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps before each phase")
    args = parser.parse_args()

    torchvision = import_torchvision()
    torch.manual_seed(7)
    model = torchvision.models.resnet18(num_classes=args.classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    images = torch.randn(args.batch, 3, args.image_size, args.image_size)
    labels = torch.arange(args.batch) % args.classes

    def train_step():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()

    def infer_step():
        with torch.inference_mode():
            model(images)

    if not args.json:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
        print(f"ResNet18, {args.image_size}x{args.image_size}, batch {args.batch}, {args.classes} classes")
    model.train()
    train = timed(train_step, args.warmup, args.seconds, args.min_steps)
    if not args.json:
        print(f"training: {args.batch / train:.1f} images/s", flush=True)
    model.eval()
    infer = timed(infer_step, args.warmup, args.seconds, args.min_steps)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = dict(image_size=args.image_size, batch=args.batch, classes=args.classes,
                  train_images_per_s=args.batch / train, infer_images_per_s=args.batch / infer,
                  peak_rss_mib=peak, torch=torch.__version__, threads=torch.get_num_threads())
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"inference: {args.batch / infer:.1f} images/s")
        print(f"peak resident memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
