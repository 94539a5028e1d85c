import Testing
import TestSupport
@testable import Baselines

struct FeatureMatrixTests {
    private func error(_ make: () throws -> Any) -> BaselineDataError? {
        do {
            _ = try make()
            return nil
        } catch {
            return error as? BaselineDataError
        }
    }

    @Test func validMatrixKeepsRowMajorValues() throws {
        let matrix = try FeatureMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        #expect(matrix.rows == 2)
        #expect(matrix.columns == 3)
        #expect(matrix.values == [1, 2, 3, 4, 5, 6])
    }

    @Test(.tags(.errors)) func wrongValueCount() {
        let thrown = error { try FeatureMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5]) }
        #expect(thrown == .valueCount(rows: 2, columns: 3, count: 5))
        #expect(thrown?.description == "a 2 x 3 feature matrix needs 6 values, got 5")
    }

    @Test(.tags(.errors)) func emptyMatrices() {
        #expect(error { try FeatureMatrix(rows: 0, columns: 3, values: []) } == .empty(rows: 0, columns: 3))
        #expect(error { try FeatureMatrix(rows: 2, columns: 0, values: []) } == .empty(rows: 2, columns: 0))
        #expect(error { try FeatureMatrix(rows: -1, columns: 2, values: []) } == .negativeDimension(rows: -1, columns: 2))
    }

    @Test(.tags(.errors)) func nonFiniteValuesNameTheirPosition() {
        let nan = error { try FeatureMatrix(rows: 2, columns: 3, values: [1, 2, 3, 4, .nan, 6]) }
        #expect(nan == .nonFinite(row: 1, column: 1))
        #expect(nan?.description == "feature 1 of row 1 is not finite (NaN or infinite)")
        #expect(error { try FeatureMatrix(rows: 1, columns: 2, values: [-.infinity, 0]) } == .nonFinite(row: 0, column: 0))
    }

    @Test(.tags(.errors)) func labelsMustMatchRowsAndBeBinary() throws {
        let matrix = try FeatureMatrix(rows: 3, columns: 1, values: [0, 1, 2])
        let count = error { try LabeledFeatures(features: matrix, labels: [0, 1]) }
        #expect(count == .labelCount(rows: 3, labels: 2))
        #expect(count?.description == "3 feature rows but 2 labels")
        #expect(error { try LabeledFeatures(features: matrix, labels: [0, 2, 1]) } == .invalidLabel(row: 1, label: 2))
        #expect(error { try LabeledFeatures(features: matrix, labels: [0, 1, -1]) } == .invalidLabel(row: 2, label: -1))
        #expect(try LabeledFeatures(features: matrix, labels: [1, 0, 1]).labels == [1, 0, 1])
    }
}
