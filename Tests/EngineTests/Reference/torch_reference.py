"""Generates TorchReferenceValues.swift: PyTorch's numbers for a small network.

Two networks with weights given by a formula (so the Swift test can build the
same ones): Linear(2, 4, bias=False) -> BatchNorm1d(4) -> ReLU -> Linear(4, 3),
and Linear(2, 4) -> ReLU -> Linear(4, 3). Each is trained three steps on a fixed
batch with Adam; the first also with SGD (momentum, weight decay). Recorded: the
loss of every step, every parameter gradient of the first step, every parameter
and BatchNorm running statistic after the last step, and the inference-mode
logits after it.

The batch-norm network has no bias before BatchNorm: that bias has a zero
gradient in exact arithmetic, so both frameworks see only round-off there, and
Adam, which divides by the gradient's own magnitude, turns different round-off
into different full-size steps.

Every number is also computed in float64; the difference between PyTorch's own
float32 and float64 results (`*Noise`) measures how much float32 round-off can
move each number, and the Swift test allows a few times that on top of a small
relative tolerance. (Near-zero gradients, e.g. of a weight whose effect batch
norm almost cancels, are dominated by round-off, and Adam divides by the
gradient's magnitude, so such parameters move differently in any two float32
implementations.)

Run with PyTorch 2.x (CPU):  python3 torch_reference.py > ../TorchReferenceValues.swift
Produced with torch 2.13.0+cpu, float32, default settings.
"""
import math
import torch



def formula(count, offset):
    return [0.5 * math.sin(0.37 * k + offset) for k in range(count)]


def build(batch_norm):
    if batch_norm:
        layers = [torch.nn.Linear(2, 4, bias=False), torch.nn.BatchNorm1d(4), torch.nn.ReLU(), torch.nn.Linear(4, 3)]
    else:
        layers = [torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3)]
    model = torch.nn.Sequential(*layers)
    with torch.no_grad():
        linear = [p for m in model if isinstance(m, torch.nn.Linear) for p in m.parameters()]
        for offset, parameter in enumerate(linear):
            parameter.copy_(torch.tensor(formula(parameter.numel(), offset)).reshape(parameter.shape))
    return model


X = [[3.2, 45.1], [-1.5, 60.25], [12.0, 38.5], [25.75, 52.0], [7.5, 70.5]]
y = torch.tensor([0, 2, 1, 1, 0])


def run(make_optimizer, batch_norm, dtype=torch.float32):
    torch.set_default_dtype(dtype)
    torch.manual_seed(0)
    # float32 input values in both precisions, so only the arithmetic differs.
    x = torch.tensor(X, dtype=torch.float32).to(dtype)
    model = build(batch_norm)
    optimizer = make_optimizer(model.parameters())
    losses, first_gradients = [], None
    for step in range(3):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        if step == 0:
            first_gradients = [p.grad.detach().clone().flatten().tolist() for p in model.parameters()]
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        logits = model(x).flatten().tolist()
    parameters = [p.detach().flatten().tolist() for p in model.parameters()]
    bn = model[1] if batch_norm else None
    return {
        "losses": losses, "firstGradients": first_gradients, "parameters": parameters,
        "runningMean": bn.running_mean.tolist() if bn else [], "runningVariance": bn.running_var.tolist() if bn else [],
        "evalLogits": logits,
    }


def run_both(make_optimizer, batch_norm):
    single = run(make_optimizer, batch_norm, torch.float32)
    double = run(make_optimizer, batch_norm, torch.float64)
    single["noise"] = {key: flatten_difference(single[key], double[key]) for key in single}
    torch.set_default_dtype(torch.float32)
    return single


def flatten_difference(a, b):
    if isinstance(a, list) and a and isinstance(a[0], list):
        return [flatten_difference(u, v) for u, v in zip(a, b)]
    if isinstance(a, list):
        return [abs(u - v) for u, v in zip(a, b)]
    return abs(a - b)


def swift_array(values):
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def fields(result):
    return [
        f"losses: {swift_array(result['losses'])}",
        "firstGradients: [" + ", ".join(swift_array(g) for g in result["firstGradients"]) + "]",
        "parameters: [" + ", ".join(swift_array(p) for p in result["parameters"]) + "]",
        f"runningMean: {swift_array(result['runningMean'])}",
        f"runningVariance: {swift_array(result['runningVariance'])}",
        f"evalLogits: {swift_array(result['evalLogits'])}",
    ]


def emit(name, result):
    lines = [f"    static let {name} = Case("]
    lines += ["        " + field + "," for field in fields(result)]
    lines.append("        noise: Values(" + ", ".join(fields(result["noise"])) + "))")
    return "\n".join(lines)


adam = run_both(lambda p: torch.optim.Adam(p, lr=0.01), batch_norm=True)
sgd = run_both(lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=0.01), batch_norm=True)
plain = run_both(lambda p: torch.optim.Adam(p, lr=0.01), batch_norm=False)
print("// Generated by Reference/torch_reference.py with torch " + torch.__version__ + "; do not edit.")
print("// adam, sgd: Linear(2,4,bias=False) -> BatchNorm1d(4) -> ReLU -> Linear(4,3);")
print("// plain: Linear(2,4) -> ReLU -> Linear(4,3); three steps on a fixed batch each.")
print("")
print("enum TorchReference {")
print("    struct Values {")
print("        var losses: [Double]")
print("        var firstGradients: [[Double]]")
print("        var parameters: [[Double]]")
print("        var runningMean: [Double]")
print("        var runningVariance: [Double]")
print("        var evalLogits: [Double]")
print("    }")
print("")
print("    /// PyTorch's float32 results, and |float32 - float64| for each number.")
print("    struct Case {")
print("        var losses: [Double]")
print("        var firstGradients: [[Double]]")
print("        var parameters: [[Double]]")
print("        var runningMean: [Double]")
print("        var runningVariance: [Double]")
print("        var evalLogits: [Double]")
print("        var noise: Values")
print("    }")
print("")
print("    static let input: [Float] = " + swift_array(torch.tensor(X, dtype=torch.float32).flatten().tolist()))
print("    static let labels: [Int32] = [" + ", ".join(str(int(v)) for v in y.tolist()) + "]")
print("")
print(emit("adam", adam))
print("")
print(emit("sgd", sgd))
print("")
print(emit("plain", plain))
print("}")
