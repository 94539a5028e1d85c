"""A straightforward PyTorch version of Part 7, for timing against `nnreport run --only 7`.

Does the runs of the default Part 7 study (as Sources/Study/Part7 builds them) on
a folder in the course's layout, such as `nnreport data export-faces DIR` writes:

- XGBoost on the flattened centre 64x64 crop of the from-scratch view, eta 0.1,
  0.01 and 1e-5, 10 rounds (`xgboost.train`'s default, ours too), depth-6
  `binary:logistic` trees with `tree_method="exact"` and `base_score=0.5`, which
  were XGBoost 1.7's defaults (ours links Debian's 1.7.4; 2.0 and later default
  to `hist` and estimate the base score from the labels);
- torchvision's ResNet18 with one output and `BCEWithLogitsLoss`, Adam at lr
  0.1, 0.01, 0.001, 0.0001 and 0.00001, batch 32, one epoch, shuffled batches
  with the last partial batch kept: from scratch, linear probing (the
  pretrained backbone frozen in eval mode, only `fc` trained), fine-tuning
  (every weight trained from the pretrained backbone);
- logistic regression on the frozen backbone's 512 pooled features:
  scikit-learn's liblinear solver with C = 1, intercept scaling 1 (its bias is
  regularised, as in LIBLINEAR with `-B 1`) and LIBLINEAR's own tolerance for
  this solver, 0.01, which ours uses.

Images are read as torchvision users read them: `Image.open(f).convert("RGB")`,
then `Resize(round(S * 256 / 224))`, `CenterCrop(S)`, `ToTensor()` and ImageNet
`Normalize` for the pretrained backbone, `Resize((S, S))` and `ToTensor()` from
scratch (S = 64). A network is evaluated once, after its last epoch, on the three
splits in inference mode (batches of 64 images); its test accuracy is that of
the logit's sign, XGBoost's and logistic regression's that of probability > 0.5.
The best learning rate of a method is the one of highest mean test accuracy
(ties to the lower test loss, then the earlier rate), as in the report's summary.

Linear probing and logistic regression share the frozen backbone's features,
computed once in eval mode (as nnreport does; training the head on them is the
same arithmetic as a frozen-backbone loop, without the repeated forward passes).
Their time is printed on a line of its own and counted in the total.

The pretrained backbone is `--weights FILE`: a ResNet18 state dict with
torchvision's names, `.safetensors` (such as the backbone nnreport pretrains and
caches as `<cache>/backbones/<key>.safetensors`) or a `.pth` from `torch.save`;
`fc.*` is ignored. Without it, the three methods that need it are skipped.

    nnreport data export-faces /tmp/faces
    nnreport run --only 7 --faces /tmp/faces --only-dependencies   # our backbone, cached
    .build/bench-venv/bin/python Benchmarks/pytorch/part7.py /tmp/faces \
        --weights Output/.cache/backbones/*.safetensors

from the repository root, with a venv holding the CPU wheel of torch (torchvision
is imported without its compiled operators, as Tests/Reference/reference_values.py
explains):
    python3 -m venv .build/bench-venv
    .build/bench-venv/bin/pip install torch                      # CPU wheel
    .build/bench-venv/bin/pip install --no-deps torchvision      # the version matching torch
    .build/bench-venv/bin/pip install pillow numpy xgboost scikit-learn safetensors

`--seeds N` repeats every run with seeds 0 ... N-1 and prints means with 95%
intervals (Student's t); `--only finetune,probe` runs only those methods. Uses
torch's default threading (2 threads on the 2-core machine) and XGBoost's
(every core), one run after another.
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Reference"))
from reference_values import import_torchvision  # noqa: E402

torchvision = import_torchvision()
from torchvision import transforms  # noqa: E402

NETWORK_RATES = (0.1, 0.01, 0.001, 0.0001, 0.00001)
XGBOOST_RATES = (0.1, 0.01, 0.00001)
CLASS_FOLDERS = (("0_real", "real"), ("1_fake", "fake"))
EXTENSIONS = (".png", ".jpg", ".jpeg")
MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


def load_split(directory, split, size):
    """The split's three views, class 0 then class 1, each sorted by file name."""
    pretrained = transforms.Compose([transforms.Resize(round(size * 256 / 224)), transforms.CenterCrop(size),
                                     transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    scratch = transforms.Compose([transforms.Resize((size, size)), transforms.ToTensor()])
    views, labels = ([], []), []
    for label, names in enumerate(CLASS_FOLDERS):
        folder = next(os.path.join(directory, split, n) for n in names if os.path.isdir(os.path.join(directory, split, n)))
        for name in sorted(os.listdir(folder)):
            if name.startswith(".") or not name.lower().endswith(EXTENSIONS):
                continue
            image = Image.open(os.path.join(folder, name)).convert("RGB")
            views[0].append(pretrained(image))
            views[1].append(scratch(image))
            labels.append(label)
    pretrained_x, scratch_x = torch.stack(views[0]), torch.stack(views[1])
    xgboost_x = transforms.CenterCrop(64)(scratch_x).reshape(len(labels), -1).numpy()
    return dict(pretrained=pretrained_x, scratch=scratch_x, xgboost=xgboost_x, y=torch.tensor(labels))


def load_backbone(path):
    """The state dict of `path` without `fc.*`."""
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        state = load_file(path)
    else:
        state = torch.load(path, map_location="cpu", weights_only=True)
    return {name: tensor for name, tensor in state.items() if not name.startswith("fc.")}


def resnet18(backbone=None):
    model = torchvision.models.resnet18(num_classes=1)
    if backbone is not None:
        missing, unexpected = model.load_state_dict(backbone, strict=False)
        if set(missing) != {"fc.weight", "fc.bias"} or unexpected:
            sys.exit(f"the weights are not a ResNet18 backbone: missing {missing}, unexpected {unexpected}")
    return model


def split_metrics(probabilities, labels):
    """Log loss (clipped to [1e-7, 1 - 1e-7], as ours) and accuracy at probability > 0.5."""
    p = np.clip(probabilities, 1e-7, 1 - 1e-7)
    y = np.asarray(labels)
    loss = -np.mean(np.where(y == 1, np.log(p), np.log(1 - p)))
    return float(loss), float(np.mean((probabilities > 0.5) == y))


def evaluate(model, x, y, batch):
    """Mean BCE and accuracy of the logit's sign, in inference mode."""
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(x), batch):
            logits = model(x[start:start + batch]).squeeze(1)
            target = y[start:start + batch]
            loss += torch.nn.functional.binary_cross_entropy_with_logits(logits, target.float(), reduction="sum").item()
            correct += ((logits > 0).long() == target).sum().item()
    model.train()
    return loss / len(x), correct / len(x)


def train_network(model, params, splits, lr, epochs, batch=32, evaluation_batch=64):
    """Adam on BCE with logits; returns the final epoch's (loss, accuracy) per split, or None if it diverged."""
    (xt, yt), *_ = splits
    optimizer = torch.optim.Adam(params, lr=lr)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(xt))
        for start in range(0, len(xt), batch):
            index = order[start:start + batch]
            optimizer.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(xt[index]).squeeze(1), yt[index].float())
            if not math.isfinite(loss.item()):
                return None
            loss.backward()
            optimizer.step()
        metrics = [evaluate(model, x, y, evaluation_batch) for x, y in splits]
        if not all(math.isfinite(loss) for loss, _ in metrics):
            return None
    return metrics


