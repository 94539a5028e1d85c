import Testing
import TestSupport
@testable import Engine

struct TensorTests {
    @Test func copiesAreIndependent() {
        var a = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let b = a
        a[0, 1] = 9
        #expect(a.scalars == [1, 9, 3, 4])
        #expect(b.scalars == [1, 2, 3, 4])
    }

    @Test func resizeReusesUniqueStorage() {
        var t = Tensor(zeros: [8, 4])
        let storage = ObjectIdentifier(t.storage)
        t.resize(rows: 3)
        #expect(t.shape == [3, 4])
        t.resize(rows: 8)
        t.resize(to: [4, 8])
        #expect(ObjectIdentifier(t.storage) == storage)
        t.resize(rows: 9)  // 72 elements > capacity 32
        #expect(ObjectIdentifier(t.storage) != storage)
    }

    /// Every way of writing elements gives a new content version; reads and a copy's
    /// writes leave a tensor's version alone, and no two tensors share one.
    @Test func everyWriteChangesTheContentVersion() {
        var t = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        var seen: Set<UInt64> = [t.contentVersion]
        func changed(_ what: String) {
            #expect(!seen.contains(t.contentVersion), "\(what) kept a version already seen")
            seen.insert(t.contentVersion)
        }
        t[flat: 0] = 5
        changed("subscript(flat:)")
        t[1, 1] = 6
        changed("subscript(row:column:)")
        t.withUnsafeMutableBufferPointer { $0[2] = 7 }
        changed("withUnsafeMutableBufferPointer")
        t.zero()
        changed("zero()")
        let before = t.contentVersion
        _ = t.scalars
        _ = t.withUnsafeBufferPointer { $0[0] }
        var copy = t
        copy[flat: 3] = 8
        #expect(t.contentVersion == before, "reads and a copy's write changed the version")
        #expect(!seen.contains(copy.contentVersion) && copy.contentVersion != Tensor(zeros: [2, 2]).contentVersion)
    }

    @Test func resizeOfSharedStorageLeavesTheCopyIntact() {
        var t = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let copy = t
        t.resize(rows: 1)
        t[0, 0] = 7
        #expect(copy.scalars == [1, 2, 3, 4])
    }

    @Test(.tags(.numerics)) func vectorKernelsHandleTails() {
        // 19 elements: two 8-lane vectors and a tail of 3.
        let values: [Float] = (0..<19).map { Float($0) - 9.5 }
        let x = Tensor(shape: [19], values: values)
        var y = Tensor(zeros: [19])
        Kernels.relu(x, into: &y)
        #expect(y.scalars == values.map { max($0, 0) })
        var dx = Tensor(zeros: [19])
        Kernels.reluBackward(Tensor(repeating: 2, shape: [19]), output: y, into: &dx)
        #expect(dx.scalars == values.map { $0 > 0 ? 2 : 0 })
        var sum = Tensor(zeros: [19])
        Kernels.add(x, x, into: &sum)
        #expect(sum.scalars == values.map { 2 * $0 })
    }

    @Test(.tags(.numerics)) func reluPropagatesNaN() {
        var y = Tensor(zeros: [2])
        Kernels.relu(Tensor(shape: [2], values: [.nan, -1]), into: &y)
        #expect(y[flat: 0].isNaN)
        #expect(y[flat: 1] == 0)
    }

    @Test func rngIsDeterministicAndStreamsDiffer() {
        var a = RNG(seed: 5), b = RNG(seed: 5)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
        var c = RNG(seed: 5).derive(1), d = RNG(seed: 5).derive(2)
        #expect(c.next() != d.next())
        var e = RNG(seed: 6)
        for _ in 0..<10_000 {
            let u = e.uniformFloat()
            #expect(u >= 0 && u < 1)
            #expect((0..<7).contains(e.index(below: 7)))
        }
    }

    @Test(.tags(.numerics)) func linearInitialisationBound() throws {
        // PyTorch: weights and biases uniform in ±1/√fan_in.
        var rng = RNG(seed: 7)
        let layer = try Linear(25, 40, rng: &rng)
        let weights = layer.weight.value.scalars, biases = try #require(layer.bias).value.scalars
        #expect((weights + biases).allSatisfy { abs($0) <= 0.2 })
        let largest = try #require(weights.map(abs).max())
        #expect(largest > 0.19)
        let mean = weights.reduce(0, +) / Float(weights.count)
        #expect(abs(mean) < 0.02)
    }
}
