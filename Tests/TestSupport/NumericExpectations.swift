import Testing

/// Whether `actual` equals `expected` or lies within `accuracy` of it: the check of
/// XCTest's `XCTAssertEqual(_:_:accuracy:)` (equal infinities pass, NaN fails).
public func isClose<T: FloatingPoint>(_ actual: T, _ expected: T, accuracy: T) -> Bool {
    actual == expected || (actual - expected).magnitude <= accuracy.magnitude
}

/// Expects `isClose(actual, expected, accuracy:)`; a failure shows both values.
public func expectClose<T: FloatingPoint>(_ actual: T, _ expected: T, accuracy: T, _ comment: @autoclosure () -> String = "",
                                          sourceLocation: SourceLocation = #_sourceLocation) {
    guard !isClose(actual, expected, accuracy: accuracy) else { return }
    let note = comment()
    Issue.record("\(actual) is not within \(accuracy) of \(expected)\(note.isEmpty ? "" : ": \(note)")",
                 sourceLocation: sourceLocation)
}

/// The values of a reference script's `formula`: `((i·multiplier) mod modulus) / scale + offset`,
/// computed in Double and rounded to Float, for `i` in `0..<count`.
public func formulaValues(_ count: Int, _ multiplier: Int, _ modulus: Int, _ scale: Double, _ offset: Double) -> [Float] {
    (0..<count).map { Float(Double((($0 * multiplier) % modulus)) / scale + offset) }
}

/// Expects as many values as `expected`, each within `tolerance` of its reference
/// relative to `max(1, |expected|)`; a failure names the worst element.
public func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Double, _ message: String = "",
                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(message): count", sourceLocation: sourceLocation)
    var worst = 0.0, worstIndex = 0
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        let error = abs(Double(a) - e) / max(1, abs(e))
        if error > worst || error.isNaN { worst = error; worstIndex = index }
    }
    func shown<T>(_ values: [T]) -> String { values.indices.contains(worstIndex) ? "\(values[worstIndex])" : "-" }
    #expect(worst <= tolerance,
            "\(message): element \(worstIndex) is \(shown(actual)), expected \(shown(expected))",
            sourceLocation: sourceLocation)
}