class Backbone:
    """The pretrained weights, and the frozen backbone's features computed once."""

    def __init__(self, weights, data):
        self.weights, self.data, self._features = weights, data, None

    def features(self):
        if self._features is None:
            started = time.time()
            model = resnet18(self.weights)
            model.fc = torch.nn.Identity()
            model.eval()
            with torch.no_grad():
                self._features = [torch.cat([model(split["pretrained"][s:s + 64]) for s in range(0, len(split["y"]), 64)])
                                  for split in self.data]
            print(f"   frozen backbone's features of {sum(len(f) for f in self._features)} images "
                  f"(shared by probing and logistic regression): {time.time() - started:.1f} s", flush=True)
        return self._features


def run(method, lr, seed, data, backbone, args):
    """One run; returns [(loss, accuracy) of train, val, test] or None if it diverged."""
    if method == "xgboost":
        import xgboost
        train = xgboost.DMatrix(data[0]["xgboost"], label=data[0]["y"].numpy())
        booster = xgboost.train({"objective": "binary:logistic", "eta": lr, "tree_method": "exact", "base_score": 0.5,
                                 "seed": seed}, train, num_boost_round=args.xgboost_rounds)
        return [split_metrics(booster.predict(xgboost.DMatrix(s["xgboost"])), s["y"].numpy()) for s in data]
    if method == "logreg":
        from sklearn.linear_model import LogisticRegression
        features = [f.double().numpy() for f in backbone.features()]
        model = LogisticRegression(solver="liblinear", C=1.0, tol=0.01, intercept_scaling=1.0)
        model.fit(features[0], data[0]["y"].numpy())
        return [split_metrics(model.predict_proba(f)[:, 1], s["y"].numpy()) for f, s in zip(features, data)]
    torch.manual_seed(seed)
    if method == "probe":
        head = torch.nn.Linear(512, 1)
        splits = [(f, s["y"]) for f, s in zip(backbone.features(), data)]
        return train_network(head, head.parameters(), splits, lr, args.face_epochs, evaluation_batch=1024)
    model = resnet18(backbone.weights if method == "finetune" else None)
    view = "scratch" if method == "scratch" else "pretrained"
    splits = [(s[view], s["y"]) for s in data]
    return train_network(model, model.parameters(), splits, lr, args.face_epochs)


