import Testing

/// Expects `|actual - expected| ≤ accuracy`, reported at the caller with both values.
///
/// The same rule as XCTest's `XCTAssertEqual(_:_:accuracy:)`, which these tests used
/// before: equal values pass (so an infinity matches itself), a NaN on either side fails.
func expectClose(_ actual: Double, _ expected: Double, accuracy: Double, _ comment: Comment? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual != expected, !(abs(actual - expected) <= abs(accuracy)) else { return }
    let values = "\(actual) is not within \(accuracy) of \(expected)"
    Issue.record(Comment(rawValue: comment.map { "\(values): \($0.rawValue)" } ?? values), sourceLocation: sourceLocation)
}
