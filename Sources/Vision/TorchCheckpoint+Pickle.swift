/// A storage a checkpoint's pickle refers to by persistent id:
/// `('storage', torch.<Type>Storage, key, location, numel[, view_metadata])`.
struct StorageReference: Equatable {
    let key: String
    let dataType: SafeTensors.DataType
    /// Elements of `dataType`, as the pickle declares them.
    let count: Int
}

/// A tensor as `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)` rebuilds it.
struct TensorReference {
    let storage: StorageReference
    let offset: Int
    let shape: [Int]
    let strides: [Int]
}

/// One object the unpickler built. Containers hold indices into the graph's
/// object list, so no object owns another: a deep or cyclic structure cannot
/// overflow the stack when it is freed or inspected.
enum PickleObject {
    case none
    case bool(Bool)
    case int(Int64)
    /// A long too wide for 64 bits, as its little-endian two's-complement bytes.
    case longBytes([UInt8])
    case float(Double)
    case string(String)
    case tuple([Int])
    case list([Int])
    case dict([(key: Int, value: Int)])
    case global(TorchGlobal)
    case storage(StorageReference)
    case tensor(TensorReference)

    var isNone: Bool {
        if case .none = self { true } else { false }
    }

    /// What the object is, for error messages (never its contents, which may be large).
    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .int, .longBytes: "an int"
        case .float: "a float"
        case .string: "a string"
        case .tuple(let items): "a tuple of \(items.count)"
        case .list: "a list"
        case .dict: "a dict"
        case .global(let global): global.rawValue
        case .storage: "a storage"
        case .tensor: "a tensor"
        }
    }
}

/// The only globals a state dict's pickle names.
enum TorchGlobal: String, CaseIterable {
    case orderedDict = "collections.OrderedDict"
    case rebuildTensor = "torch._utils._rebuild_tensor_v2"
    case floatStorage = "torch.FloatStorage", halfStorage = "torch.HalfStorage", bfloat16Storage = "torch.BFloat16Storage"
    case doubleStorage = "torch.DoubleStorage", longStorage = "torch.LongStorage", intStorage = "torch.IntStorage"
    case shortStorage = "torch.ShortStorage", charStorage = "torch.CharStorage", byteStorage = "torch.ByteStorage"
    case boolStorage = "torch.BoolStorage"

    /// The element type of a storage class.
    var storageType: SafeTensors.DataType? {
        switch self {
        case .orderedDict, .rebuildTensor: nil
        case .floatStorage: .f32
        case .halfStorage: .f16
        case .bfloat16Storage: .bf16
        case .doubleStorage: .f64
        case .longStorage: .i64
        case .intStorage: .i32
        case .shortStorage: .i16
        case .charStorage: .i8
        case .byteStorage: .u8
        case .boolStorage: .bool
        }
    }
}

/// The objects of one pickle and the one it returned.
struct PickleGraph {
    var objects: [PickleObject]
    let root: Int

    var rootObject: PickleObject { objects[root] }

    /// The value stored under the string `key` when the root is a dict.
    func dictValue(forKey key: String) -> PickleObject? {
        guard case .dict(let items) = rootObject else { return nil }
        return items.first { if case .string(key) = objects[$0.key] { true } else { false } }.map { objects[$0.value] }
    }

    /// The root as a list of strings (the legacy layout's storage keys).
    func stringList(fail: Failure) throws -> [String] {
        guard case .list(let items) = rootObject else {
            throw fail(.invalidPickle, "the storage keys are \(rootObject.kind), not a list")
        }
        return try items.map { item in
            guard case .string(let key) = objects[item] else {
                throw fail(.invalidPickle, "a storage key is \(objects[item].kind), not a string")
            }
            return key
        }
    }

    /// Every storage the pickle refers to, in order of first reference.
    var storages: [StorageReference] {
        objects.compactMap { if case .storage(let storage) = $0 { storage } else { nil } }
    }

    /// The root as a state dict: string keys mapped to tensors, in order.
    func stateDictItems(fail: Failure) throws -> [(String, TensorReference)] {
        guard case .dict(let items) = rootObject else {
            throw fail(.notAStateDict, "holds \(rootObject.kind), not a state dict (a dict of tensors)")
        }
        var seen = Set<String>()
        return try items.map { item in
            guard case .string(let name) = objects[item.key] else {
                throw fail(.notAStateDict, "has a key that is \(objects[item.key].kind), not a tensor name")
            }
            guard case .tensor(let tensor) = objects[item.value] else {
                throw fail.naming(name)(.notAStateDict, "is \(objects[item.value].kind), not a tensor")
            }
            guard seen.insert(name).inserted else { throw fail.naming(name)(.notAStateDict, "appears twice") }
            return (name, tensor)
        }
    }
}
