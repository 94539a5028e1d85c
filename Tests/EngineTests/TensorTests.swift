import XCTest
@testable import Engine

final class TensorTests: XCTestCase {
    func testCopiesAreIndependent() {
        var a = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let b = a
        a[0, 1] = 9
        XCTAssertEqual(a.scalars, [1, 9, 3, 4])
        XCTAssertEqual(b.scalars, [1, 2, 3, 4])
    }

    func testResizeReusesUniqueStorage() {
        var t = Tensor(zeros: [8, 4])
        let storage = ObjectIdentifier(t.storage)
        t.resize(rows: 3)
        XCTAssertEqual(t.shape, [3, 4])
        t.resize(rows: 8)
        t.resize(to: [4, 8])
        XCTAssertEqual(ObjectIdentifier(t.storage), storage)
        t.resize(rows: 9)  // 72 elements > capacity 32
        XCTAssertNotEqual(ObjectIdentifier(t.storage), storage)
    }

    func testResizeOfSharedStorageLeavesTheCopyIntact() {
        var t = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let copy = t
        t.resize(rows: 1)
        t[0, 0] = 7
        XCTAssertEqual(copy.scalars, [1, 2, 3, 4])
    }

    func testVectorKernelsHandleTails() {
        // 19 elements: two 8-lane vectors and a tail of 3.
        let values: [Float] = (0..<19).map { Float($0) - 9.5 }
        let x = Tensor(shape: [19], values: values)
        var y = Tensor(zeros: [19])
        Kernels.relu(x, into: &y)
        XCTAssertEqual(y.scalars, values.map { max($0, 0) })
        var dx = Tensor(zeros: [19])
        Kernels.reluBackward(Tensor(repeating: 2, shape: [19]), output: y, into: &dx)
        XCTAssertEqual(dx.scalars, values.map { $0 > 0 ? 2 : 0 })
        var sum = Tensor(zeros: [19])
        Kernels.add(x, x, into: &sum)
        XCTAssertEqual(sum.scalars, values.map { 2 * $0 })
    }

    func testReluPropagatesNaN() {
        var y = Tensor(zeros: [2])
        Kernels.relu(Tensor(shape: [2], values: [.nan, -1]), into: &y)
        XCTAssertTrue(y[flat: 0].isNaN)
        XCTAssertEqual(y[flat: 1], 0)
    }

    func testRNGIsDeterministicAndStreamsDiffer() {
        var a = RNG(seed: 5), b = RNG(seed: 5)
        XCTAssertEqual((0..<10).map { _ in a.next() }, (0..<10).map { _ in b.next() })
        var c = RNG(seed: 5).derive(1), d = RNG(seed: 5).derive(2)
        XCTAssertNotEqual(c.next(), d.next())
        var e = RNG(seed: 6)
        for _ in 0..<10_000 {
            let u = e.uniformFloat()
            XCTAssertTrue(u >= 0 && u < 1)
            XCTAssertTrue((0..<7).contains(e.index(below: 7)))
        }
    }

    func testLinearInitialisationBound() throws {
        // PyTorch: weights and biases uniform in ±1/√fan_in.
        var rng = RNG(seed: 7)
        let layer = try Linear(25, 40, rng: &rng)
        let weights = layer.weight.value.scalars, biases = layer.bias!.value.scalars
        XCTAssertTrue((weights + biases).allSatisfy { abs($0) <= 0.2 })
        XCTAssertGreaterThan(weights.map(abs).max()!, 0.19)
        let mean = weights.reduce(0, +) / Float(weights.count)
        XCTAssertLessThan(abs(mean), 0.02)
    }
}
