// libFuzzer target: the template scanner (Sources/Report/TemplateScanner.swift)
// that finds partials, raw insertions, delimiter changes and pragmas: any text
// gives tags with lines inside the text, never a crash.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplateScanner(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    for tag in TemplateScanner.tags(in: text) {
        precondition(tag.line >= 1 && tag.line <= lines)
    }
    return 0
}
