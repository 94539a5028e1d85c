import Engine
import Foundation
import Support

extension SafeTensors {
    /// One tensor to write, with the element type it is stored as.
    public struct Entry: Sendable {
        public var name: String
        public var tensor: Tensor
        /// F32 (default), F16, BF16 or I64 (values rounded to integers).
        public var dataType: DataType

        public init(name: String, tensor: Tensor, dataType: DataType = .f32) {
            self.name = name
            self.tensor = tensor
            self.dataType = dataType
        }
    }

    /// The data types `encode` can produce.
    public static let writableDataTypes: Set<DataType> = [.f32, .f16, .bf16, .i64]

    /// A safetensors file holding `entries` in the given order, header padded with
    /// spaces to a multiple of 8 bytes as the reference writer does.
    public static func encode(_ entries: [Entry], metadata: [String: String] = [:]) throws -> [UInt8] {
        var names = Set<String>()
        var header: [String] = []
        if !metadata.isEmpty {
            let fields = metadata.keys.sorted().map { "\(JSONWriter.quoted($0)):\(JSONWriter.quoted(metadata[$0]!))" }
            header.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        for entry in entries {
            let fail = { (detail: String) in
                SafeTensorsError(kind: .unsupportedValue, file: "<writer>", tensor: entry.name, detail: detail)
            }
            guard !entry.name.isEmpty, entry.name != "__metadata__", names.insert(entry.name).inserted else {
                throw fail("tensor names must be unique, non-empty and not __metadata__")
            }
            guard writableDataTypes.contains(entry.dataType) else {
                throw fail("cannot write dtype \(entry.dataType.rawValue); use F32, F16, BF16 or I64")
            }
            let size = entry.tensor.count * entry.dataType.size
            let shape = entry.tensor.shape.map(String.init).joined(separator: ",")
            header.append("\(JSONWriter.quoted(entry.name)):{\"dtype\":\"\(entry.dataType.rawValue)\","
                          + "\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        var json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + json.count + offset)
        let length = UInt64(json.count)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        bytes.append(contentsOf: json)
        for entry in entries {
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: entry.tensor.count * entry.dataType.size))
            entry.tensor.withUnsafeBufferPointer { values in
                bytes.withUnsafeMutableBufferPointer { out in
                    SafeTensorsCodec.encode(values, as: entry.dataType, into: out.baseAddress! + start)
                }
            }
        }
        return bytes
    }

    /// Writes `entries` to `path` (replacing it atomically).
    public static func write(_ entries: [Entry], to path: String, metadata: [String: String] = [:]) throws {
        let bytes = try encode(entries, metadata: metadata)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SafeTensorsError(kind: .unreadable, file: path, tensor: nil,
                                   detail: "cannot write the file: \(FileProblem.reason(of: error))")
        }
    }
}

/// Little-endian conversions between stored elements and float32.
enum SafeTensorsCodec {
    static func decode(
        _ source: UnsafePointer<UInt8>, as type: SafeTensors.DataType, count: Int, into out: UnsafeMutablePointer<Float>
    ) {
        @inline(__always) func load<T: FixedWidthInteger>(_ index: Int, _: T.Type) -> T {
            var value = T.zero
            withUnsafeMutableBytes(of: &value) { raw in
                raw.copyMemory(from: UnsafeRawBufferPointer(start: source + index * MemoryLayout<T>.size,
                                                            count: MemoryLayout<T>.size))
            }
            return T(littleEndian: value)
        }
        for index in 0..<count {
            let value: Float
            switch type {
            case .f32: value = Float(bitPattern: load(index, UInt32.self))
            case .f64: value = Float(Double(bitPattern: load(index, UInt64.self)))
            case .f16: value = Float(Float16(bitPattern: load(index, UInt16.self)))
            case .bf16: value = Float(bitPattern: UInt32(load(index, UInt16.self)) << 16)
            case .bool: value = source[index] != 0 ? 1 : 0
            case .u8: value = Float(source[index])
            case .i8: value = Float(Int8(bitPattern: source[index]))
            case .i16: value = Float(load(index, Int16.self))
            case .u16: value = Float(load(index, UInt16.self))
            case .i32: value = Float(load(index, Int32.self))
            case .u32: value = Float(load(index, UInt32.self))
            case .i64: value = Float(load(index, Int64.self))
            case .u64: value = Float(load(index, UInt64.self))
            }
            out[index] = value
        }
    }

    static func encode(_ values: UnsafeBufferPointer<Float>, as type: SafeTensors.DataType, into out: UnsafeMutablePointer<UInt8>) {
        @inline(__always) func store<T: FixedWidthInteger>(_ value: T, at index: Int) {
            withUnsafeBytes(of: value.littleEndian) { raw in
                UnsafeMutableRawPointer(out + index * MemoryLayout<T>.size).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
            }
        }
        for (index, value) in values.enumerated() {
            switch type {
            case .f16: store(Float16(value).bitPattern, at: index)
            case .bf16: store(bfloat16Bits(value), at: index)
            case .i64:
                let rounded = value.rounded()
                store(rounded.isFinite && abs(rounded) < 0x1p63 ? Int64(rounded) : 0, at: index)
            default: store(value.bitPattern, at: index)
            }
        }
    }

    /// The bfloat16 nearest to `value` (ties to even), NaN kept quiet, as PyTorch rounds.
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        guard !value.isNaN else { return 0x7FC0 }
        let bits = value.bitPattern
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }
}
