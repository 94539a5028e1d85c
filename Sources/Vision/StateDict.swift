import Engine
import Support

/// A layer whose sublayers have PyTorch attribute names (`conv1`, `layer1.0`, ...),
/// so that its state dict uses torchvision's keys.
public protocol NamedSublayers: Layer {
    /// Sublayers holding state, with their attribute names, in definition order.
    var namedSublayers: [(name: String, layer: any Layer)] { get }
}

extension Sequential: NamedSublayers {
    /// PyTorch's `nn.Sequential` names its children by position.
    public var namedSublayers: [(name: String, layer: any Layer)] {
        layers.enumerated().map { ("\($0.offset)", $0.element) }
    }
}

extension BasicBlock: NamedSublayers {
    public var namedSublayers: [(name: String, layer: any Layer)] {
        [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2)] + (downsample.map { [("downsample", $0)] } ?? [])
    }
}

extension ResNet18: NamedSublayers {
    public var namedSublayers: [(name: String, layer: any Layer)] {
        var named: [(name: String, layer: any Layer)] = [("conv1", conv1), ("bn1", bn1)]
        for (stage, blocks) in [("layer1", layer1), ("layer2", layer2), ("layer3", layer3), ("layer4", layer4)] {
            for (index, block) in blocks.enumerated() { named.append(("\(stage).\(index)", block)) }
        }
        named.append(("fc", fc))
        return named
    }
}

/// A problem matching a state dict with a model, naming the tensors concerned.
public struct StateDictError: Error, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case missingTensors, unexpectedTensors, shapeMismatch, invalidValue }

    public let kind: Kind
    /// The tensors concerned, in model order (or file order for unexpected ones).
    public let tensors: [String]
    public let detail: String

    public var description: String { detail }
}

/// Named tensors in PyTorch `state_dict()` order: parameters and batch-norm buffers
/// (`running_mean`, `running_var`, `num_batches_tracked`).
public struct StateDict: Sendable {
    public private(set) var entries: [SafeTensors.Entry]

    public init(entries: [SafeTensors.Entry] = []) {
        self.entries = entries
    }

    /// Every tensor of a safetensors file, converted to float32, in file order.
    public init(_ file: SafeTensors) throws {
        entries = try file.tensors.map { info in
            SafeTensors.Entry(name: info.name, tensor: try file.tensor(info.name),
                              dataType: SafeTensors.writableDataTypes.contains(info.dataType) ? info.dataType : .f32)
        }
    }

    /// Reads a safetensors file (see `SafeTensors`).
    public init(contentsOfFile path: String) throws {
        try self.init(SafeTensors(contentsOfFile: path))
    }

    public var names: [String] { entries.map(\.name) }

    /// The tensor called `name`, or nil.
    public subscript(name: String) -> Tensor? {
        entries.first { $0.name == name }?.tensor
    }

    /// Writes the tensors as a safetensors file (F32 values, I64 step counters, as PyTorch saves them).
    public func write(to path: String, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(entries, to: path, metadata: metadata)
    }

    /// The file bytes `write` would produce.
    public func encoded(metadata: [String: String] = [:]) throws -> [UInt8] {
        try SafeTensors.encode(entries, metadata: metadata)
    }
}

/// One named piece of a model's state, readable and writable.
struct StateSlot {
    let name: String
    let shape: [Int]
    let dataType: SafeTensors.DataType
    /// Whether a state dict may leave it out (timm's files omit `num_batches_tracked`).
    let isOptional: Bool
    let get: () -> Tensor
    let set: (Tensor) -> Void

    /// The state of `layer` and its sublayers under `prefix`.
    static func slots(of layer: any Layer, prefix: String = "") -> [StateSlot] {
        if let norm = layer as? BatchNorm {
            let channels = [norm.channels]
            return [
                parameter(norm.weight, prefix: prefix),
                parameter(norm.bias, prefix: prefix),
                StateSlot(name: prefix + "running_mean", shape: channels, dataType: .f32, isOptional: false,
                          get: { norm.runningMean }, set: { norm.runningMean = $0 }),
                StateSlot(name: prefix + "running_var", shape: channels, dataType: .f32, isOptional: false,
                          get: { norm.runningVariance }, set: { norm.runningVariance = $0 }),
                StateSlot(name: prefix + "num_batches_tracked", shape: [], dataType: .i64, isOptional: true,
                          get: { Tensor(repeating: Float(norm.batchesTracked), shape: []) },
                          set: { norm.batchesTracked = Int(saturating: $0[flat: 0]) }),
            ]
        }
        var slots = layer.parameters.map { parameter($0, prefix: prefix) }
        if let named = layer as? any NamedSublayers {
            for (name, sublayer) in named.namedSublayers {
                slots += Self.slots(of: sublayer, prefix: prefix + name + ".")
            }
        } else {
            for (index, sublayer) in layer.sublayers.enumerated() {
                slots += Self.slots(of: sublayer, prefix: prefix + "\(index).")
            }
        }
        return slots
    }

