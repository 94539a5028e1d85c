import Engine
import Foundation
import Testing
import TestSupport
@testable import Vision

@Suite struct SafeTensorsTests {
    /// A file with the given raw JSON header and data bytes.
    private func file(header: String, data: [UInt8] = []) -> [UInt8] {
        let json = Array(header.utf8)
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64($0))) }
        bytes += json + data
        return bytes
    }

    private func expectError(_ bytes: [UInt8], _ kind: SafeTensorsProblem, mentioning words: [String],
                             sourceLocation: SourceLocation = #_sourceLocation) {
        if let error = #expect(throws: (any Error).self, sourceLocation: sourceLocation, performing: {
            try SafeTensors(bytes: bytes, source: "weights.safetensors")
        }) {
            guard let error = error as? SafeTensorsError else {
                Issue.record("\(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            let text = "\(error)"
            #expect(text.hasPrefix("weights.safetensors: "), "\(text)", sourceLocation: sourceLocation)
            for word in words { #expect(text.contains(word), "'\(word)' not in: \(text)", sourceLocation: sourceLocation) }
        }
    }

    @Test func roundTripOfEveryWritableType() throws {
        var rng = RNG(seed: 51)
        let values = randomTensor([2, 3, 4], rng: &rng, scale: 10)
        let entries = [
            SafeTensors.Entry(name: "a.weight", tensor: values),
            SafeTensors.Entry(name: "half", tensor: values, dataType: .f16),
            SafeTensors.Entry(name: "brain", tensor: values, dataType: .bf16),
            SafeTensors.Entry(name: "count", tensor: Tensor(repeating: 42, shape: []), dataType: .i64),
            SafeTensors.Entry(name: "empty", tensor: Tensor(zeros: [0, 3])),
            SafeTensors.Entry(name: "name with \"quotes\" and ünïcode", tensor: Tensor(repeating: -1, shape: [1])),
        ]
        let bytes = try SafeTensors.encode(entries, metadata: ["format": "pt", "note": "line\nbreak"])
        let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        #expect(headerLength % 8 == 0, "header padded to a multiple of 8 bytes")
        let read = try SafeTensors(bytes: bytes, source: "round trip")
        #expect(read.metadata == ["format": "pt", "note": "line\nbreak"])
        #expect(read.names == entries.map(\.name))
        #expect(try read.tensor("a.weight") == values)
        #expect(read.info("half")?.dataType == .f16)
        for (stored, original) in zip(try read.tensor("half").scalars, values.scalars) {
            #expect(stored == Float(Float16(original)))
        }
        for (stored, original) in zip(try read.tensor("brain").scalars, values.scalars) {
            expectClose(stored, original, accuracy: abs(original) / 128)
        }
        #expect(try read.tensor("count").shape == [])
        #expect(try read.tensor("count")[flat: 0] == 42)
        #expect(try read.tensor("empty").shape == [0, 3])
        #expect(try read.tensor("name with \"quotes\" and ünïcode").scalars == [-1])
        #expect(throws: (any Error).self) { try read.tensor("absent") }
        #expect(SafeTensorsCodec.bfloat16Bits(1.00390625) == 0x3F80, "ties round to even")
        #expect(SafeTensorsCodec.bfloat16Bits(1.01171875) == 0x3F82)
    }

    @Test func otherDataTypesAreReadAsFloats() throws {
        // One element of each type, little-endian.
        let cases: [(String, [UInt8], Float)] = [
            ("F64", [0, 0, 0, 0, 0, 0, 0xF8, 0x3F], 1.5), ("I32", [0xFE, 0xFF, 0xFF, 0xFF], -2),
            ("U8", [200], 200), ("I8", [0xFF], -1), ("BOOL", [1], 1), ("I16", [0x00, 0x80], -32768),
            ("U16", [0xFF, 0xFF], 65535), ("U32", [7, 0, 0, 0], 7), ("U64", [9, 0, 0, 0, 0, 0, 0, 0], 9),
            ("I64", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], -1),
            ("BF16", [0xC0, 0x3F], 1.5), ("F16", [0x00, 0x3E], 1.5),
        ]
        for (dtype, data, expected) in cases {
            let bytes = file(header: "{\"x\":{\"dtype\":\"\(dtype)\",\"shape\":[1],\"data_offsets\":[0,\(data.count)]}}", data: data)
            #expect(try SafeTensors(bytes: bytes).tensor("x").scalars == [expected], "\(dtype)")
        }
    }

    @Test(.tags(.errors)) func badFilesGiveClearErrors() {
        let good = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"
        expectError([1, 2, 3], .truncated, mentioning: ["3 bytes"])
        expectError(Array(file(header: good, data: Array(repeating: 0, count: 8)).prefix(20)), .truncated,
                    mentioning: ["header needs"])
        expectError(file(header: good, data: [0, 0, 0]), .truncated, mentioning: ["'w'", "ends at byte 8", "only 3"])
        var huge = file(header: good, data: Array(repeating: 0, count: 8))
        huge.replaceSubrange(0..<8, with: [0, 0, 0, 0, 1, 0, 0, 0])
        expectError(huge, .headerTooLarge, mentioning: ["exceeds"])
        expectError(file(header: "[1, 2]"), .invalidHeader, mentioning: ["not a JSON object"])
        expectError(file(header: "{\"w\": {\"dtype\": \"F32\", "), .invalidHeader, mentioning: ["not valid JSON"])
        expectError(file(header: "{\"w\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,1]}}", data: [0]),
                    .unknownDataType, mentioning: ["'w'", "Q7"])
        expectError(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", data: [0, 0, 0, 0]),
                    .invalidShape, mentioning: ["'w'"])
        expectError(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,4]}}", data: [0, 0, 0, 0]),
                    .invalidShape, mentioning: ["'w'", "2.5"])
        expectError(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,4]}}"),
                    .invalidShape, mentioning: ["too large"])
        expectError(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", data: Array(repeating: 0, count: 8)),
                    .sizeMismatch, mentioning: ["'w'", "12 bytes", "hold 8"])
        expectError(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", data: Array(repeating: 0, count: 8)),
                    .offsetsOutOfRange, mentioning: ["'w'", "end before"])
        expectError(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", data: Array(repeating: 0, count: 8)),
                    .offsetsOutOfRange, mentioning: ["'w'"])
        expectError(file(header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                         + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", data: Array(repeating: 0, count: 12)),
                    .overlappingTensors, mentioning: ["'b'", "'a'"])
        expectError(file(header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", data: Array(repeating: 0, count: 8)),
                    .offsetsOutOfRange, mentioning: ["'a'", "gap"])
        expectError(file(header: good, data: Array(repeating: 0, count: 12)), .offsetsOutOfRange, mentioning: ["cover 8 bytes", "12"])
        expectError(file(header: "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", data: [0, 0, 0, 0]),
                    .invalidHeader, mentioning: ["'w'", "dtype"])
        expectError(file(header: "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                         + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", data: Array(repeating: 0, count: 8)),
                    .invalidHeader, mentioning: ["'w'", "twice"])
        expectError(file(header: "{\"__metadata__\":{\"a\":1}}"), .invalidHeader, mentioning: ["__metadata__"])
        expectError(file(header: String(repeating: "[", count: 200)), .invalidHeader, mentioning: ["not a JSON object"])
        expectError(file(header: "{\"a\":" + String(repeating: "[", count: 200) + "}"), .invalidHeader, mentioning: ["nesting"])
        if let error = #expect(throws: (any Error).self, performing: {
            try SafeTensors(contentsOfFile: "/nonexistent/weights.safetensors")
        }) {
            #expect("\(error)".contains("/nonexistent/weights.safetensors"), "\(error)")
        }
    }

    /// A 10,000-character name, dtype or shape from the file is cut in the message, not printed whole.
    @Test(.tags(.errors)) func valuesFromTheFileAreCutInMessages() throws {
        let long = String(repeating: "x", count: 10_000)
        let cases: [(String, SafeTensorsProblem)] = [
            (#"{"\#(long)":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, .sizeMismatch),
            (#"{"a":{"dtype":"\#(long)","shape":[1],"data_offsets":[0,4]}}"#, .unknownDataType),
            (#"{"a":{"dtype":"F32","shape":[\#(Array(repeating: "1", count: 5_000).joined(separator: ",")),-1],"data_offsets":[0,4]}}"#,
             .invalidShape),
        ]
        for (header, kind) in cases {
            let error = try #require(throws: SafeTensorsError.self) {
                try SafeTensors(bytes: file(header: header, data: [0, 0, 0, 0]), source: "w.safetensors")
            }
            #expect(error.kind == kind, "\(error)")
            #expect("\(error)".contains("…") && "\(error)".count < 300, "\(error)")
        }
    }

    @Test(.tags(.errors)) func parserNeverCrashesOnRandomOrDamagedBytes() throws {
        // Seeded: a failure message names the seed, so it can be replayed.
        var rng = RNG(seed: 52)
        let valid = try SafeTensors.encode([
            SafeTensors.Entry(name: "conv.weight", tensor: randomTensor([2, 3], rng: &rng)),
            SafeTensors.Entry(name: "bn.num_batches_tracked", tensor: Tensor(repeating: 3, shape: []), dataType: .i64),
        ], metadata: ["k": "v"])
        var accepted = 0
        for seed in UInt64(0)..<2000 {
            var local = RNG(seed: seed)
            var bytes: [UInt8]
            switch seed % 4 {
            case 0: bytes = (0..<local.index(below: 200)).map { _ in UInt8(truncatingIfNeeded: local.next()) }
            case 1: bytes = Array(valid.prefix(local.index(below: valid.count + 1)))
            case 2:
                bytes = valid
                for _ in 0..<(1 + local.index(below: 4)) {
                    bytes[local.index(below: bytes.count)] = UInt8(truncatingIfNeeded: local.next())
                }
            default:
                // A plausible length prefix in front of random or header-like bytes.
                let body = (0..<local.index(below: 120)).map { _ -> UInt8 in
                    let alphabet = Array("{}[]\":,0123456789-.eEFI3264dtypeshaped_offsets \\u".utf8)
                    return alphabet[local.index(below: alphabet.count)]
                }
                let length = UInt64(local.index(below: body.count + 3))
                bytes = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + body
            }
            do {
                let parsed = try SafeTensors(bytes: bytes, source: "seed \(seed)")
                for name in parsed.names { _ = try parsed.tensor(name) }
                accepted += 1
            } catch let error as SafeTensorsError {
                #expect(error.file == "seed \(seed)", "seed \(seed)")
            } catch {
                Issue.record("seed \(seed): unexpected error type \(error)")
            }
        }
        #expect(accepted > 0, "some mutations leave the file valid")
    }

    @Test func modelStateDictRoundTripThroughAFile() throws {
        var rng = RNG(seed: 53)
        let workspace = ConvolutionWorkspace()
        func makeModel(_ rng: inout RNG) throws -> Sequential {
            Sequential([try Conv2D(3, 4, kernelSize: 3, padding: 1, bias: false, rng: &rng, workspace: workspace),
                        try BatchNorm(channels: 4, kind: .twoDimensional), ReLU(),
                        try BasicBlock(4, 8, stride: 2, rng: &rng, workspace: workspace), GlobalAveragePool(),
                        try Linear(8, 2, rng: &rng)])
        }
        let model = try makeModel(&rng)
        _ = model.forward(randomTensor([2, 3, 8, 8], rng: &rng), mode: .training)  // moves running statistics
        #expect(model.stateDictNames.prefix(7) == ["0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                                                   "1.num_batches_tracked", "3.conv1.weight"])
        #expect(model.stateDictNames.contains("3.downsample.1.running_var"))
        let path = TestFolder.root.appendingPathComponent("nnreport-state-\(UInt32.random(in: 0...UInt32.max)).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.saveSafeTensors(to: path)
        #expect(try SafeTensors(contentsOfFile: path).info("1.num_batches_tracked")?.dataType == .i64)

        let copy = try makeModel(&rng)
        try copy.loadSafeTensors(from: path)
        for (a, b) in zip(model.stateDict().entries, copy.stateDict().entries) {
            #expect(a.name == b.name)
            #expect(a.tensor == b.tensor, "\(a.name)")
        }
        let x = randomTensor([2, 3, 8, 8], rng: &rng)
        #expect(detached(model.forward(x, mode: .inference)) == copy.forward(x, mode: .inference))
    }

    @Test(.tags(.errors)) func loadingChecksNamesAndShapes() throws {
        var rng = RNG(seed: 54)
        let model = try ResNet18(classCount: 10, rng: &rng)
        var dict = model.stateDict()
        let original = model.conv1.weight.value

        // timm files leave out num_batches_tracked: accepted.
        let withoutCounters = StateDict(entries: dict.entries.filter { !$0.name.hasSuffix("num_batches_tracked") })
        #expect(throws: Never.self) { try model.loadStateDict(withoutCounters) }

        var missing = dict.entries
        missing.removeAll { $0.name == "layer3.1.bn2.running_var" }
        if let error = #expect(throws: (any Error).self, performing: {
            try model.loadStateDict(StateDict(entries: missing))
        }) {
            #expect((error as? StateDictError)?.kind == .missingTensors)
            #expect("\(error)".contains("layer3.1.bn2.running_var"), "\(error)")
        }
        let extra = StateDict(entries: dict.entries + [SafeTensors.Entry(name: "head.extra", tensor: Tensor(zeros: [1]))])
        if let error = #expect(throws: (any Error).self, performing: { try model.loadStateDict(extra) }) {
            #expect((error as? StateDictError)?.kind == .unexpectedTensors)
            #expect("\(error)".contains("head.extra"), "\(error)")
        }
        #expect(throws: Never.self) { try model.loadStateDict(extra, strict: false) }

        // An ImageNet checkpoint (1000 classes) into a 10-class model: shape mismatch, unless fc is excluded.
        let imagenet = try ResNet18(classCount: 1000, rng: &rng)
        dict = imagenet.stateDict()
        if let error = #expect(throws: (any Error).self, performing: { try model.loadStateDict(dict) }) {
            #expect((error as? StateDictError)?.kind == .shapeMismatch)
            #expect("\(error)".contains("fc.weight") && "\(error)".contains("[1000, 512]"), "\(error)")
        }
        #expect(model.conv1.weight.value == original, "a failed load changes nothing")
        try model.loadStateDict(dict, excludingPrefixes: ["fc."])
        #expect(model.conv1.weight.value == imagenet.conv1.weight.value)
        #expect(model.fc.weight.value.shape == [10, 512])
    }

    /// A batch-norm counter Int cannot hold, or a NaN or infinite weight, is refused
    /// naming the tensor, from the bytes of a file (the way a user's file arrives).
    @Test(.tags(.errors)) func outOfRangeCountersAndNonFiniteWeightsAreRefusedNamingTheTensor() throws {
        var rng = RNG(seed: 55)
        let model = Sequential([try Linear(2, 3, rng: &rng), try BatchNorm(channels: 3)])
        let original = model.stateDict()
        let counter = "1.num_batches_tracked"
        /// The model's state dict as file bytes, with `name`'s little-endian bytes replaced.
        func loading(_ name: String, bytes raw: [UInt8]) throws -> String {
            var bytes = try original.encoded()
            let file = try SafeTensors(bytes: bytes)
            let info = try #require(file.info(name))
            let start = bytes.count - file.tensors.reduce(0) { $0 + $1.byteRange.count } + info.byteRange.lowerBound
            bytes.replaceSubrange(start..<(start + raw.count), with: raw)
            do {
                try model.loadStateDict(StateDict(SafeTensors(bytes: bytes, source: "w.safetensors")))
                return "loaded"
            } catch {
                return "\(error)"
            }
        }
        func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            (0..<T.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        for huge in [Int64.max, Int64.max - 511, Int64.min, -1] {
            let message = try loading(counter, bytes: littleEndian(huge))
            #expect(message.contains("'\(counter)' must hold a whole number from 0 to 2^63 - 1"), "\(huge): \(message)")
        }
        #expect(try loading(counter, bytes: littleEndian(Int64(1) << 40)) == "loaded")
        #expect(model.stateDict()[counter]?[flat: 0] == Float(Int64(1) << 40))

        // The same counter saved as F32 1e30 (a file written by hand or by another tool).
        var asFloat = original.entries
        let position = try #require(asFloat.firstIndex { $0.name == counter })
        for value: Float in [1e30, .infinity, .nan, 2.5] {
            asFloat[position] = SafeTensors.Entry(name: counter, tensor: Tensor(repeating: value, shape: []), dataType: .f32)
            let error = #expect(throws: StateDictError.self) { try model.loadStateDict(StateDict(entries: asFloat)) }
            #expect(error?.tensors == [counter], "\(value)")
        }
        for bad: Float in [.nan, .infinity, -.infinity] {
            let message = try loading("0.weight", bytes: littleEndian(bad.bitPattern))
            #expect(message == "tensor '0.weight' holds \(bad) at index 0: weights must be finite numbers", "\(message)")
        }
        let message = try loading("1.running_var", bytes: littleEndian(Float.nan.bitPattern))
        #expect(message.contains("tensor '1.running_var' holds nan"), "\(message)")
    }
}
