/// Where a byte string stops being UTF-8, for a message a person can act on:
/// `train.csv:3: byte 12 of the line (offset 38 in the file) is not UTF-8 text`.
/// Every reader of a text file (CSV tables, templates) says it this way.
public struct UTF8Problem: Equatable, Sendable, CustomStringConvertible {
    /// 1-based line of the first invalid byte.
    public var line: Int
    /// 0-based offset of that byte in the file.
    public var offset: Int
    /// 1-based position of that byte in its line.
    public var column: Int

    public init(line: Int, offset: Int, column: Int) {
        self.line = line
        self.offset = offset
        self.column = column
    }

    /// The first invalid byte of `bytes`, or nil when they are all valid UTF-8.
    public static func find<C: Collection>(in bytes: C) -> UTF8Problem? where C.Element == UInt8 {
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        var offset = 0, line = 1, lineStart = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" { line += 1; lineStart = offset }
            case .emptyInput:
                return nil
            case .error:
                return UTF8Problem(line: line, offset: offset, column: offset - lineStart + 1)
            }
        }
    }

    /// The reason, without the file and line the caller puts before it.
    public var description: String {
        "byte \(column) of the line (offset \(offset) in the file) is not UTF-8 text"
    }
}
