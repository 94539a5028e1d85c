// libFuzzer target: the strict JSON reader of safetensors headers
// (Sources/Vision/SafeTensors+JSON.swift) on arbitrary bytes: a value or a
// JSONParseError with an offset inside the input, never a crash or a hang.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensorsHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        _ = try JSONParser.parse(bytes)
    } catch {
        precondition(error.offset >= 0 && error.offset <= bytes.count)
    }
    return 0
}
