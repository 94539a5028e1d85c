#!/usr/bin/env python3
"""Writes the .pth fixtures of Tests/VisionTests/TorchCheckpointTests.swift and
expected.json, the values PyTorch holds for each of their tensors.

Run from the repository root with PyTorch installed (CPU wheel; no torchvision):
    python3 -m venv .build/venv-torch
    .build/venv-torch/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu
    .build/venv-torch/bin/python Tests/VisionTests/Reference/pth/make_fixtures.py

Files (each a few KB):
- tiny_conv.pth: the state dict of Conv2d(2, 3, 3) + BatchNorm2d(3) + Linear(12, 2)
  after two training steps (so running statistics and num_batches_tracked, a
  LongStorage scalar, are not their defaults), plus a transposed (non-contiguous)
  view and two views of one shared storage at different offsets and strides;
- tiny_conv_legacy.pth: the same dict in the pre-1.6 stream layout
  (_use_new_zipfile_serialization=False);
- tiny_conv_protocol4.pth: the same dict with pickle protocol 4 (FRAME, MEMOIZE,
  SHORT_BINUNICODE, STACK_GLOBAL);
- tiny_conv_half.pth: float16 tensors, one bfloat16 tensor and the float64 one;
- tiny_conv_deflated.pth: tiny_conv.pth re-zipped with compressed entries;
- foreign_global.pth: a dict holding a tensor and an object whose __reduce__ names
  os.system (pickled, never called: the reader must refuse it unrun).
"""
import collections
import json
import os
import zipfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def tiny_state_dict():
    torch.manual_seed(12)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3), torch.nn.Flatten(), torch.nn.Linear(12, 2))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(2):
        optimizer.zero_grad()
        net(torch.randn(4, 2, 4, 4)).square().mean().backward()
        optimizer.step()
    state = net.state_dict()
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.25 - 1
    state["views.transposed"] = state["3.weight"].t()       # shape [12, 2], stride (1, 12)
    state["views.rows"] = base[1:]                         # offset 4 in the shared storage
    state["views.column"] = base[:, 1]                     # offset 1, stride 4
    state["views.scalar"] = base[2, 3]                     # shape [], offset 11
    assert not state["views.transposed"].is_contiguous()
    return state


def expected(state):
    return [{"name": name, "shape": list(t.shape), "values": [float(v) for v in t.float().flatten().tolist()]}
            for name, t in state.items()]


def main():
    state = tiny_state_dict()
    values = {}

    def save(name, dictionary, **options):
        torch.save(dictionary, os.path.join(HERE, name), **options)
        values[name] = expected(dictionary)

    save("tiny_conv.pth", state)
    save("tiny_conv_legacy.pth", state, _use_new_zipfile_serialization=False)
    save("tiny_conv_protocol4.pth", state, pickle_protocol=4)

    half = collections.OrderedDict(
        (name, t.half() if t.is_floating_point() else t) for name, t in state.items())
    half["1.running_var"] = state["1.running_var"].bfloat16()
    half["3.bias"] = state["3.bias"].double()
    save("tiny_conv_half.pth", half)

    with zipfile.ZipFile(os.path.join(HERE, "tiny_conv.pth")) as stored, \
            zipfile.ZipFile(os.path.join(HERE, "tiny_conv_deflated.pth"), "w", zipfile.ZIP_DEFLATED) as deflated:
        for info in stored.infolist():
            deflated.writestr(info.filename, stored.read(info.filename))

    class Payload:
        def __reduce__(self):
            return (os.system, ("echo this must never run",))

    torch.save({"weight": torch.ones(2), "payload": Payload()}, os.path.join(HERE, "foreign_global.pth"))

    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump({"torch": torch.__version__, "files": values}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
