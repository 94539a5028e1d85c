import Support
import Engine

/// Where a checkpoint's raw storages are: archive entries, or the legacy stream's tail.
enum StorageReader {
    case archive(StoredZipArchive, prefix: String)
    case legacy(LegacyStorages)

    /// Every element of `storage`, converted to float32.
    func decode(_ storage: StorageReference, fail: Failure) throws -> [Float] {
        let data: ArraySlice<UInt8>
        switch self {
        case .archive(let archive, let prefix):
            guard let entry = try archive.contents(of: prefix + storage.key) else {
                throw fail(.corrupt, "its storage \(Excerpt.of(prefix + storage.key)) is not in the archive")
            }
            data = entry
        case .legacy(let storages):
            guard let entry = storages.data[storage.key] else {
                throw fail(.corrupt, "its storage \(Excerpt.of(storage.key)) is not among the file's storages")
            }
            data = entry
        }
        let (size, overflow) = storage.count.multipliedReportingOverflow(by: storage.dataType.size)
        guard !overflow, size == data.count else {
            throw fail(.corrupt, "its storage \(Excerpt.of(storage.key)) should hold \(storage.count) \(storage.dataType.rawValue) values "
                       + "but has \(data.count) bytes")
        }
        var values = [Float](repeating: 0, count: storage.count)
        data.withUnsafeBufferPointer { raw in
            values.withUnsafeMutableBufferPointer { out in
                guard let source = raw.baseAddress, let target = out.baseAddress else { return }
                SafeTensorsCodec.decode(source, as: storage.dataType, count: storage.count, into: target)
            }
        }
        return values
    }
}

/// The legacy layout's storages: for each key of the keys pickle, in order, an int64
/// element count (little-endian) and the elements' bytes.
struct LegacyStorages {
    let data: [String: ArraySlice<UInt8>]

    init(_ bytes: [UInt8], start: Int, keys: [String], references: [StorageReference], fail: Failure) throws {
        var declared: [String: StorageReference] = [:]
        for reference in references {
            if let other = declared.updateValue(reference, forKey: reference.key), other != reference {
                throw fail(.invalidPickle, "storage \(Excerpt.of(reference.key)) is declared twice with different types or sizes")
            }
        }
        var data: [String: ArraySlice<UInt8>] = [:]
        var position = start
        for key in keys {
            guard let reference = declared[key] else { throw fail(.invalidPickle, "storage \(Excerpt.of(key)) is listed but no tensor uses it") }
            guard bytes.count - position >= 8 else { throw fail(.truncated, "the file ends before storage \(Excerpt.of(key))") }
            let count = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[position + $1]) << (8 * UInt64($1)) }
            guard count == UInt64(reference.count) else {
                throw fail(.corrupt, "storage \(Excerpt.of(key)) has \(count) elements but the pickle declares \(reference.count)")
            }
            position += 8
            let (size, overflow) = reference.count.multipliedReportingOverflow(by: reference.dataType.size)
            guard !overflow, size <= bytes.count - position else {
                throw fail(.truncated, "the file ends inside storage \(Excerpt.of(key))")
            }
            guard data.updateValue(bytes[position..<(position + size)], forKey: key) == nil else {
                throw fail(.corrupt, "storage \(Excerpt.of(key)) is listed twice")
            }
            position += size
        }
        guard position == bytes.count else {
            throw fail(.corrupt, "\(bytes.count - position) bytes follow the last storage")
        }
        self.data = data
    }
}

extension TensorReference {
    /// The tensor's elements read from its storage's `values` through its offset and
    /// strides, as `torch.as_strided` would: element `(i0, i1, ...)` is
    /// `values[offset + i0 * stride0 + i1 * stride1 + ...]`.
    func gather(from values: [Float], fail: Failure) throws -> Tensor {
        guard shape.count == strides.count else {
            throw fail(.invalidTensor, "has \(shape.count) dimensions but \(strides.count) strides")
        }
        guard offset >= 0, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
            throw fail(.invalidTensor, "has a negative size, stride or storage offset (size \(shape), stride \(strides), offset \(offset))")
        }
        var count = 1, last = offset
        for (extent, stride) in zip(shape, strides) {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw fail(.invalidTensor, "size \(shape) is too large") }
            count = product
            if extent > 0 {
                let (step, stepOverflow) = (extent - 1).multipliedReportingOverflow(by: stride)
                let (sum, sumOverflow) = last.addingReportingOverflow(step)
                guard !stepOverflow, !sumOverflow else { throw fail(.invalidTensor, "stride \(strides) reaches past any storage") }
                last = sum
            }
        }
        guard count > 0 else { return Tensor(zeros: shape) }
        // A dimension of extent 1 never steps, whatever its stride says.
        let steps = zip(shape, strides).map { $0 <= 1 ? 0 : $1 }
        guard last < values.count else {
            throw fail(.invalidTensor, "size \(shape), stride \(strides) and offset \(offset) reach element \(last) "
                       + "of a storage of \(values.count) (\(Excerpt.of(storage.key)))")
        }
        guard count <= values.count else {
            throw fail(.invalidTensor, "views \(count) elements of a storage of \(values.count); expanded tensors are not read")
        }
        // Allocated only now: a size the storage cannot back (e.g. stride 0 over 2^40 elements) is refused above.
        var tensor = Tensor(zeros: shape)
        tensor.withUnsafeMutableBufferPointer { out in
            // Walk the indices in row-major order, carrying like an odometer.
            var index = [Int](repeating: 0, count: shape.count)
            var source = offset
            for flat in 0..<count {
                out[flat] = values[source]
                var axis = shape.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    source += steps[axis]
                    if index[axis] < shape[axis] { break }
                    source -= steps[axis] * shape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
        return tensor
    }
}
