// libFuzzer target: PNG and JPEG decoding through our wrappers
// (Sources/Images/PNG.swift, JPEG.swift and the C shims) on arbitrary bytes,
// with a small pixel limit so huge declared sizes are refused from the header.
// An image or an ImageError, never a crash.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImages(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let image = try? ImageDecoder.decode(bytes, source: "fuzz", maxPixels: 1 << 20) {
        precondition(image.channels == 3 && image.width * image.height <= 1 << 20)
    }
    return 0
}
