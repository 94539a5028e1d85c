import Engine
import Foundation
import Testing
import TestSupport
@testable import Vision

/// PyTorch checkpoints written by `Reference/pth/make_fixtures.py` (torch.save), read
/// back and compared with the values the script recorded in `expected.json`.
@Suite struct TorchCheckpointTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Reference/pth")

    struct Expected {
        let name: String
        let shape: [Int]
        let values: [Float]
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    /// The tensors the script saved in `file`, as PyTorch held them (converted to float32).
    static func expected(_ file: String) throws -> [Expected] {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json")))
        guard let files = (root as? [String: Any])?["files"] as? [String: Any], let entries = files[file] as? [[String: Any]] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return entries.map { entry in
            Expected(name: entry["name"] as? String ?? "", shape: entry["shape"] as? [Int] ?? [],
                     values: (entry["values"] as? [Double] ?? []).map { Float($0) })
        }
    }

    private func expectError(_ bytes: [UInt8], _ kind: TorchCheckpointProblem, mentioning words: [String],
                             sourceLocation: SourceLocation = #_sourceLocation) {
        if let error = #expect(throws: TorchCheckpointError.self, sourceLocation: sourceLocation, performing: {
            try TorchCheckpoint(bytes: bytes, source: "model.pth")
        }) {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            let text = "\(error)"
            #expect(text.hasPrefix("model.pth: "), "\(text)", sourceLocation: sourceLocation)
            for word in words { #expect(text.contains(word), "'\(word)' not in: \(text)", sourceLocation: sourceLocation) }
        }
    }

    @Test(.tags(.numerics), arguments: ["tiny_conv.pth", "tiny_conv_legacy.pth", "tiny_conv_protocol4.pth", "tiny_conv_half.pth"])
    func readsWhatPyTorchSaved(file: String) throws {
        let checkpoint = try TorchCheckpoint(bytes: Self.fixture(file), source: file)
        let expected = try Self.expected(file)
        #expect(checkpoint.entries.map(\.name) == expected.map(\.name), "the dict's order")
        for (entry, reference) in zip(checkpoint.entries, expected) {
            #expect(entry.tensor.shape == reference.shape, "\(entry.name)")
            // Bit-exact: float16, bfloat16 and float64 values are converted as PyTorch's .float() does.
            #expect(entry.tensor.scalars == reference.values, "\(entry.name)")
        }
        #expect(checkpoint.entries.contains { $0.name == "1.num_batches_tracked" && $0.dataType == .i64 })
    }

    @Test(.tags(.numerics)) func viewsAndSharedStoragesReadThroughTheirStrides() throws {
        let dict = StateDict(entries: try TorchCheckpoint(bytes: Self.fixture("tiny_conv.pth")).entries)
        let weight = try #require(dict["3.weight"]), transposed = try #require(dict["views.transposed"])
        #expect(transposed.shape == [weight.shape[1], weight.shape[0]])
        for row in 0..<weight.shape[0] {
            for column in 0..<weight.shape[1] {
                #expect(transposed[flat: column * weight.shape[0] + row] == weight[flat: row * weight.shape[1] + column])
            }
        }
        // views.rows is base[1:], views.column base[:, 1], views.scalar base[2, 3] of one 3x4 storage.
        let rows = try #require(dict["views.rows"]), column = try #require(dict["views.column"])
        #expect(column[flat: 1] == rows[flat: 1] && column[flat: 2] == rows[flat: 5])
        #expect(try #require(dict["views.scalar"]).scalars == [rows[flat: 7]])
    }

    @Test func weightsFilesAreRecognisedByTheirContent() throws {
        let checkpoint = try Self.fixture("tiny_conv.pth")
        #expect(WeightsFormat(detecting: checkpoint) == .pytorch)
        #expect(WeightsFormat(detecting: try Self.fixture("tiny_conv_legacy.pth")) == .pytorch)
        let entries = try TorchCheckpoint(bytes: checkpoint).entries
        let safeTensors = try SafeTensors.encode(entries)
        #expect(WeightsFormat(detecting: safeTensors) == .safeTensors)
        let fromPyTorch = try StateDict(weightsFile: checkpoint, source: "a.safetensors")
        let fromSafeTensors = try StateDict(weightsFile: safeTensors, source: "b.pth")
        #expect(fromPyTorch.names == fromSafeTensors.names)
        #expect(zip(fromPyTorch.entries, fromSafeTensors.entries).allSatisfy { $0.tensor == $1.tensor })
        // A safetensors header of 0x280 bytes starts with the bytes of pickle protocol 2.
        var header = Array("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)
        header += repeatElement(UInt8(ascii: " "), count: 0x280 - header.count)
        let ambiguous: [UInt8] = [0x80, 0x02, 0, 0, 0, 0, 0, 0] + header + [0, 0, 0x80, 0x3F]
        #expect(WeightsFormat(detecting: ambiguous) == .safeTensors)
        #expect(try StateDict(weightsFile: ambiguous, source: "x")["x"]?.scalars == [1])
    }

    @Test(.tags(.errors)) func aForeignGlobalIsRefusedBeforeAnythingIsBuilt() throws {
        let bytes = try Self.fixture("foreign_global.pth")
        // posix.system is how pickle names os.system on Linux.
        expectError(bytes, .forbiddenGlobal, mentioning: ["data.pkl", "posix.system", "nothing was executed"])
        #expect(throws: TorchCheckpointError.self) { try StateDict(weightsFile: bytes, source: "model.pth") }
    }

    @Test(.tags(.errors)) func unsupportedLayoutsAreRefusedWithWhatToDo() throws {
        expectError(try Self.fixture("tiny_conv_deflated.pth"), .unsupportedArchive, mentioning: ["compressed", "data.pkl", "torch.save"])
        expectError(Array("not a checkpoint".utf8) + [0x80], .notAStateDict, mentioning: ["torch.save"])
        // A pickle of something else than a dict: protocol 2, the int 7, STOP.
        let legacyMagicOnly: [UInt8] = [0x80, 0x02, 0x4B, 0x07, 0x2E]
        expectError(legacyMagicOnly, .notAStateDict, mentioning: ["magic number"])
    }

    @Test(.tags(.errors)) func anUnreadableFileSaysWhyInWords() throws {
        let folder = TestFolder.root.appendingPathComponent("nnreport-pth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: TorchCheckpointError.self) { try TorchCheckpoint(contentsOfFile: folder.path) }
        #expect(error.description == "\(folder.path): cannot read the file: it is a folder, not a file")
    }

    @Test(.tags(.errors)) func aDictHoldingMoreThanTensorsIsNotAStateDict() throws {
        // {'epoch': 7} at protocol 2: PROTO 2, EMPTY_DICT, BINUNICODE 'epoch', BININT1 7, SETITEM, STOP.
        let pickle: [UInt8] = [0x80, 0x02, 0x7D, 0x58, 5, 0, 0, 0] + Array("epoch".utf8) + [0x4B, 7, 0x73, 0x2E]
        var unpickler = RestrictedUnpickler(bytes: pickle[...], start: 0, layout: .archive, fail: Failure(file: "model.pth"))
        let graph = try unpickler.run()
        if let error = #expect(throws: TorchCheckpointError.self, performing: { try graph.stateDictItems(fail: Failure(file: "model.pth")) }) {
            #expect(error.kind == .notAStateDict && "\(error)" == "model.pth: tensor 'epoch': is an int, not a tensor", "\(error)")
        }
    }

    @Test(.tags(.errors)) func forbiddenOpcodesAreNamed() throws {
        var archive = try Self.fixture("tiny_conv.pth")
        // Replace the first BINPUT after PROTO 2 + GLOBAL 'collections\nOrderedDict\n' by NEWOBJ;
        // the CRC of data.pkl then no longer matches, so check the pickle itself.
        let pickleStart = try #require(firstIndex(of: [0x80, 0x02, 0x63], in: archive))
        archive[pickleStart + 27] = 0x81
        var unpickler = RestrictedUnpickler(bytes: archive[pickleStart...], start: pickleStart, layout: .archive,
                                            fail: Failure(file: "model.pth"))
        if let error = #expect(throws: TorchCheckpointError.self, performing: { try unpickler.run() }) {
            #expect(error.kind == .forbiddenOpcode)
            #expect("\(error)".contains("NEWOBJ (0x81)") && "\(error)".contains("pickle byte 27"), "\(error)")
        }
        expectError(archive, .corrupt, mentioning: ["data.pkl", "CRC-32"])
    }

    /// Found by the `weights` fuzz target: a tuple of 1,000 arguments was listed whole in the message.
    @Test(.tags(.errors)) func aCallWithThousandsOfArgumentsIsDescribedBriefly() throws {
        // PROTO 2, GLOBAL torch._utils _rebuild_tensor_v2, MARK, 1,000 × EMPTY_LIST, TUPLE, REDUCE, STOP.
        let pickle: [UInt8] = [0x80, 0x02, 0x63] + Array("torch._utils\n_rebuild_tensor_v2\n".utf8) + [0x28]
            + Array(repeating: 0x5D, count: 1_000) + [0x74, 0x52, 0x2E]
        var unpickler = RestrictedUnpickler(bytes: pickle[...], start: 0, layout: .archive, fail: Failure(file: "model.pth"))
        let error = try #require(throws: TorchCheckpointError.self) { try unpickler.run() }
        #expect(error.kind == .invalidPickle)
        #expect("\(error)".contains("got 1000 arguments: a list, a list, a list, a list, a list, a list, a list, and 993 more"),
                "\(error)")
        #expect("\(error)".count < 300, "\(error)")
    }

    @Test(.tags(.errors)) func everyTruncationIsAnError() throws {
        for file in ["tiny_conv.pth", "tiny_conv_legacy.pth"] {
            let bytes = try Self.fixture(file)
            for length in 0..<bytes.count {
                #expect(throws: TorchCheckpointError.self, "\(file) cut to \(length) bytes") {
                    try TorchCheckpoint(bytes: Array(bytes.prefix(length)))
                }
            }
        }
    }

    @Test(.tags(.errors)) func corruptedStorageBytesAreCaughtByTheArchiveChecksum() throws {
        var bytes = try Self.fixture("tiny_conv.pth")
        let values = try TorchCheckpoint(bytes: bytes).entries[0].tensor.scalars
        let pattern = withUnsafeBytes(of: values[0].bitPattern.littleEndian, Array.init)
        let position = try #require(firstIndex(of: pattern, in: bytes))
        bytes[position] ^= 0x01
        expectError(bytes, .corrupt, mentioning: ["data/0", "CRC-32"])
    }

    /// Random and mutated bytes give a checkpoint or an error, never a crash. Mutations of
    /// the zip's data.pkl get a matching CRC-32, so they reach the unpickler.
    @Test(.tags(.errors)) func randomAndMutatedBytesNeverCrash() throws {
        let fixtures = try ["tiny_conv.pth", "tiny_conv_legacy.pth", "tiny_conv_protocol4.pth"].map(Self.fixture)
        var rng = RNG(seed: 2026)
        var refused = 0
        for trial in 0..<600 {
            var bytes = fixtures[trial % fixtures.count]
            let pickle = try #require(Self.dataPickle(in: bytes))
            switch trial % 4 {
            case 3:
                bytes = [0x80, 0x02] + (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 0, 2:
                for _ in 0...(rng.next() % 3) {
                    bytes[pickle.data.lowerBound + Int(rng.next() % UInt64(pickle.data.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                if let central = pickle.central {
                    let crc = CRC32.checksum(bytes[pickle.data])
                    for index in 0..<4 { bytes[central + 16 + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
                }
            default:
                for _ in 0...(rng.next() % 4) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            if (try? TorchCheckpoint(bytes: bytes, source: "trial \(trial)")) == nil { refused += 1 }
            _ = try? StateDict(weightsFile: bytes, source: "trial \(trial)")
        }
        #expect(refused > 300, "most mutations are caught")
    }

    /// Where a fixture's pickle is: the zip's first entry (data.pkl) and its central
    /// header, or the whole legacy file.
    static func dataPickle(in bytes: [UInt8]) -> (data: Range<Int>, central: Int?)? {
        guard bytes.starts(with: StoredZipArchive.localHeaderMagic) else { return (0..<bytes.count, nil) }
        let start = 30 + Int(read16(bytes, 26)) + Int(read16(bytes, 28))
        guard let central = (0..<(bytes.count - 4)).first(where: { read32(bytes, $0) == 0x0201_4B50 }) else { return nil }
        return (start..<(start + Int(read32(bytes, central + 24))), central)
    }

    /// `NNREPORT_TORCHVISION_RESNET18=<file>`: a .pth of `torchvision.models.resnet18().state_dict()`
    /// (45 MB, not committed; see README) loads into our ResNet18 with every tensor kept.
    @Test(.tags(.endToEnd), .enabled(if: ProcessInfo.processInfo.environment["NNREPORT_TORCHVISION_RESNET18"] != nil))
    func torchvisionResNet18Loads() throws {
        let path = try #require(ProcessInfo.processInfo.environment["NNREPORT_TORCHVISION_RESNET18"])
        let dict = try StateDict(weightsFile: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), source: path)
        var rng = RNG(seed: 1)
        let model = try ResNet18(classCount: 1000, rng: &rng)
        try model.loadStateDict(dict, strict: true)
        #expect(model.allParameters.reduce(0) { $0 + $1.value.count } == 11_689_512)
        #expect(model.stateDict().names == dict.names)
        for (ours, theirs) in zip(model.stateDict().entries, dict.entries) {
            #expect(ours.tensor == theirs.tensor, "\(ours.name)")
        }
    }

    @Test(.tags(.errors)) func tensorsReachingPastTheirStorageAreRefused() throws {
        let storage = StorageReference(key: "0", dataType: .f32, count: 6)
        let fail = Failure(file: "model.pth", tensor: "w")
        let values: [Float] = [1, 2, 3, 4, 5, 6]
        let transposed = TensorReference(storage: storage, offset: 0, shape: [3, 2], strides: [1, 3])
        #expect(try transposed.gather(from: values, fail: fail).scalars == [1, 4, 2, 5, 3, 6])
        // A unit dimension's stride never steps, however large.
        #expect(try TensorReference(storage: storage, offset: 5, shape: [1], strides: [Int.max])
            .gather(from: values, fail: fail).scalars == [6])
        for bad in [
            TensorReference(storage: storage, offset: 1, shape: [3, 2], strides: [2, 1]),
            TensorReference(storage: storage, offset: 0, shape: [2, 2], strides: [Int.max, 1]),
            TensorReference(storage: storage, offset: -1, shape: [2], strides: [1]),
            TensorReference(storage: storage, offset: 0, shape: [Int.max, Int.max], strides: [0, 0]),
            TensorReference(storage: storage, offset: 0, shape: [7], strides: [0]),
            TensorReference(storage: storage, offset: 0, shape: [1 << 40], strides: [0]),
            TensorReference(storage: storage, offset: 0, shape: [2], strides: [1, 1]),
        ] {
            if let error = #expect(throws: TorchCheckpointError.self, performing: { try bad.gather(from: values, fail: fail) }) {
                #expect(error.kind == .invalidTensor && "\(error)".hasPrefix("model.pth: tensor 'w': "), "\(error)")
            }
        }
    }

    private func firstIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= pattern.count else { return nil }
        return (0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }
}
