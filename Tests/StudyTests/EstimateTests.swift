import XCTest
@testable import Study

final class EstimateTests: XCTestCase {
    func testIntervalUsesStudentT() throws {
        let estimate = try XCTUnwrap(Estimate([1, 2, 3]))
        XCTAssertEqual(estimate.mean, 2)
        // s = 1, n = 3, t(2) = 4.303: half-width 4.303 / √3
        XCTAssertEqual(estimate.high - estimate.mean, 4.303 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(estimate.low, 2 - 4.303 / 3.0.squareRoot(), accuracy: 1e-9)
    }

    func testSingleValueAndOverlap() throws {
        let one = try XCTUnwrap(Estimate([0.5]))
        XCTAssertEqual(one.low, 0.5)
        XCTAssertEqual(one.high, 0.5)
        XCTAssertNil(Estimate([]))
        XCTAssertNil(Estimate([1, .nan]))
        XCTAssertTrue(try XCTUnwrap(Estimate([1, 2])).overlaps(try XCTUnwrap(Estimate([1.5, 3]))))
        XCTAssertFalse(try XCTUnwrap(Estimate([1, 1.1, 0.9])).overlaps(try XCTUnwrap(Estimate([2, 2.1, 1.9]))))
    }
}