def estimate(values):
    """Mean and 95% interval (Student's t, as ours)."""
    t = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228)
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, None
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    half = (t[len(values) - 2] if len(values) <= 11 else 1.96) * sd / math.sqrt(len(values))
    return mean, (mean - half, mean + half)


def accuracy_text(values):
    mean, interval = estimate(values)
    return f"{mean:.3f}" + (f" ({interval[0]:.3f}-{interval[1]:.3f})" if interval else "")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", help="train/, val/, test/, each with 0_real/ and 1_fake/")
    parser.add_argument("--weights", help="pretrained ResNet18 backbone (.safetensors or .pth, torchvision names)")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--face-epochs", type=int, default=1)
    parser.add_argument("--xgboost-rounds", type=int, default=10)
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--only", help="comma-separated methods: xgboost, scratch, probe, logreg, finetune")
    args = parser.parse_args()

    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, {torch.get_num_threads()} threads", flush=True)
    started = time.time()
    data = [load_split(args.directory, split, args.image_size) for split in ("train", "val", "test")]
    print(f"   read {sum(len(s['y']) for s in data)} images: {time.time() - started:.1f} s", flush=True)
    backbone = Backbone(load_backbone(args.weights), data) if args.weights else None
    methods = [("xgboost", XGBOOST_RATES), ("scratch", NETWORK_RATES)]
    if backbone:
        methods += [("probe", NETWORK_RATES), ("logreg", (None,)), ("finetune", NETWORK_RATES)]
    else:
        print("   no --weights: probing, logistic regression and fine-tuning skipped", flush=True)
    if args.only:
        methods = [(method, rates) for method, rates in methods if method in args.only.split(",")]

    results = []
    for method, rates in methods:
        for lr in rates:
            t = time.time()
            seeds = [run(method, lr, seed, data, backbone, args) for seed in range(args.seeds)]
            seconds = time.time() - t
            diverged = any(s is None for s in seeds)
            test = [s[2] for s in seeds if s is not None]
            results.append(dict(method=method, lr=lr, diverged=diverged, seconds=seconds,
                                accuracy=[a for _, a in test], loss=[l for l, _ in test]))
            text = "diverged" if diverged else "test acc " + accuracy_text(results[-1]["accuracy"])
            print(f"{method:8s} {'' if lr is None else f'lr {lr:g}':10s} {text}, {seconds:.1f} s", flush=True)
    total = time.time() - started

    print("\nbest learning rate of each method (highest mean test accuracy):")
    print(f"{'method':10s} {'lr':>8s}  {'test accuracy':24s} {'seconds (all its rates)':>24s}")
    for method, _ in methods:
        runs = [r for r in results if r["method"] == method]
        trained = [r for r in runs if not r["diverged"]]
        best = min(trained, key=lambda r: (-estimate(r["accuracy"])[0], estimate(r["loss"])[0])) if trained else None
        rate = "-" if best is None or best["lr"] is None else f"{best['lr']:g}"
        accuracy = "all diverged" if best is None else accuracy_text(best["accuracy"])
        print(f"{method:10s} {rate:>8s}  {accuracy:24s} {sum(r['seconds'] for r in runs):24.1f}")
    print(f"total {total:.1f} s (reading the images, every run and the shared features)")
