/// A pickle reader that builds only what a PyTorch state dict is made of.
///
/// It accepts protocols 2-5 and exactly the opcodes `torch.save` writes for a state
/// dict (containers, ints, floats, strings, booleans, memo, `GLOBAL`/`STACK_GLOBAL`,
/// `REDUCE`, `BUILD`, `BINPERSID`); every other opcode is refused with its name and
/// position. A global is refused as soon as it is named, unless it is one of
/// `TorchGlobal` (`collections.OrderedDict`, `torch._utils._rebuild_tensor_v2`, the
/// storage classes). Nothing is ever called: `REDUCE` of `OrderedDict` makes an empty
/// dict, of `_rebuild_tensor_v2` a `TensorReference`; `BUILD` on a dict (the state
/// dict's `_metadata` attribute) is ignored; a persistent id must be a storage tuple.
/// See https://github.com/python/cpython/blob/main/Lib/pickletools.py for the opcodes.
struct RestrictedUnpickler {
    /// How persistent ids look: the zip layout's have five fields, the legacy one's six.
    enum Layout { case archive, legacy }

    private let bytes: ArraySlice<UInt8>
    private let layout: Layout
    private let fail: Failure
    /// Where reading continues after `run()`: the byte after STOP.
    private(set) var position: Int
    private var objects: [PickleObject] = []
    private var stack: [Int] = []
    private var marks: [Int] = []
    private var memo: [Int: Int] = [:]
    private var opcodeStart = 0

    init(bytes: ArraySlice<UInt8>, start: Int, layout: Layout, fail: Failure) {
        self.bytes = bytes
        self.layout = layout
        self.fail = fail
        position = start
    }

    /// Reads opcodes up to STOP and returns what the pickle built.
    mutating func run() throws -> PickleGraph {
        guard try byte() == 0x80 else { throw error(.invalidPickle, "does not start with a PROTO opcode") }
        let version = try byte()
        guard (2...5).contains(version) else { throw error(.invalidPickle, "pickle protocol \(version) is not one torch.save writes (2-5)") }
        while true {
            opcodeStart = position
            let code = try byte()
            switch code {
            case 0x2E: // STOP
                guard let root = stack.popLast(), stack.isEmpty, marks.isEmpty else {
                    throw error(.invalidPickle, "STOP with \(stack.count) object(s) and \(marks.count) mark(s) left")
                }
                return PickleGraph(objects: objects, root: root)
            case 0x95: _ = try take(8) // FRAME: a length hint
            case 0x28: marks.append(stack.count) // MARK
            case 0x29: push(.tuple([])) // EMPTY_TUPLE
            case 0x74: push(.tuple(try popMark())) // TUPLE
            case 0x85, 0x86, 0x87: push(.tuple(try pop(Int(code) - 0x84))) // TUPLE1-3
            case 0x5D: push(.list([])) // EMPTY_LIST
            case 0x61: try append(try pop(1)) // APPEND
            case 0x65: try append(try popMark()) // APPENDS
            case 0x7D: push(.dict([])) // EMPTY_DICT
            case 0x73: try setItems(try pop(2)) // SETITEM
            case 0x75: try setItems(try popMark()) // SETITEMS
            case 0x4E: push(.none) // NONE
            case 0x88, 0x89: push(.bool(code == 0x88)) // NEWTRUE, NEWFALSE
            case 0x4B: push(.int(Int64(try byte()))) // BININT1
            case 0x4D: push(.int(Int64(try unsigned(2)))) // BININT2
            case 0x4A: push(.int(Int64(Int32(truncatingIfNeeded: try unsigned(4))))) // BININT
            case 0x8A: push(try long(Int(try byte()))) // LONG1
            case 0x47: push(.float(Double(bitPattern: try take(8).reduce(0) { $0 << 8 | UInt64($1) }))) // BINFLOAT, big-endian
            case 0x58: push(.string(try text(Int(try unsigned(4))))) // BINUNICODE
            case 0x8C: push(.string(try text(Int(try byte())))) // SHORT_BINUNICODE
            case 0x71: try put(Int(try byte())) // BINPUT
            case 0x72: try put(Int(try unsigned(4))) // LONG_BINPUT
            case 0x94: try put(memo.count) // MEMOIZE
            case 0x68: try get(Int(try byte())) // BINGET
            case 0x6A: try get(Int(try unsigned(4))) // LONG_BINGET
            case 0x63: push(.global(try global(module: try line(), name: try line()))) // GLOBAL
            case 0x93: // STACK_GLOBAL
                let names = try pop(2)
                guard case .string(let module) = objects[names[0]], case .string(let name) = objects[names[1]] else {
                    throw error(.invalidPickle, "STACK_GLOBAL needs two strings")
                }
                push(.global(try global(module: module, name: name)))
            case 0x52: push(try reduce(try pop(2))) // REDUCE
            case 0x62: try build(state: try pop(1)[0]) // BUILD
            case 0x51: push(.storage(try persistentStorage(try pop(1)[0]))) // BINPERSID
            default:
                throw error(.forbiddenOpcode, "opcode \(Self.opcodeName(code)) is not one a state dict uses; nothing was executed")
            }
        }
    }

