// libFuzzer target: the whole weights-loading path of `--weights`
// (`StateDict(weightsFile:source:)` in Sources/Vision/StateDict+Formats.swift:
// format detection, safetensors, PyTorch zip and legacy checkpoints with the
// restricted unpickler), then `loadStateDict` into a small Conv2d + BatchNorm2d
// model (shape, finiteness and `num_batches_tracked` checks). Any input must give
// tensors or a weights-file error naming the input, never a crash.

import Engine

/// Conv2d(2, 3, 3) + BatchNorm2d(3): the first layers of the fixtures in
/// Tests/VisionTests/Reference/pth, so their tensors load into it.
private let model: Sequential = {
    var rng = RNG(seed: 0)
    return Sequential([try! Conv2D(2, 3, kernelSize: 3, rng: &rng), try! BatchNorm(channels: 3, kind: .twoDimensional)])
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWeights(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let dict: StateDict
    do {
        dict = try StateDict(weightsFile: bytes, source: "fuzz")
    } catch {
        precondition(error is SafeTensorsError || error is TorchCheckpointError, "\(type(of: error)): \(error)")
        checkMessage("\(error)")
        return 0
    }
    for entry in dict.entries {
        precondition(entry.tensor.shape.allSatisfy { $0 >= 0 } && entry.tensor.scalars.count == entry.tensor.count)
    }
    do {
        try model.loadStateDict(dict, strict: false)
    } catch {
        precondition(error is StateDictError, "\(type(of: error)): \(error)")
        checkMessage("\(error)")
        return 0
    }
    for entry in model.stateDict().entries {
        precondition(entry.tensor.scalars.allSatisfy(\.isFinite), "\(entry.name) was loaded with a value that is not finite")
    }
    return 0
}

/// A message names the input and echoes no value whole (values are cut to about 80 characters).
private func checkMessage(_ message: String) {
    precondition(message.hasPrefix("fuzz: ") || message.hasPrefix("tensor ") || message.hasPrefix("missing ")
                 || message.hasPrefix("unexpected "), message)
    precondition(message.count <= 1_000, "a message of \(message.count) characters: \(message.prefix(200))…")
}