    private static func parameter(_ parameter: Parameter, prefix: String) -> StateSlot {
        StateSlot(name: prefix + parameter.name, shape: parameter.value.shape, dataType: .f32, isOptional: false,
                  get: { parameter.value }, set: { parameter.value = $0 })
    }
}

extension Layer {
    /// The model's parameters and buffers under PyTorch's `state_dict()` names.
    public func stateDict() -> StateDict {
        StateDict(entries: StateSlot.slots(of: self).map {
            SafeTensors.Entry(name: $0.name, tensor: $0.get(), dataType: $0.dataType)
        })
    }

    /// The names `stateDict()` uses, in order.
    public var stateDictNames: [String] { StateSlot.slots(of: self).map(\.name) }

    /// Copies matching tensors from `dict` into the model, like PyTorch's
    /// `load_state_dict`. Every tensor of the model must be present with its exact
    /// shape (except `num_batches_tracked`, which timm's files omit); with `strict`,
    /// no tensor of `dict` may be left unused. Names starting with one of
    /// `excludingPrefixes` are skipped on both sides (e.g. `["fc."]` to keep a
    /// replaced head). Nothing is changed when an error is thrown.
    public func loadStateDict(_ dict: StateDict, strict: Bool = true, excludingPrefixes: [String] = []) throws {
        let excluded = { (name: String) in excludingPrefixes.contains { name.hasPrefix($0) } }
        let slots = StateSlot.slots(of: self).filter { !excluded($0.name) }
        var available: [String: Tensor] = [:]
        for entry in dict.entries where !excluded(entry.name) { available[entry.name] = entry.tensor }

        let missing = slots.filter { available[$0.name] == nil && !$0.isOptional }.map(\.name)
        guard missing.isEmpty else {
            throw StateDictError(kind: .missingTensors, tensors: missing,
                                 detail: "missing \(missing.count) tensor(s): \(Self.list(missing))")
        }
        if strict {
            let known = Set(slots.map(\.name))
            let unexpected = dict.entries.map(\.name).filter { !excluded($0) && !known.contains($0) }
            guard unexpected.isEmpty else {
                throw StateDictError(kind: .unexpectedTensors, tensors: unexpected,
                                     detail: "unexpected \(unexpected.count) tensor(s): \(Self.list(unexpected))")
            }
        }
        var updates: [(StateSlot, Tensor)] = []
        for slot in slots {
            guard let tensor = available[slot.name] else { continue }
            // A scalar counter may come as shape [] or [1].
            let shapeMatches = tensor.shape == slot.shape || (slot.shape.isEmpty && tensor.count == 1)
            guard shapeMatches else {
                throw StateDictError(kind: .shapeMismatch, tensors: [slot.name],
                                     detail: "tensor '\(slot.name)' has shape \(tensor.shape) in the file but \(slot.shape) in the model")
            }
            if slot.dataType == .i64 {
                // Read as float32; a value Int cannot hold (1e30, an I64 near 2^63) would trap when stored.
                let value = tensor[flat: 0]
                guard value >= 0, Int(exactly: value) != nil else {
                    throw StateDictError(kind: .invalidValue, tensors: [slot.name],
                                         detail: "tensor '\(slot.name)' must hold a whole number from 0 to 2^63 - 1, got \(value)")
                }
            } else if let index = tensor.firstNonFiniteIndex {
                throw StateDictError(kind: .invalidValue, tensors: [slot.name],
                                     detail: "tensor '\(slot.name)' holds \(tensor[flat: index]) at index \(index): "
                                         + "weights must be finite numbers")
            }
            updates.append((slot, slot.shape.isEmpty ? tensor.reshaped([]) : tensor))
        }
        for (slot, tensor) in updates { slot.set(tensor) }
    }

    /// Loads a safetensors file (see `loadStateDict(_:strict:excludingPrefixes:)`).
    public func loadSafeTensors(from path: String, strict: Bool = true, excludingPrefixes: [String] = []) throws {
        try loadStateDict(StateDict(contentsOfFile: path), strict: strict, excludingPrefixes: excludingPrefixes)
    }

    /// Saves `stateDict()` as a safetensors file.
    public func saveSafeTensors(to path: String, metadata: [String: String] = [:]) throws {
        try stateDict().write(to: path, metadata: metadata)
    }

    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(8).map { Excerpt.of($0) }.joined(separator: ", ")
        return names.count <= 8 ? shown : shown + ", and \(names.count - 8) more"
    }
}

extension Tensor {
    /// The flat index of the first NaN or infinite element, or nil when all are finite.
    var firstNonFiniteIndex: Int? {
        withUnsafeBufferPointer { values in values.firstIndex { !$0.isFinite } }
    }
}
