"""A straightforward PyTorch version of Part 6, for timing against `nnreport run --only 6`.

Trains the same 21 distinct runs (configs listed below, as the Swift study
builds them) on the same data exported by `nnreport data export DIR`: raw
coordinates (or sine features), Adam, shuffled mini-batches with the last
partial batch kept, and after every epoch an inference-mode evaluation of the
train, validation and test splits in batches of 1024; a 300x300 decision grid
at the end. Prints the wall time of each run and of the whole suite.

    nnreport data export /tmp/map && python3 part6.py /tmp/map

Uses torch's default threading (2 threads on the 2-core machine), one run after
another, as a typical course script would.
"""
import math
import sys
import time

import torch


def load(directory, name):
    rows = [line.rstrip("\n").split(",") for line in open(f"{directory}/{name}.csv")][1:]
    return rows


def tensors(rows, classes):
    x = torch.tensor([[float(r[1]), float(r[2])] for r in rows])
    y = torch.tensor([classes[r[3]] for r in rows])
    return x, y


def sine(x):
    a = torch.arange(1, 11, dtype=torch.float64) / 10
    xd = x.double()
    return torch.cat([torch.sin(xd[:, :1] * a), torch.sin(xd[:, 1:] * a)], dim=1).float()


def mlp(inputs, classes, depth, width, batch_norm, residual):
    class Block(torch.nn.Module):
        def __init__(self, body):
            super().__init__()
            self.body = body

        def forward(self, h):
            return h + self.body(h)

    layers, features = [], inputs
    for index in range(depth):
        hidden = [torch.nn.Linear(features, width)]
        if batch_norm:
            hidden.append(torch.nn.BatchNorm1d(width))
        hidden.append(torch.nn.ReLU())
        if residual and index > 0:
            layers.append(Block(torch.nn.Sequential(*hidden)))
        else:
            layers += hidden
        features = width
    layers.append(torch.nn.Linear(features, classes))
    return torch.nn.Sequential(*layers)


def evaluate(model, x, y):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(x), 1024):
            logits = model(x[start:start + 1024])
            loss += torch.nn.functional.cross_entropy(logits, y[start:start + 1024], reduction="sum").item()
            correct += (logits.argmax(1) == y[start:start + 1024]).sum().item()
    model.train()
    return loss / len(x), correct / len(x)


def train(data, classes, depth, width, lr, batch, epochs, batch_norm=False, residual=False, features="coordinates"):
    torch.manual_seed(0)
    (xt, yt), (xv, yv), (xs, ys) = data
    if features == "sine":
        xt, xv, xs = sine(xt), sine(xv), sine(xs)
    model = mlp(xt.shape[1], classes, depth, width, batch_norm, residual)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history, losses = [], []
    for split in ((xt, yt), (xv, yv), (xs, ys)):
        history.append(evaluate(model, *split))
    for epoch in range(epochs):
        order = torch.randperm(len(xt))
        for start in range(0, len(xt), batch):
            index = order[start:start + batch]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xt[index]), yt[index])
            if not math.isfinite(loss.item()):
                return
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        for split in ((xt, yt), (xv, yv), (xs, ys)):
            history.append(evaluate(model, *split))
    lon = torch.linspace(-12.5, 42.5, 300)
    lat = torch.linspace(33.2, 72.8, 300)
    grid = torch.stack(torch.meshgrid(lat, lon, indexing="ij")[::-1], dim=-1).reshape(-1, 2)
    if features == "sine":
        grid = sine(grid)
    model.eval()
    with torch.no_grad():
        model(grid).argmax(1)


RUNS = (
    [dict(depth=6, width=16, lr=lr, batch=256, epochs=50) for lr in (1, 0.01, 0.001, 0.00001) if lr != 0.001]
    + [dict(depth=6, width=16, lr=0.001, batch=256, epochs=100)]
    + [dict(depth=6, width=16, lr=0.001, batch=256, epochs=50)]
    + [dict(depth=6, width=16, lr=0.001, batch=256, epochs=50, batch_norm=True)]
    + [dict(depth=6, width=16, lr=0.001, batch=b, epochs=e) for b, e in ((1, 1), (16, 10), (128, 50), (1024, 50))]
    + [dict(depth=d, width=w, lr=0.001, batch=256, epochs=50) for d, w in ((1, 16), (2, 16), (10, 16), (6, 8), (6, 32), (6, 64))]
    + [dict(depth=100, width=4, lr=0.001, batch=256, epochs=10, batch_norm=bn, residual=res)
       for bn, res in ((False, False), (True, False), (False, True), (True, True))]
    + [dict(depth=6, width=16, lr=0.001, batch=256, epochs=50, features="sine")]
)

if __name__ == "__main__":
    directory = sys.argv[1]
    splits = [load(directory, name) for name in ("train", "validation", "test")]
    names = sorted({r[3] for r in splits[0]})
    classes = {name: index for index, name in enumerate(names)}
    data = [tensors(rows, classes) for rows in splits]
    only = set(int(i) for i in sys.argv[2:])
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(RUNS)} runs")
    started = time.time()
    for index, run in enumerate(RUNS):
        if only and index not in only:
            continue
        t = time.time()
        train(data, len(names), **run)
        print(f"{index:2d} {run}: {time.time() - t:.1f} s", flush=True)
    print(f"total {time.time() - started:.1f} s")
