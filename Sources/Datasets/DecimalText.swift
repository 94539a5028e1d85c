/// Strict reading of a number written in a CSV field.
///
/// Swift's `Double(String)` hands the text to `strtod`, which stops at a NUL byte,
/// so `"12.5\0xyz"` reads as 12.5; it also takes hexadecimal (`0x1p3`). A field is a
/// number here only if all of it is one: an optional sign, digits with an optional
/// decimal point, an optional exponent, or the words `inf`, `infinity` and `nan`
/// (which the caller refuses as not finite, with a clearer message than "not a number").
enum DecimalText {
    static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard isDecimal(bytes) || isSpecialWord(bytes) else { return nil }
        return Double(text)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isDecimal(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func skipDigits() -> Int {
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        var digits = skipDigits()
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            digits += skipDigits()
        }
        guard digits > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { return false }
        }
        return index == bytes.count
    }

    private static func isSpecialWord(_ bytes: [UInt8]) -> Bool {
        var word = bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        if let first = word.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { word.removeFirst() }
        return ["inf", "infinity", "nan"].contains { Array($0.utf8) == word }
    }
}
