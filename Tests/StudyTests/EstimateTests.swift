import Testing
import TestSupport
@testable import Study

@Suite(.tags(.numerics)) struct EstimateTests {
    @Test func intervalUsesStudentT() throws {
        let estimate = try #require(Estimate([1, 2, 3]))
        #expect(estimate.mean == 2)
        // s = 1, n = 3, t(2) = 4.303: half-width 4.303 / √3
        #expect(abs((estimate.high - estimate.mean) - 4.303 / 3.0.squareRoot()) <= 1e-9)
        #expect(abs(estimate.low - (2 - 4.303 / 3.0.squareRoot())) <= 1e-9)
    }

    @Test func singleValueAndOverlap() throws {
        let one = try #require(Estimate([0.5]))
        #expect(one.low == 0.5)
        #expect(one.high == 0.5)
        #expect(Estimate([]) == nil)
        #expect(Estimate([1, .nan]) == nil)
        #expect(try #require(Estimate([1, 2])).overlaps(try #require(Estimate([1.5, 3]))))
        #expect(!(try #require(Estimate([1, 1.1, 0.9])).overlaps(try #require(Estimate([2, 2.1, 1.9])))))
    }
}
