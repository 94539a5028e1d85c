import Engine
import Foundation
import Testing
import TestSupport
@testable import Datasets

/// CSV folders in a fresh temporary folder per test.
@Suite final class PointTableTests {
    private let directory: URL

    init() throws {
        directory = TestFolder.root.appendingPathComponent("nnreport-points-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    private let validTrain = ",long,lat,country\n0,1.5,40,7\n1,2.5,41,3\n2,-3,50.25,7\n"
    private let validOther = ",long,lat,country\n0,1,40,3\n1,2,45,7\n"

    private func write(train: String? = nil, validation: String? = nil, test: String? = nil) throws {
        try (train ?? validTrain).write(to: directory.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
        try (validation ?? validOther).write(to: directory.appendingPathComponent("validation.csv"), atomically: true, encoding: .utf8)
        try (test ?? validOther).write(to: directory.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
    }

    private func loadError() -> String {
        do {
            _ = try PointTable.load(directory: directory)
            return "loaded without error"
        } catch {
            return "\(error)".replacingOccurrences(of: directory.path + "/", with: "")
        }
    }

    @Test func loadsCourseLayoutAndRemapsIntegerIds() throws {
        try write()
        let data = try PointTable.load(directory: directory)
        #expect(data.classNames == ["3", "7"])
        #expect(data.train.labels == [1, 0, 1])
        #expect(data.train.features.scalars == [1.5, 40, 2.5, 41, -3, 50.25])
        #expect(data.validation.labels == [0, 1])
        #expect(data.contentHash.count == 64)
    }

    @Test func columnsInAnyOrderQuotedFieldsCRLFAndExtraColumns() throws {
        let train = "country,extra,lat,long\r\n\"Grand, Duchy\",x,40,1\r\n\"Say \"\"Hi\"\"\",y,41,2\r\nPlain,z,42,3"
        let other = "lat,long,country\r\n40,1,Plain\r\n41,2,Plain\r\n"
        try write(train: train, validation: other, test: other)
        let data = try PointTable.load(directory: directory)
        #expect(data.classNames == ["Grand, Duchy", "Plain", "Say \"Hi\""])
        #expect(data.train.features.scalars == [1, 40, 2, 41, 3, 42])
        #expect(data.train.labels == [0, 2, 1])
    }

    @Test(.tags(.errors)) func missingFile() throws {
        try write()
        try FileManager.default.removeItem(at: directory.appendingPathComponent("test.csv"))
        #expect(loadError().hasPrefix("test.csv: file not found"), "\(loadError())")
    }

    @Test(.tags(.errors)) func anUnreadableFileSaysWhy() throws {
        try write()
        let validation = directory.appendingPathComponent("validation.csv")
        try FileManager.default.removeItem(at: validation)
        try FileManager.default.createDirectory(at: validation, withIntermediateDirectories: false)
        #expect(loadError() == "validation.csv: cannot be read: it is a folder, not a file")
    }

    /// A malformed file (train, validation or test) and the message naming its file and line.
    struct BadFile: Sendable, CustomStringConvertible {
        var split: String
        var contents: String
        var message: String
        var description: String { message }
    }

    static let badFiles: [BadFile] = [
        BadFile(split: "validation", contents: ",long,latitude,country\n0,1,40,3\n",
                message: "validation.csv:1: missing column \"lat\" (header has: \"\", \"long\", \"latitude\", \"country\")"),
        BadFile(split: "train", contents: ",long,lat,country\n0,1.5,40,7\n1,east,41,3\n",
                message: "train.csv:3: long \"east\" is not a number"),
        BadFile(split: "train", contents: ",long,lat,country\n0,1.5,nan,7\n", message: "train.csv:2: lat nan is not a finite number"),
        BadFile(split: "test", contents: ",long,lat,country\n0,1,1e60,3\n", message: "test.csv:2: lat 1e60 is not a finite number"),
        BadFile(split: "test", contents: ",long,lat,country\n", message: "test.csv: has a header but no data rows"),
        // Nothing to learn from, or to measure with.
        BadFile(split: "train", contents: ",long,lat,country\n0,1,40,7\n1,2,41,07\n2,3,42,7\n",
                message: "train.csv: every row has country \"7\": a classifier needs at least two classes to learn from"),
        BadFile(split: "test", contents: ",long,lat,country\n0,1,40,3\n",
                message: "test.csv:2: is the only data row: each split needs at least two rows"),
        BadFile(split: "validation", contents: "long,lat,country\r\n\r\n1,40,7\r\n",
                message: "validation.csv:3: is the only data row: each split needs at least two rows"),
        BadFile(split: "test", contents: "", message: "test.csv: is empty: expected a header row and data rows"),
        BadFile(split: "validation", contents: ",long,lat,country\n0,1,40,3\n1,2,45,9\n",
                message: "validation.csv:3: country \"9\" does not occur in train.csv, so no model can predict it"),
        BadFile(split: "train", contents: ",long,lat,country\n0,1.5,40,7\n1,2.5,41\n", message: "train.csv:3: has 3 fields, the header has 4"),
        BadFile(split: "train", contents: ",long,lat,country\n0,1.5,40,\"7\n", message: "train.csv:2: a quoted field is never closed"),
        BadFile(split: "train", contents: ",long,lat,country\n0,1.5,40,\"7\"x\n", message: "train.csv:2: text after a closing quote"),
        // Swift's Double(String) stops at a NUL byte: 12.5\0xyz must not read as 12.5.
        BadFile(split: "train", contents: ",long,lat,country\n0,1.5,40,7\n1,12.5\0xyz,41,3\n",
                message: "train.csv:3: holds a NUL byte (0x00): not a text file, or a damaged one"),
        BadFile(split: "test", contents: ",long,lat,country\n0,1,40,3\u{0}\n",
                message: "test.csv:2: holds a NUL byte (0x00): not a text file, or a damaged one"),
    ] + ["12.5xyz", "0x1p3", "1.5.2", "1e", ".", "+-1", "1 2"].map { field in
        // A field is a number only if all of it is.
        BadFile(split: "train", contents: ",long,lat,country\n0,\(field),40,7\n", message: "train.csv:2: long \"\(field)\" is not a number")
    } + [
        BadFile(split: "train", contents: ",long,lat,country\n0,-Infinity,40,7\n", message: "train.csv:2: long -Infinity is not a finite number"),
        BadFile(split: "train", contents: ",long,lat,country\n0,\(String(repeating: "9", count: 500))x,40,7\n",
                message: "train.csv:2: long \"\(String(repeating: "9", count: 80))…\" is not a number"),
        BadFile(split: "train", contents: ",long,lat,country,lat\n0,1,40,7,41\n",
                message: "train.csv:1: column \"lat\" appears twice in the header (columns 3 and 5)"),
        BadFile(split: "validation", contents: ",long,lat,country\n0,1,40,\u{1B}[31m\n",
                message: "validation.csv:2: country \"\\u{1b}[31m\" does not occur in train.csv, so no model can predict it"),
    ]

    @Test(.tags(.errors)) func aFileThatIsNotUTF8NamesTheLineAndByte() throws {
        try write()
        let firstLines = Array(",long,lat,country\n0,1,40,3\n".utf8), thirdLine = Array("1,2,45,\"Café".utf8)
        // "é" in Latin-1: one byte 0xE9, not UTF-8.
        let bytes = firstLines + thirdLine.dropLast(2) + [0xE9] + Array("\"\n".utf8)
        try Data(bytes).write(to: directory.appendingPathComponent("validation.csv"))
        let column = thirdLine.count - 1, offset = firstLines.count + thirdLine.count - 2
        #expect(loadError() == "validation.csv:3: byte \(column) of the line (offset \(offset) in the file) is not UTF-8 text")
    }

    @Test func numbersInEveryDecimalSpellingAreRead() throws {
        try write(train: ",long,lat,country\n0,+1.5,4E1,7\n1,.5,-2.,3\n2,1e-1,5e+1,7\n")
        let data = try PointTable.load(directory: directory)
        #expect(data.train.features.scalars == [1.5, 40, 0.5, -2, 0.1, 50])
    }

    @Test(.tags(.errors), arguments: badFiles) func aMalformedFileIsAnErrorNamingFileAndLine(_ bad: BadFile) throws {
        switch bad.split {
        case "train": try write(train: bad.contents)
        case "validation": try write(validation: bad.contents)
        default: try write(test: bad.contents)
        }
        #expect(loadError() == bad.message)
    }

    @Test func integerIdsWrittenDifferently() throws {
        let other = ",long,lat,country\n0,1,40,7\n1,2,41,010\n"
        try write(train: ",long,lat,country\n0,1,40,07\n1,2,41,7\n2,3,42,10\n", validation: other, test: other)
        let data = try PointTable.load(directory: directory)
        #expect(data.classNames == ["7", "10"])
        #expect(data.train.labels == [0, 0, 1])
    }
}
