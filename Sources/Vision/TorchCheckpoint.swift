import Support
import Engine
import Foundation

/// What is wrong with a PyTorch checkpoint.
public enum TorchCheckpointProblem: String, Sendable {
    case unreadable, truncated, corrupt, unsupportedArchive, forbiddenOpcode, forbiddenGlobal
    case invalidPickle, notAStateDict, unsupportedDataType, invalidTensor
}

/// A problem with a PyTorch checkpoint (`.pth`), naming the file and, where it
/// applies, the tensor, archive entry, pickle opcode or global concerned.
public typealias TorchCheckpointError = WeightsFileError<TorchCheckpointProblem>

/// A PyTorch state dict as `torch.save` writes it, read without running Python or
/// any code the file names.
///
/// Two layouts are accepted, recognised by their first bytes:
/// - the zip archive of PyTorch 1.6 and later (`PK\x03\x04`): `<name>/data.pkl` holds
///   the pickled dict, `<name>/data/<key>` each raw storage, entries STORED
///   (uncompressed), CRC-32 checked;
/// - the legacy stream (`_use_new_zipfile_serialization=False`, and torchvision's
///   older files): four pickles (magic number, protocol 1001, system info, the dict),
///   the list of storage keys, then each storage as an int64 element count and its
///   bytes.
///
/// The pickle is read by `RestrictedUnpickler`, which accepts only the opcodes and
/// globals a state dict uses and refuses anything else before it is built. Storages
/// are little-endian; float32, float16, bfloat16, float64 and integer storages are
/// converted to float32 (integers by value), honouring each tensor's storage offset
/// and strides, so views and storages shared by several tensors give PyTorch's
/// values. Any byte string gives a checkpoint or a `TorchCheckpointError`, never a crash.
public struct TorchCheckpoint: Sendable {
    /// The file name used in error messages.
    public let source: String
    /// The tensors in the dict's order, with the element type they were stored as
    /// (F32 for types the safetensors writer does not produce).
    public let entries: [SafeTensors.Entry]

    /// Whether `bytes` start like a checkpoint `torch.save` writes: a zip archive or a pickle.
    public static func recognises(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: StoredZipArchive.localHeaderMagic) || (bytes.count >= 2 && bytes[0] == 0x80 && (2...5).contains(bytes[1]))
    }

    /// Reads and checks the checkpoint at `path`.
    public init(contentsOfFile path: String) throws {
        try self.init(bytes: TorchCheckpointError.contents(of: path, unreadable: .unreadable), source: path)
    }

    /// Reads an in-memory checkpoint; `source` names it in error messages.
    public init(bytes: [UInt8], source: String = "<memory>") throws {
        self.source = source
        let fail = Failure(file: source)
        let storages: StorageReader
        let root: PickleGraph
        if bytes.starts(with: StoredZipArchive.localHeaderMagic) {
            (root, storages) = try Self.readArchive(bytes, fail: fail)
        } else if bytes.first == 0x80 {
            (root, storages) = try Self.readLegacy(bytes, fail: fail)
        } else {
            throw fail(.notAStateDict, "is neither a zip archive nor a pickle, the two layouts torch.save writes")
        }
        var decoded: [String: [Float]] = [:]
        var entries: [SafeTensors.Entry] = []
        for (name, reference) in try root.stateDictItems(fail: fail) {
            let values: [Float]
            if let known = decoded[reference.storage.key] {
                values = known
            } else {
                values = try storages.decode(reference.storage, fail: fail.naming(name))
                decoded[reference.storage.key] = values
            }
            let tensor = try reference.gather(from: values, fail: fail.naming(name))
            let dataType = SafeTensors.writableDataTypes.contains(reference.storage.dataType) ? reference.storage.dataType : .f32
            entries.append(SafeTensors.Entry(name: name, tensor: tensor, dataType: dataType))
        }
        self.entries = entries
    }

    /// The zip layout: the one `<name>/data.pkl` and its `<name>/data/<key>` storages.
    private static func readArchive(_ bytes: [UInt8], fail: Failure) throws -> (PickleGraph, StorageReader) {
        let archive = try StoredZipArchive(bytes, fail: fail)
        let pickles = archive.names.filter { name in
            name.hasSuffix("/data.pkl") && name.dropLast("/data.pkl".count).allSatisfy { $0 != "/" }
        }
        guard pickles.count == 1, let pickle = pickles.first else {
            throw fail(.notAStateDict, pickles.isEmpty
                       ? "is a zip archive without <name>/data.pkl, not a checkpoint written by torch.save"
                       : "holds \(pickles.count) data.pkl records (\(Excerpt.of(pickles.joined(separator: ", ")))); torch.save writes one")
        }
        let prefix = String(pickle.dropLast("data.pkl".count))
        if let order = try archive.contents(of: prefix + "byteorder"), !order.elementsEqual("little".utf8) {
            throw fail(.unsupportedArchive, "stores its tensors in byte order '\(Excerpt.of(String(decoding: order, as: UTF8.self)))'; only little-endian files are read")
        }
        guard let pickleBytes = try archive.contents(of: pickle) else { throw fail(.corrupt, "cannot find \(pickle)") }
        var unpickler = RestrictedUnpickler(bytes: pickleBytes, start: pickleBytes.startIndex, layout: .archive, fail: fail.within(pickle))
        let graph = try unpickler.run()
        return (graph, .archive(archive, prefix: prefix + "data/"))
    }

    /// The legacy layout: magic number, protocol version, system info, the dict,
    /// the storage keys, then the storages in that order.
    private static func readLegacy(_ bytes: [UInt8], fail: Failure) throws -> (PickleGraph, StorageReader) {
        var offset = 0
        func next(_ what: String) throws -> PickleGraph {
            var unpickler = RestrictedUnpickler(bytes: bytes[...], start: offset, layout: .legacy, fail: fail.within("the \(what) pickle"))
            let graph = try unpickler.run()
            offset = unpickler.position
            return graph
        }
        // 0x1950a86a20f9469cfc6c, as pickle writes a long: little-endian two's complement.
        let magic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
        guard case .longBytes(let found) = try next("magic number").rootObject, found == magic else {
            throw fail(.notAStateDict, "starts with a pickle that is not torch.save's magic number")
        }
        guard case .int(let version) = try next("protocol version").rootObject, version == 1001 else {
            throw fail(.unsupportedArchive, "has a legacy protocol version other than 1001")
        }
        let systemInfo = try next("system info")
        if case .bool(false) = systemInfo.dictValue(forKey: "little_endian") {
            throw fail(.unsupportedArchive, "was written on a big-endian machine; only little-endian files are read")
        }
        let root = try next("state dict")
        let keys = try next("storage keys").stringList(fail: fail)
        let storages = try LegacyStorages(bytes, start: offset, keys: keys, references: root.storages, fail: fail)
        return (root, .legacy(storages))
    }
}

/// Builds `TorchCheckpointError`s for one file, optionally about one tensor or
/// within one part of the file.
struct Failure {
    let file: String
    var tensor: String?
    var context: String?

    init(file: String, tensor: String? = nil, context: String? = nil) {
        self.file = file
        self.tensor = tensor
        self.context = context
    }

    func naming(_ tensor: String) -> Failure { Failure(file: file, tensor: tensor, context: context) }
    func within(_ context: String) -> Failure { Failure(file: file, tensor: tensor, context: context) }

    func callAsFunction(_ kind: TorchCheckpointProblem, _ detail: String) -> TorchCheckpointError {
        TorchCheckpointError(kind: kind, file: file, tensor: tensor, detail: context.map { "\($0): " + detail } ?? detail)
    }
}
