#!/usr/bin/env python3
"""Writes expected.json, torchvision's ResNet18 on weights and images defined by
integer formulas, for Tests/VisionTests/ResNet18ParityTests.swift (which rebuilds the
same weights and images and compares).

Run from the repository root with PyTorch and torchvision installed (CPU wheels;
only torchvision's pure-Python model definition is used):
    python3 -m venv .build/venv-torch
    .build/venv-torch/bin/pip install torch                      # CPU wheel
    .build/venv-torch/bin/pip install --no-deps torchvision      # the version matching torch
    .build/venv-torch/bin/python Tests/VisionTests/Reference/resnet18/make_reference.py

Every tensor of the state dict (parameters and batch-norm buffers, in
`state_dict()` order; tensor t) is `formula(count, 31 + 10 t, 1009, scale, offset)`
of Tests/Reference/reference_values.py (computed in double, rounded to float32):
- convolution weights uniform in [-a, a) with a = sqrt(6 / fan_in), so their
  variance is Kaiming's 2 / fan_in and activations keep their scale;
- fc weight and bias uniform in [-a, a) with a = 1 / sqrt(512) (PyTorch's bound);
- batch norm: weight in [0.75, 1.25), bias in [0.5, 1), and perturbed running
  statistics, running_mean in [-0.3, 0.3) and running_var in [0.5, 2), so that
  eval mode really normalises with them; num_batches_tracked stays 0.
  The positive biases keep most ReLU inputs away from zero: with biases around 0,
  a few inputs of the last ReLUs lay within float32 round-off of the kink, and
  PyTorch's own float32 gradients then differed from the float64 ones by up to
  19% of their scale (a flipped ReLU moves a whole channel's gradient); with
  these biases they agree to 3e-5.
The images are `formula(4·3·64·64, 37, 1013, 1013 / 4, -2)`, values in [-2, 2),
shaped [4, 3, 64, 64]: 64 pixels take every stage down to 2x2, through every
downsample path.

Recorded (computed in float64 from the float32 weights and images, so the numbers
are the exact answer the Swift float32 engine approximates):
- eval: logits of resnet18(num_classes=10) and the 512-d pooled features;
- train: resnet18(num_classes=1) in training mode (batch statistics), binary
  cross-entropy on the logit (BCEWithLogitsLoss, Part 7's loss) against labels
  [0, 1, 1, 0], one Adam step (lr 1e-3, PyTorch's defaults otherwise): the loss,
  sampled gradients and values after the step of a few parameters, and two
  layers' running statistics after the batch.
- float32Error: how far PyTorch's own float32 computation lands from the float64
  answer (max |difference| / max |value| per quantity), the scale of round-off the
  Swift test's tolerances are set against.
"""
import json
import math
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'Reference'))
from reference_values import formula, import_torchvision  # noqa: E402

torchvision = import_torchvision()

MODULUS = 1009
SHAPE = (4, 3, 64, 64)
LABELS = [0, 1, 1, 0]
LEARNING_RATE = 1e-3
TRACKED = ['conv1.weight', 'bn1.weight', 'layer1.0.conv2.weight', 'layer2.0.downsample.0.weight',
           'layer3.1.bn2.bias', 'layer4.1.conv2.weight', 'fc.weight', 'fc.bias']
RUNNING = ['bn1', 'layer2.0.downsample.1', 'layer4.1.bn2']
SAMPLES = 48


def bounds(name, shape):
    """(low, high) of the uniform values of tensor `name`, or None for a counter."""
    if name.endswith('num_batches_tracked'):
        return None
    if name.endswith('running_mean'):
        return -0.3, 0.3
    if name.endswith('running_var'):
        return 0.5, 2.0
    if len(shape) == 4:
        a = math.sqrt(6 / (shape[1] * shape[2] * shape[3]))
        return -a, a
    if name.startswith('fc.'):
        a = 1 / math.sqrt(512)
        return -a, a
    if name.endswith('weight'):
        return 0.75, 1.25
    return 0.5, 1.0


