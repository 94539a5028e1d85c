import Foundation
import XCTest
@testable import Vision

/// Records which parts ran, each part in its own slot.
private final class PartRecorder: ParallelWork {
    var counts: [Int]

    init(parts: Int) { counts = [Int](repeating: 0, count: parts) }

    func run(part: Int, parts: Int) {
        counts.withUnsafeMutableBufferPointer { $0[part] += 1 }
    }
}

final class ParallelTests: XCTestCase {
    func testEveryPartRunsOnceWhetherTheWorkersSpinOrSleep() {
        // Calls in quick succession find the workers polling; after a pause longer
        // than their spin they are asleep and must be woken, never lost.
        for call in 0..<300 {
            if call % 50 == 49 { Thread.sleep(forTimeInterval: 0.005) }
            let parts = 2 + call % 3
            let recorder = PartRecorder(parts: parts)
            Parallel.run(parts: parts, recorder)
            XCTAssertEqual(recorder.counts, [Int](repeating: 1, count: parts), "call \(call)")
        }
    }

    func testACallFromInsideAPartRunsItsPartsInline() {
        final class Nested: ParallelWork {
            let inner = (0..<2).map { _ in PartRecorder(parts: 3) }
            func run(part: Int, parts: Int) { Parallel.run(parts: 3, inner[part]) }
        }
        let nested = Nested()
        Parallel.run(parts: 2, nested)
        for recorder in nested.inner { XCTAssertEqual(recorder.counts, [1, 1, 1]) }
    }
}