    // MARK: Stack, memo, input

    private func error(_ kind: TorchCheckpointProblem, _ detail: String) -> TorchCheckpointError {
        fail(kind, "\(detail) (pickle byte \(opcodeStart - bytes.startIndex))")
    }

    private mutating func push(_ object: PickleObject) {
        objects.append(object)
        stack.append(objects.count - 1)
    }

    private mutating func pop(_ count: Int) throws -> [Int] {
        guard stack.count - (marks.last ?? 0) >= count else { throw error(.invalidPickle, "stack underflow") }
        defer { stack.removeLast(count) }
        return Array(stack.suffix(count))
    }

    private mutating func popMark() throws -> [Int] {
        guard let mark = marks.popLast() else { throw error(.invalidPickle, "no MARK to pop to") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
    }

    private mutating func put(_ key: Int) throws {
        guard let top = stack.last else { throw error(.invalidPickle, "memo put on an empty stack") }
        memo[key] = top
    }

    private mutating func get(_ key: Int) throws {
        guard let object = memo[key] else { throw error(.invalidPickle, "memo key \(key) was never stored") }
        stack.append(object)
    }

    private mutating func byte() throws -> UInt8 {
        guard position < bytes.endIndex else { throw fail(.truncated, "the pickle ends before its STOP opcode") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count <= bytes.endIndex - position else { throw fail(.truncated, "the pickle ends inside an opcode's argument") }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func unsigned(_ count: Int) throws -> UInt32 {
        try take(count).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    private mutating func long(_ count: Int) throws -> PickleObject {
        let digits = try take(count)
        guard count <= 8 else { return .longBytes(Array(digits)) }
        guard let last = digits.last else { return .int(0) }
        // Sign-extend the little-endian two's-complement digits to 64 bits.
        let fill: UInt64 = last & 0x80 == 0 ? 0 : ~0
        let value = (0..<8).reduce(UInt64(0)) { value, index in
            value | (index < count ? UInt64(digits[digits.startIndex + index]) : fill & 0xFF) << (8 * UInt64(index))
        }
        return .int(Int64(bitPattern: value))
    }

    private mutating func text(_ count: Int) throws -> String {
        guard let text = String(validating: try take(count), as: UTF8.self) else {
            throw error(.invalidPickle, "a string is not valid UTF-8")
        }
        return text
    }

    /// A GLOBAL argument: text up to a newline, at most 256 bytes.
    private mutating func line() throws -> String {
        let end = bytes[position...].prefix(257).firstIndex(of: 0x0A)
        guard let end else { throw error(.invalidPickle, "GLOBAL name is not a line of at most 256 bytes") }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    // MARK: Objects

    private func global(module: String, name: String) throws -> TorchGlobal {
        guard let global = TorchGlobal(rawValue: module + "." + name) else {
            throw error(.forbiddenGlobal, "refers to the global \(module).\(name), which a state dict does not use; "
                        + "only collections.OrderedDict, torch._utils._rebuild_tensor_v2 and torch storage classes are accepted, "
                        + "and nothing was executed")
        }
        return global
    }

    private mutating func append(_ items: [Int]) throws {
        guard let target = stack.last, case .list(var list) = objects[target] else {
            throw error(.invalidPickle, "APPEND to \(stack.last.map { objects[$0].kind } ?? "nothing"), not a list")
        }
        objects[target] = .none // drop the old copy so appending does not copy the whole list
        list += items
        objects[target] = .list(list)
    }

    private mutating func setItems(_ items: [Int]) throws {
        guard items.count % 2 == 0, let target = stack.last, case .dict(var dict) = objects[target] else {
            throw error(.invalidPickle, "SETITEM on \(stack.last.map { objects[$0].kind } ?? "nothing"), not a dict, or an odd number of items")
        }
        objects[target] = .none // drop the old copy so appending does not copy the whole dict
        for index in stride(from: 0, to: items.count, by: 2) { dict.append((items[index], items[index + 1])) }
        objects[target] = .dict(dict)
    }

    private func build(state: Int) throws {
        guard let target = stack.last, case .dict = objects[target] else {
            throw error(.invalidPickle, "BUILD on \(stack.last.map { objects[$0].kind } ?? "nothing"); "
                        + "only a dict's attributes (the state dict's _metadata) are accepted")
        }
        // The attribute state (`_metadata`, the modules' versions) has no bearing on the values: ignored.
    }

    private func reduce(_ pair: [Int]) throws -> PickleObject {
        guard case .global(let callable) = objects[pair[0]], case .tuple(let arguments) = objects[pair[1]] else {
            throw error(.invalidPickle, "REDUCE of \(objects[pair[0]].kind) with \(objects[pair[1]].kind)")
        }
        switch callable {
        case .orderedDict:
            guard arguments.isEmpty else { throw error(.invalidPickle, "OrderedDict is rebuilt from arguments, not from ()") }
            return .dict([])
        case .rebuildTensor:
            return .tensor(try rebuildTensor(arguments))
        default:
            throw error(.invalidPickle, "REDUCE calls \(callable.rawValue), which a state dict never calls")
        }
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`.
    private func rebuildTensor(_ arguments: [Int]) throws -> TensorReference {
        guard (6...7).contains(arguments.count), case .storage(let storage) = objects[arguments[0]],
              case .int(let offset) = objects[arguments[1]], let shape = integers(arguments[2]),
              let strides = integers(arguments[3]), case .bool = objects[arguments[4]] else {
            // The arguments come from the file: a tuple of thousands is described by its first items.
            let shown = arguments.prefix(7).map { objects[$0].kind }.joined(separator: ", ")
            throw error(.invalidPickle, "_rebuild_tensor_v2 expects (storage, offset, size, stride, requires_grad, hooks), got "
                        + "\(arguments.count) argument\(arguments.count == 1 ? "" : "s"): " + shown
                        + (arguments.count > 7 ? ", and \(arguments.count - 7) more" : ""))
        }
        return TensorReference(storage: storage, offset: Int(offset), shape: shape, strides: strides)
    }

    private func integers(_ index: Int) -> [Int]? {
        guard case .tuple(let items) = objects[index] else { return nil }
        var values: [Int] = []
        for item in items {
            guard case .int(let value) = objects[item] else { return nil }
            values.append(Int(value))
        }
        return values
    }

    /// A persistent id: `('storage', type, key, location, numel)`, plus `view_metadata`
    /// (which must be None) in the legacy layout.
    private func persistentStorage(_ id: Int) throws -> StorageReference {
        let fields = layout == .archive ? 5 : 6
        guard case .tuple(let items) = objects[id], items.count == fields, case .string("storage") = objects[items[0]],
              case .global(let type) = objects[items[1]], let dataType = type.storageType,
              case .string(let key) = objects[items[2]], case .string = objects[items[3]],
              case .int(let count) = objects[items[4]], count >= 0 else {
            throw error(.invalidPickle, "a persistent id is not ('storage', torch.<Type>Storage, key, location, numel"
                        + (layout == .archive ? ")" : ", view_metadata)"))
        }
        if layout == .legacy, !objects[items[5]].isNone {
            throw error(.invalidPickle, "storage \(key) is a view of another storage, which pre-1.0 PyTorch wrote; "
                        + "load and save the file again with a current torch.save")
        }
        return StorageReference(key: key, dataType: dataType, count: Int(count))
    }

    private static func opcodeName(_ code: UInt8) -> String {
        let names: [UInt8: String] = [
            0x63: "GLOBAL", 0x69: "INST", 0x6F: "OBJ", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX", 0x50: "PERSID", 0x82: "EXT1",
            0x83: "EXT2", 0x84: "EXT4", 0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP", 0x46: "FLOAT", 0x49: "INT", 0x4C: "LONG",
            0x53: "STRING", 0x54: "BINSTRING", 0x55: "SHORT_BINSTRING", 0x56: "UNICODE", 0x64: "DICT", 0x6C: "LIST",
            0x67: "GET", 0x70: "PUT", 0x8B: "LONG4", 0x8D: "BINUNICODE8", 0x8E: "BINBYTES8", 0x42: "BINBYTES",
            0x43: "SHORT_BINBYTES", 0x8F: "EMPTY_SET", 0x90: "ADDITEMS", 0x91: "FROZENSET", 0x96: "BYTEARRAY8",
            0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER", 0x80: "PROTO",
        ]
        let hex = String(code, radix: 16)
        return (names[code].map { $0 + " " } ?? "") + "(0x" + (hex.count == 1 ? "0" : "") + hex + ")"
    }
}
