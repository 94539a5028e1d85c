"""PyTorch twin of `nnreport bench mlp`: training steps/s of the study's MLPs.

Does what `MLPBenchmark.measure` (Sources/Bench/MLPBenchmark.swift) does for
each case: random data of max(64 batches, 16,384) rows, 2 inputs uniform over
longitude -10..40 and latitude 35..71, 16 classes; the net of part6.py (Linear
and ReLU, optionally BatchNorm1d, then Linear to 16 classes), Adam at lr 0.001,
softmax cross-entropy. A step is part6.py's `step` (forward, backward, the
Linear layers' squared gradient norms, Adam update) on the next batch of one
fixed shuffled order. Timing as ours: a warm-up of min(batches per pass, 200)
steps, a probe whose step count is multiplied by 4 until it takes over 0.05 s,
then as many steps as fill `--seconds`, timed as one block.

    python3 mlp.py --json --seconds 1 --only mlp-6x16:1,mlp-6x16:1024

Prints JSON like `nnreport bench mlp --json` (name, batch, steps_per_s,
samples_per_s), plus torch's version and thread count. Uses torch's default
threading (2 threads on the 2-core machine); ours runs each case on one core.
PyTorch's BatchNorm1d refuses a batch of 1 in training mode, so that case is
skipped (ours normalises it to zeros, as the engine defines it).
"""
import argparse
import json
import sys
import time

import torch

from part6 import linear_layers, mlp, step

# (name, depth, width, batch norm, batch): Sources/Bench/MLPBenchmark.swift's standardCases.
CASES = (
    [("mlp-6x16", 6, 16, False, batch) for batch in (1, 16, 128, 1024)]
    + [("mlp-6x16-bn", 6, 16, True, batch) for batch in (1, 16, 128, 1024)]
    + [("mlp-100x4", 100, 4, False, 256)]
)
CLASSES = 16


def measure(name, depth, width, batch_norm, batch, seconds):
    torch.manual_seed(1)
    rows = max(batch * 64, 16_384)
    x = torch.stack([torch.empty(rows).uniform_(-10, 40), torch.empty(rows).uniform_(35, 71)], dim=1)
    y = torch.randint(CLASSES, (rows,))
    model = mlp(2, CLASSES, depth, width, batch_norm, residual=False)
    linears = linear_layers(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    order = torch.randperm(rows)
    batches_per_pass = rows // batch
    cursor = 0

    def run_steps(count):
        nonlocal cursor
        for _ in range(count):
            index = order[cursor * batch:(cursor + 1) * batch]
            step(model, optimizer, linears, x[index], y[index])
            cursor = (cursor + 1) % batches_per_pass

    run_steps(min(batches_per_pass, 200))
    probe_steps = 16
    while True:
        started = time.perf_counter()
        run_steps(probe_steps)
        elapsed = time.perf_counter() - started
        if elapsed > 0.05:
            break
        probe_steps *= 4
    steps = max(1, int(probe_steps * seconds / elapsed))
    started = time.perf_counter()
    run_steps(steps)
    elapsed = time.perf_counter() - started
    return dict(name=name, batch=batch, steps_per_s=steps / elapsed, samples_per_s=steps * batch / elapsed,
                torch=torch.__version__, threads=torch.get_num_threads())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="PyTorch twin of `nnreport bench mlp`.")
    parser.add_argument("--json", action="store_true", help="print one JSON array instead of a table")
    parser.add_argument("--seconds", type=float, default=1.0, help="seconds to time each case")
    parser.add_argument("--only", help="only the cases whose name (or name:batch) is listed, comma-separated")
    args = parser.parse_args()
    selected = set(args.only.split(",")) if args.only else None
    results = []
    if not args.json:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
        print(f"{'case':14}{'batch':>7}{'steps/s':>12}{'samples/s':>14}")
    for name, depth, width, batch_norm, batch in CASES:
        if selected and name not in selected and f"{name}:{batch}" not in selected:
            continue
        if batch_norm and batch == 1:
            print(f"{name}:1 skipped: BatchNorm1d does not train on a batch of 1", file=sys.stderr)
            continue
        result = measure(name, depth, width, batch_norm, batch, args.seconds)
        results.append(result)
        if not args.json:
            print(f"{name:14}{batch:>7}{result['steps_per_s']:>12.1f}{result['samples_per_s']:>14.1f}", flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
