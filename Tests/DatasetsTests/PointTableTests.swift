import Engine
import Foundation
import Testing
import TestSupport
@testable import Datasets

/// CSV folders in a fresh temporary folder per test.
@Suite final class PointTableTests {
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nnreport-points-\(UUID().uuidString)")
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
        let other = "lat,long,country\r\n40,1,Plain\r\n"
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

    @Test(.tags(.errors)) func missingColumn() throws {
        try write(validation: ",long,latitude,country\n0,1,40,3\n")
        #expect(loadError()
                == "validation.csv:1: missing column \"lat\" (header has: \"\", \"long\", \"latitude\", \"country\")")
    }

    @Test(.tags(.errors)) func nonNumericAndNonFiniteValues() throws {
        try write(train: ",long,lat,country\n0,1.5,40,7\n1,east,41,3\n")
        #expect(loadError() == "train.csv:3: long \"east\" is not a number")
        try write(train: ",long,lat,country\n0,1.5,nan,7\n")
        #expect(loadError() == "train.csv:2: lat nan is not a finite number")
        try write(test: ",long,lat,country\n0,1,1e60,3\n")
        #expect(loadError() == "test.csv:2: lat 1e60 is not a finite number")
    }

    @Test(.tags(.errors)) func emptySplit() throws {
        try write(test: ",long,lat,country\n")
        #expect(loadError() == "test.csv: has a header but no data rows")
        try write(test: "")
        #expect(loadError() == "test.csv: is empty: expected a header row and data rows")
    }

    @Test(.tags(.errors)) func labelMissingFromTraining() throws {
        try write(validation: ",long,lat,country\n0,1,40,3\n1,2,45,9\n")
        #expect(loadError()
                == "validation.csv:3: country \"9\" does not occur in train.csv, so no model can predict it")
    }

    @Test(.tags(.errors)) func raggedRowAndBadQuotes() throws {
        try write(train: ",long,lat,country\n0,1.5,40,7\n1,2.5,41\n")
        #expect(loadError() == "train.csv:3: has 3 fields, the header has 4")
        try write(train: ",long,lat,country\n0,1.5,40,\"7\n")
        #expect(loadError() == "train.csv:2: a quoted field is never closed")
        try write(train: ",long,lat,country\n0,1.5,40,\"7\"x\n")
        #expect(loadError() == "train.csv:2: text after a closing quote")
    }

    @Test func integerIdsWrittenDifferently() throws {
        let other = ",long,lat,country\n0,1,40,7\n1,2,41,010\n"
        try write(train: ",long,lat,country\n0,1,40,07\n1,2,41,7\n2,3,42,10\n", validation: other, test: other)
        let data = try PointTable.load(directory: directory)
        #expect(data.classNames == ["7", "10"])
        #expect(data.train.labels == [0, 0, 1])
    }
}
