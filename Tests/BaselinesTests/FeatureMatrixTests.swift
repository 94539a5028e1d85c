import XCTest
@testable import Baselines

final class FeatureMatrixTests: XCTestCase {
    private func error(_ make: () throws -> Any) -> BaselineDataError? {
        do {
            _ = try make()
            return nil
        } catch {
            return error as? BaselineDataError
        }
    }

    func testValidMatrixKeepsRowMajorValues() throws {
        let matrix = try FeatureMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(matrix.rows, 2)
        XCTAssertEqual(matrix.columns, 3)
        XCTAssertEqual(matrix.values, [1, 2, 3, 4, 5, 6])
    }

    func testWrongValueCount() {
        let thrown = error { try FeatureMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5]) }
        XCTAssertEqual(thrown, .valueCount(rows: 2, columns: 3, count: 5))
        XCTAssertEqual(thrown?.description, "a 2 x 3 feature matrix needs 6 values, got 5")
    }

    func testEmptyMatrices() {
        XCTAssertEqual(error { try FeatureMatrix(rows: 0, columns: 3, values: []) }, .empty(rows: 0, columns: 3))
        XCTAssertEqual(error { try FeatureMatrix(rows: 2, columns: 0, values: []) }, .empty(rows: 2, columns: 0))
        XCTAssertEqual(error { try FeatureMatrix(rows: -1, columns: 2, values: []) },
                       .negativeDimension(rows: -1, columns: 2))
    }

    func testNonFiniteValuesNameTheirPosition() {
        let nan = error { try FeatureMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, .nan, 6]) }
        XCTAssertEqual(nan, .nonFinite(row: 1, column: 1))
        XCTAssertEqual(nan?.description, "feature 1 of row 1 is not finite (NaN or infinite)")
        XCTAssertEqual(error { try FeatureMatrix(rows: 1, columns: 2, values: [-.infinity, 0]) },
                       .nonFinite(row: 0, column: 0))
    }

    func testLabelsMustMatchRowsAndBeBinary() throws {
        let matrix = try FeatureMatrix(rows: 3, columns: 1, values: [0, 1, 2])
        let count = error { try LabeledFeatures(features: matrix, labels: [0, 1]) }
        XCTAssertEqual(count, .labelCount(rows: 3, labels: 2))
        XCTAssertEqual(count?.description, "3 feature rows but 2 labels")
        XCTAssertEqual(error { try LabeledFeatures(features: matrix, labels: [0, 2, 1]) },
                       .invalidLabel(row: 1, label: 2))
        XCTAssertEqual(error { try LabeledFeatures(features: matrix, labels: [0, 1, -1]) },
                       .invalidLabel(row: 2, label: -1))
        XCTAssertEqual(try LabeledFeatures(features: matrix, labels: [1, 0, 1]).labels, [1, 0, 1])
    }
}
