import Engine
import Foundation
import Support

/// What is wrong with a safetensors file.
public enum SafeTensorsProblem: String, Sendable {
    case unreadable, truncated, headerTooLarge, invalidHeader, unknownDataType, invalidShape
    case offsetsOutOfRange, overlappingTensors, sizeMismatch, unsupportedValue
}

/// A problem with a safetensors file, naming the file and, where it applies, the tensor.
public typealias SafeTensorsError = WeightsFileError<SafeTensorsProblem>

/// A safetensors file (https://github.com/huggingface/safetensors): an 8-byte
/// little-endian header length `n`, `n` bytes of JSON mapping each tensor name to
/// `{"dtype", "shape", "data_offsets": [begin, end]}` (plus an optional
/// `"__metadata__"` object of strings), then the tensors' bytes, little-endian,
/// row-major, at those offsets from the end of the header.
///
/// Reading validates the whole header up front, as the reference implementation
/// does: known dtype, shape whose byte size matches its offsets, offsets inside
/// the data, tensors contiguous without overlap or gap, the data fully covered.
/// Any byte string gives either a file or a `SafeTensorsError`, never a crash.
public struct SafeTensors: Sendable {
    /// Element types of the format. Every one of them is read as float32; the
    /// writer produces F32, F16, BF16 and I64.
    public enum DataType: String, CaseIterable, Sendable {
        case bool = "BOOL", u8 = "U8", i8 = "I8", i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
        case i32 = "I32", u32 = "U32", f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .bool, .u8, .i8: 1
            case .i16, .u16, .f16, .bf16: 2
            case .i32, .u32, .f32: 4
            case .f64, .i64, .u64: 8
            }
        }
    }

    /// Where one tensor lies in the file.
    public struct TensorInfo: Equatable, Sendable {
        public let name: String
        public let dataType: DataType
        public let shape: [Int]
        /// Byte range within the data section (after the header).
        public let byteRange: Range<Int>

        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The safetensors reference implementation's limit on the header length.
    public static let maximumHeaderSize = 100_000_000

    /// The file name used in error messages.
    public let source: String
    /// The `__metadata__` strings.
    public let metadata: [String: String]
    /// Every tensor, in the order of their data in the file.
    public let tensors: [TensorInfo]
    private let data: [UInt8]
    private let dataStart: Int
    private let index: [String: Int]

    /// Reads and validates the file at `path`.
    public init(contentsOfFile path: String) throws {
        try self.init(bytes: SafeTensorsError.contents(of: path, unreadable: .unreadable), source: path)
    }

    /// Validates an in-memory file; `source` names it in error messages.
    public init(bytes: [UInt8], source: String = "<memory>") throws {
        self.source = source
        func fail(_ kind: SafeTensorsProblem, _ tensor: String?, _ detail: String) -> SafeTensorsError {
            SafeTensorsError(kind: kind, file: source, tensor: tensor, detail: detail)
        }
        guard bytes.count >= 8 else {
            throw fail(.truncated, nil, "the file has \(bytes.count) bytes, fewer than the 8-byte header length")
        }
        let declared = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
        guard declared <= UInt64(Self.maximumHeaderSize) else {
            throw fail(.headerTooLarge, nil, "header length \(declared) exceeds the limit of \(Self.maximumHeaderSize) bytes")
        }
        let headerSize = Int(declared)
        guard headerSize <= bytes.count - 8 else {
            throw fail(.truncated, nil, "the header needs \(headerSize) bytes but only \(bytes.count - 8) follow")
        }
        let header = Array(bytes[8..<(8 + headerSize)])
        guard header.first == UInt8(ascii: "{") else {
            throw fail(.invalidHeader, nil, "the header is not a JSON object")
        }
        let root: JSONValue
        do {
            root = try JSONParser.parse(header)
        } catch {
            throw fail(.invalidHeader, nil, "the header is not valid JSON: \(error.message) at byte \(error.offset)")
        }
        guard case .object(let members) = root else { throw fail(.invalidHeader, nil, "the header is not a JSON object") }

        var metadata: [String: String] = [:]
        var infos: [TensorInfo] = []
        var seen = Set<String>()
        for (name, value) in members {
            guard seen.insert(name).inserted else { throw fail(.invalidHeader, name, "appears twice in the header") }
            if name == "__metadata__" {
                guard case .object(let entries) = value else {
                    throw fail(.invalidHeader, nil, "__metadata__ must be an object of strings")
                }
                for (key, entry) in entries {
                    guard case .string(let text) = entry else {
                        throw fail(.invalidHeader, nil, "__metadata__ value of '\(Excerpt.of(key))' is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            infos.append(try Self.tensorInfo(name: name, value: value, fail: fail))
        }

        // Contiguous, non-overlapping, covering the data section exactly.
        let dataSize = bytes.count - 8 - headerSize
        infos.sort { ($0.byteRange.lowerBound, $0.byteRange.upperBound, $0.name) < ($1.byteRange.lowerBound, $1.byteRange.upperBound, $1.name) }
        var end = 0
        var previous: String?
        for info in infos {
            if info.byteRange.lowerBound < end, let previous {
                throw fail(.overlappingTensors, info.name,
                           "bytes \(info.byteRange.lowerBound)..<\(info.byteRange.upperBound) overlap tensor '\(Excerpt.of(previous))'")
            }
            guard info.byteRange.lowerBound == end else {
                throw fail(.offsetsOutOfRange, info.name,
                           "starts at byte \(info.byteRange.lowerBound), leaving a gap after byte \(end)")
            }
            guard info.byteRange.upperBound <= dataSize else {
                throw fail(.truncated, info.name,
                           "ends at byte \(info.byteRange.upperBound) but the data section has only \(dataSize) bytes")
            }
            end = info.byteRange.upperBound
            previous = info.name
        }
        guard end == dataSize else {
            throw fail(.offsetsOutOfRange, nil, "the tensors cover \(end) bytes but the data section has \(dataSize)")
        }
        self.metadata = metadata
        tensors = infos
        data = bytes
        dataStart = 8 + headerSize
        index = Dictionary(uniqueKeysWithValues: infos.enumerated().map { ($1.name, $0) })
    }

    private static func tensorInfo(
        name: String, value: JSONValue, fail: (SafeTensorsProblem, String?, String) -> SafeTensorsError
    ) throws -> TensorInfo {
        guard case .object(let fields) = value else { throw fail(.invalidHeader, name, "entry is not an object") }
        func field(_ key: String) throws -> JSONValue {
            guard let match = fields.first(where: { $0.key == key }) else {
                throw fail(.invalidHeader, name, "entry has no \"\(key)\"")
            }
            return match.value
        }
        guard case .string(let dtypeName) = try field("dtype") else { throw fail(.invalidHeader, name, "dtype is not a string") }
        guard let dataType = DataType(rawValue: dtypeName) else {
            throw fail(.unknownDataType, name, "unknown dtype \"\(Excerpt.of(dtypeName))\"")
        }
        guard case .array(let dimensions) = try field("shape") else { throw fail(.invalidShape, name, "shape is not an array") }
        var shape: [Int] = []
        var elements = 1
        for dimension in dimensions {
            guard case .integer(let extent) = dimension, extent >= 0 else {
                throw fail(.invalidShape, name, "shape \(Self.render(dimensions)) has an entry that is not a non-negative integer")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw fail(.invalidShape, name, "shape \(Self.render(dimensions)) is too large") }
            elements = product
            shape.append(extent)
        }
        guard case .array(let offsets) = try field("data_offsets"), offsets.count == 2,
              case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1], begin >= 0, end >= 0 else {
            throw fail(.offsetsOutOfRange, name, "data_offsets must be two non-negative integers [begin, end]")
        }
        guard begin <= end else { throw fail(.offsetsOutOfRange, name, "data_offsets [\(begin), \(end)] end before they begin") }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: dataType.size)
        guard !overflow, bytes == end - begin else {
            throw fail(.sizeMismatch, name,
                       "shape \(shape) of \(dtypeName) needs \(overflow ? "too many" : "\(bytes)") bytes but data_offsets [\(begin), \(end)] hold \(end - begin)")
        }
        return TensorInfo(name: name, dataType: dataType, shape: shape, byteRange: begin..<end)
    }

    private static func render(_ values: [JSONValue]) -> String {
        // A shape of thousands of entries, or a long string in it, is cut like any echoed value.
        let shown = values.prefix(8).map { value -> String in
            switch value {
            case .integer(let n): Excerpt.of("\(n)", limit: 24)
            case .number(let text): Excerpt.of(text, limit: 24)
            case .string(let text): JSONWriter.quoted(Excerpt.of(text, limit: 24))
            default: "…"
            }
        }
        return "[" + (shown + (values.count > 8 ? ["… (\(values.count) entries)"] : [])).joined(separator: ", ") + "]"
    }

    /// The tensor names in file order.
    public var names: [String] { tensors.map(\.name) }

    /// The description of `name`, or nil.
    public func info(_ name: String) -> TensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The tensor `name` converted to float32 (integers and booleans by value).
    public func tensor(_ name: String) throws -> Tensor {
        guard let info = info(name) else {
            throw SafeTensorsError(kind: .invalidHeader, file: source, tensor: name, detail: "no such tensor in the file")
        }
        let count = info.elementCount
        var result = Tensor(zeros: info.shape)
        let start = dataStart + info.byteRange.lowerBound
        data.withUnsafeBufferPointer { raw in
            result.withUnsafeMutableBufferPointer { out in
                SafeTensorsCodec.decode(raw.baseAddress! + start, as: info.dataType, count: count, into: out.baseAddress!)
            }
        }
        return result
    }
}
