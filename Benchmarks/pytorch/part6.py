"""A straightforward PyTorch version of Part 6, for timing against `nnreport run --only 6`.

Trains the same 21 distinct runs (configs listed below, as the Swift study
builds them) on the same data exported by `nnreport data export DIR`, doing
the work `MLPRun.execute` does: raw coordinates (or sine features), Adam,
shuffled mini-batches with the last partial batch kept, each step also summing
the squared weight-gradient norm of every Linear layer (a non-finite loss or
norm stops the run); an inference-mode evaluation of the train, validation and
test splits in batches of 1024 before training and after every epoch; the
model of the best validation epoch kept, restored at the end, and its
predictions on a 300x300 decision grid and on the test split, in batches of
4096. Prints the wall time of each run and of the whole suite.

    nnreport data export /tmp/map && python3 part6.py /tmp/map
    python3 part6.py /tmp/map 3 --json    # only run 3 (6.1.2-q2), one JSON line per run

Uses torch's default threading (2 threads on the 2-core machine), one run after
another, as a typical course script would.
"""
import argparse
import copy
import inspect
import json
import math
import time

import torch

GRID = 300  # side of the decision grid, as the study's (StudySettings.decisionGrid)


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


def linear_layers(model):
    return [module for module in model.modules() if isinstance(module, torch.nn.Linear)]


def step(model, optimizer, linears, x, y):
    """One training step as nnreport's `TrainingSession.step`: forward, loss,
    backward, the squared weight-gradient norm of each Linear layer, Adam update.
    Returns the loss and the norms, or None when either is not finite (the run
    diverged; no update is made)."""
    optimizer.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    if not math.isfinite(loss.item()):
        return None
    loss.backward()
    norms = torch.stack([layer.weight.grad.pow(2).sum() for layer in linears])
    if not torch.isfinite(norms).all():
        return None
    optimizer.step()
    return loss.item(), norms


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


def predict(model, x):
    model.eval()
    with torch.no_grad():
        return torch.cat([model(x[start:start + 4096]).argmax(1) for start in range(0, len(x), 4096)])


def train(data, classes, depth, width, lr, batch, epochs, batch_norm=False, residual=False, features="coordinates"):
    torch.manual_seed(0)
    (xt, yt), (xv, yv), (xs, ys) = data
    if features == "sine":
        xt, xv, xs = sine(xt), sine(xv), sine(xs)
    model = mlp(xt.shape[1], classes, depth, width, batch_norm, residual)
    linears = linear_layers(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history, losses, gradient_norms = [], [], []
    best = None

    def record(epoch):
        metrics = [evaluate(model, *split) for split in ((xt, yt), (xv, yv), (xs, ys))]
        if not all(math.isfinite(loss) for loss, _ in metrics):
            return False
        history.append(metrics)
        nonlocal best
        if best is None or metrics[1][1] > best[0]:
            best = (metrics[1][1], epoch, copy.deepcopy(model.state_dict()))
        return True

    if not record(0):
        return
    for epoch in range(1, epochs + 1):
        order = torch.randperm(len(xt))
        norm_sums = torch.zeros(len(linears))
        for start in range(0, len(xt), batch):
            index = order[start:start + batch]
            result = step(model, optimizer, linears, xt[index], yt[index])
            if result is None:
                return
            losses.append(result[0])
            norm_sums += result[1]
        gradient_norms.append(norm_sums / math.ceil(len(xt) / batch))
        if not record(epoch):
            return
    model.load_state_dict(best[2])
    lon = torch.linspace(-12.5, 42.5, GRID)
    lat = torch.linspace(33.2, 72.8, GRID)
    grid = torch.stack(torch.meshgrid(lat, lon, indexing="ij")[::-1], dim=-1).reshape(-1, 2)
    if features == "sine":
        grid = sine(grid)
    predict(model, grid)
    predict(model, xs)


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
    parser = argparse.ArgumentParser(description="Part 6's runs in PyTorch, timed.")
    parser.add_argument("directory", help="folder written by `nnreport data export`")
    parser.add_argument("runs", nargs="*", type=int, help="indices into RUNS to train (default: all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per run instead of text")
    args = parser.parse_args()
    splits = [load(args.directory, name) for name in ("train", "validation", "test")]
    names = sorted({r[3] for r in splits[0]})
    classes = {name: index for index, name in enumerate(names)}
    data = [tensors(rows, classes) for rows in splits]
    if not args.json:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(RUNS)} runs")
    started = time.time()
    for index, run in enumerate(RUNS):
        if args.runs and index not in args.runs:
            continue
        t = time.time()
        train(data, len(names), **run)
        seconds = time.time() - t
        if args.json:
            # The whole config, train()'s defaults included, for bench-compare to check against ours.
            defaults = {name: p.default for name, p in inspect.signature(train).parameters.items()
                        if p.default is not p.empty}
            config = dict(defaults, **run, optimizer="adam", grid=GRID)
            print(json.dumps(dict(run=index, config=config, seconds=seconds, torch=torch.__version__,
                                  threads=torch.get_num_threads())), flush=True)
        else:
            print(f"{index:2d} {run}: {seconds:.1f} s", flush=True)
    if not args.json:
        print(f"total {time.time() - started:.1f} s")
