import Engine
import Foundation
import XCTest
@testable import Datasets

final class PointTableTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nnreport-points-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
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

    func testLoadsCourseLayoutAndRemapsIntegerIds() throws {
        try write()
        let data = try PointTable.load(directory: directory)
        XCTAssertEqual(data.classNames, ["3", "7"])
        XCTAssertEqual(data.train.labels, [1, 0, 1])
        XCTAssertEqual(data.train.features.scalars, [1.5, 40, 2.5, 41, -3, 50.25])
        XCTAssertEqual(data.validation.labels, [0, 1])
        XCTAssertEqual(data.contentHash.count, 64)
    }

    func testColumnsInAnyOrderQuotedFieldsCRLFAndExtraColumns() throws {
        let train = "country,extra,lat,long\r\n\"Grand, Duchy\",x,40,1\r\n\"Say \"\"Hi\"\"\",y,41,2\r\nPlain,z,42,3"
        let other = "lat,long,country\r\n40,1,Plain\r\n"
        try write(train: train, validation: other, test: other)
        let data = try PointTable.load(directory: directory)
        XCTAssertEqual(data.classNames, ["Grand, Duchy", "Plain", "Say \"Hi\""])
        XCTAssertEqual(data.train.features.scalars, [1, 40, 2, 41, 3, 42])
        XCTAssertEqual(data.train.labels, [0, 2, 1])
    }

    func testMissingFile() throws {
        try write()
        try FileManager.default.removeItem(at: directory.appendingPathComponent("test.csv"))
        XCTAssertTrue(loadError().hasPrefix("test.csv: file not found"), loadError())
    }

    func testMissingColumn() throws {
        try write(validation: ",long,latitude,country\n0,1,40,3\n")
        XCTAssertEqual(loadError(), "validation.csv:1: missing column \"lat\" (header has: \"\", \"long\", \"latitude\", \"country\")")
    }

    func testNonNumericAndNonFiniteValues() throws {
        try write(train: ",long,lat,country\n0,1.5,40,7\n1,east,41,3\n")
        XCTAssertEqual(loadError(), "train.csv:3: long \"east\" is not a number")
        try write(train: ",long,lat,country\n0,1.5,nan,7\n")
        XCTAssertEqual(loadError(), "train.csv:2: lat nan is not a finite number")
        try write(test: ",long,lat,country\n0,1,1e60,3\n")
        XCTAssertEqual(loadError(), "test.csv:2: lat 1e60 is not a finite number")
    }

    func testEmptySplit() throws {
        try write(test: ",long,lat,country\n")
        XCTAssertEqual(loadError(), "test.csv: has a header but no data rows")
        try write(test: "")
        XCTAssertEqual(loadError(), "test.csv: is empty: expected a header row and data rows")
    }

    func testLabelMissingFromTraining() throws {
        try write(validation: ",long,lat,country\n0,1,40,3\n1,2,45,9\n")
        XCTAssertEqual(loadError(), "validation.csv:3: country \"9\" does not occur in train.csv, so no model can predict it")
    }

    func testRaggedRowAndBadQuotes() throws {
        try write(train: ",long,lat,country\n0,1.5,40,7\n1,2.5,41\n")
        XCTAssertEqual(loadError(), "train.csv:3: has 3 fields, the header has 4")
        try write(train: ",long,lat,country\n0,1.5,40,\"7\n")
        XCTAssertEqual(loadError(), "train.csv:2: a quoted field is never closed")
        try write(train: ",long,lat,country\n0,1.5,40,\"7\"x\n")
        XCTAssertEqual(loadError(), "train.csv:2: text after a closing quote")
    }

    func testIntegerIdsWrittenDifferently() throws {
        let other = ",long,lat,country\n0,1,40,7\n1,2,41,010\n"
        try write(train: ",long,lat,country\n0,1,40,07\n1,2,41,7\n2,3,42,10\n", validation: other, test: other)
        let data = try PointTable.load(directory: directory)
        XCTAssertEqual(data.classNames, ["7", "10"])
        XCTAssertEqual(data.train.labels, [0, 0, 1])
    }
}