def tensor_values(index, name, shape):
    count = int(np.prod(shape, dtype=np.int64))
    low_high = bounds(name, shape)
    if low_high is None:
        return np.zeros(count)
    low, high = low_high
    # ((i m) mod p) / scale + offset spans [low, high): scale = p / (high - low).
    return formula(count, 31 + 10 * index, MODULUS, MODULUS / (high - low), low).reshape(shape)


def build(num_classes, dtype):
    model = torchvision.models.resnet18(num_classes=num_classes)
    state = model.state_dict()
    for index, (name, tensor) in enumerate(state.items()):
        values = tensor_values(index, name, tuple(tensor.shape))
        state[name] = torch.from_numpy(values).to(tensor.dtype if name.endswith('num_batches_tracked') else torch.float64)
    model = model.to(dtype)
    model.load_state_dict(state)
    return model


def images(dtype):
    return torch.from_numpy(formula(int(np.prod(SHAPE)), 37, 1013, 1013 / 4, -2).reshape(SHAPE)).to(dtype)


def evaluate(dtype):
    model = build(10, dtype).eval()
    x = images(dtype)
    with torch.no_grad():
        features = torch.flatten(model.avgpool(model.layer4(model.layer3(model.layer2(model.layer1(
            model.maxpool(model.relu(model.bn1(model.conv1(x))))))))), 1)
        logits = model(x)
        assert torch.equal(model.fc(features), logits)
    return logits.double().numpy(), features.double().numpy()


def train_step(dtype):
    model = build(1, dtype).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    optimizer.zero_grad()
    logits = model(images(dtype))
    loss = torch.nn.BCEWithLogitsLoss()(logits, torch.tensor(LABELS, dtype=dtype).reshape(-1, 1))
    loss.backward()
    parameters = dict(model.named_parameters())
    gradients = {name: parameters[name].grad.detach().double().flatten().numpy().copy() for name in TRACKED}
    optimizer.step()
    after = {name: parameters[name].detach().double().flatten().numpy().copy() for name in TRACKED}
    modules = dict(model.named_modules())
    running = {name: (modules[name].running_mean.double().numpy().copy(), modules[name].running_var.double().numpy().copy())
               for name in RUNNING}
    return loss.item(), gradients, after, running


def relative(a, b):
    """max |a - b| / max |b|: a difference measured against the quantity's scale."""
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))) / np.max(np.abs(b)))


def numbers(values):
    # Ten significant digits: far below float32's 1e-7, and a smaller file.
    return [float(f'{v:.10g}') for v in np.asarray(values, dtype=np.float64).ravel()]


def main():
    torch.set_num_threads(1)
    logits, features = evaluate(torch.float64)
    logits32, features32 = evaluate(torch.float32)
    loss, gradients, after, running = train_step(torch.float64)
    loss32, gradients32, _, _ = train_step(torch.float32)

    tensors = {}
    for name in TRACKED:
        count = gradients[name].size
        indices = sorted(set(np.linspace(0, count - 1, min(SAMPLES, count)).round().astype(int).tolist()))
        tensors[name] = {'count': count, 'indices': indices,
                         'gradient': numbers(gradients[name][indices]), 'after': numbers(after[name][indices]),
                         'gradientScale': float(np.max(np.abs(gradients[name])))}
    result = {
        'generator': 'Tests/VisionTests/Reference/resnet18/make_reference.py',
        'torch': torch.__version__, 'torchvision': torchvision.__version__,
        'modulus': MODULUS, 'imageShape': list(SHAPE), 'labels': LABELS, 'learningRate': LEARNING_RATE,
        'eval': {'logits': numbers(logits), 'features': numbers(features)},
        'train': {'loss': loss, 'tensors': tensors,
                  'running': {name: {'mean': numbers(mean), 'var': numbers(var)} for name, (mean, var) in running.items()}},
        'float32Error': {
            'logits': relative(logits32, logits), 'features': relative(features32, features),
            'loss': abs(loss32 - loss) / abs(loss),
            'gradients': max(relative(gradients32[name], gradients[name]) for name in TRACKED),
        },
    }
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(result, f, indent=1)
        f.write('\n')
    print(json.dumps({'logitScale': float(np.max(np.abs(logits))), 'featureScale': float(np.max(np.abs(features))),
                      'loss': loss, 'float32Error': result['float32Error']}, indent=1))


if __name__ == '__main__':
    main()
