import Support

/// The records of a zip archive whose entries are STORED (uncompressed), as
/// PyTorch's `torch.save` writes them, found through the central directory
/// (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT, sections 4.3.7,
/// 4.3.12, 4.3.16). Compressed, encrypted, multi-disk and ZIP64 archives are
/// refused with an error naming the entry; contents are checked against their CRC-32.
struct StoredZipArchive {
    static let localHeaderMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    private struct Record {
        let data: Range<Int>
        let crc: UInt32
    }

    /// Entry names in central-directory order.
    let names: [String]
    private let records: [String: Record]
    private let bytes: [UInt8]
    private let fail: Failure

    init(_ bytes: [UInt8], fail: Failure) throws {
        self.bytes = bytes
        self.fail = fail
        let end = try Self.endOfCentralDirectory(bytes, fail: fail)
        guard read16(bytes, end + 4) == 0, read16(bytes, end + 6) == 0 else {
            throw fail(.unsupportedArchive, "is a multi-disk zip archive")
        }
        let count = Int(read16(bytes, end + 10))
        let directorySize = Int(read32(bytes, end + 12))
        let directoryStart = Int(read32(bytes, end + 16))
        guard count != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryStart != 0xFFFF_FFFF else {
            throw fail(.unsupportedArchive, "is a ZIP64 archive (over 4 GB or 65,535 entries), which this reader does not support")
        }
        guard directoryStart <= end, directorySize <= end - directoryStart else {
            throw fail(.corrupt, "zip central directory (\(directorySize) bytes at \(directoryStart)) lies outside the file")
        }
        var names: [String] = []
        var records: [String: Record] = [:]
        var position = directoryStart
        for _ in 0..<count {
            guard position <= end - 46, read32(bytes, position) == 0x0201_4B50 else {
                throw fail(.corrupt, "zip central directory is damaged at byte \(position)")
            }
            let nameLength = Int(read16(bytes, position + 28))
            let skip = nameLength + Int(read16(bytes, position + 30)) + Int(read16(bytes, position + 32))
            guard skip <= end - position - 46 else { throw fail(.truncated, "zip central directory ends inside an entry") }
            let name = String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self)
            let record = try Self.record(bytes, header: position, name: name, fail: fail)
            guard records.updateValue(record, forKey: name) == nil else {
                throw fail(.corrupt, "zip entry \(Excerpt.of(name)) appears twice")
            }
            names.append(name)
            position += 46 + skip
        }
        self.names = names
        self.records = records
    }

    /// The bytes of entry `name` after checking their CRC-32, or nil when there is no such entry.
    func contents(of name: String) throws -> ArraySlice<UInt8>? {
        guard let record = records[name] else { return nil }
        let data = bytes[record.data]
        let crc = CRC32.checksum(data)
        guard crc == record.crc else {
            throw fail(.corrupt, "zip entry \(Excerpt.of(name)) is damaged: CRC-32 \(hex(crc)) but the archive records \(hex(record.crc))")
        }
        return data
    }

    /// The entry a central-directory header at `header` describes, with its data located
    /// through the local header (whose extra field PyTorch uses to align the data).
    private static func record(_ bytes: [UInt8], header: Int, name: String, fail: Failure) throws -> Record {
        let flags = read16(bytes, header + 8)
        guard flags & 1 == 0 else { throw fail(.unsupportedArchive, "zip entry \(Excerpt.of(name)) is encrypted") }
        let method = read16(bytes, header + 10)
        guard method == 0 else {
            throw fail(.unsupportedArchive, "zip entry \(Excerpt.of(name)) is compressed (method \(method)); torch.save stores entries "
                       + "uncompressed: load and save the file again with torch.save")
        }
        let compressed = read32(bytes, header + 20), size = read32(bytes, header + 24)
        let local = Int(read32(bytes, header + 42))
        guard compressed != 0xFFFF_FFFF, size != 0xFFFF_FFFF, local != 0xFFFF_FFFF else {
            throw fail(.unsupportedArchive, "zip entry \(Excerpt.of(name)) uses ZIP64 sizes, which this reader does not support")
        }
        guard compressed == size else { throw fail(.corrupt, "zip entry \(Excerpt.of(name)) is stored with two different sizes") }
        guard local <= bytes.count - 30, read32(bytes, local) == 0x0403_4B50 else {
            throw fail(.corrupt, "zip entry \(Excerpt.of(name)): no local header at byte \(local)")
        }
        let start = local + 30 + Int(read16(bytes, local + 26)) + Int(read16(bytes, local + 28))
        guard start <= bytes.count, Int(size) <= bytes.count - start else {
            throw fail(.truncated, "zip entry \(Excerpt.of(name)) needs \(size) bytes from byte \(start) but the file has \(bytes.count)")
        }
        return Record(data: start..<(start + Int(size)), crc: read32(bytes, header + 16))
    }

    /// The offset of the end-of-central-directory record, searched from the end past
    /// a comment of up to 65,535 bytes.
    private static func endOfCentralDirectory(_ bytes: [UInt8], fail: Failure) throws -> Int {
        guard bytes.count >= 22 else { throw fail(.truncated, "zip archive of \(bytes.count) bytes has no central directory") }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        for offset in stride(from: bytes.count - 22, through: lowest, by: -1) where read32(bytes, offset) == 0x0605_4B50 {
            return offset
        }
        throw fail(.truncated, "zip archive has no end-of-central-directory record (the file is cut short or not a zip)")
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// Little-endian reads; callers check that `offset` leaves room.
func read16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
    UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
}

func read32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
}

/// The CRC-32 of zip and PNG (polynomial 0xEDB88320, reflected).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}
