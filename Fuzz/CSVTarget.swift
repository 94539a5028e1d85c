// libFuzzer target: the CSV reader and the strict number parser of Datasets
// (Sources/Datasets/CSVReader.swift, DecimalText.swift) on arbitrary bytes.
// Any input must give records or a CSVReader.Failure, never a crash; a field
// DecimalText accepts must be all number (no NUL, no trailing text).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    if let records = try? CSVReader.records(in: text) {
        for record in records {
            precondition(record.line >= 1)
            for field in record.fields where DecimalText.parse(field) != nil {
                precondition(!field.utf8.contains(0), "a field with a NUL byte read as a number")
            }
        }
    }
    _ = UTF8Problem.find(in: bytes)
    return 0
}
