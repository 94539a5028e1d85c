import Foundation
import Support
import Testing
import TestSupport
@testable import Engine

/// Each optimizer is stepped with fixed gradients and compared with the update
/// formulas evaluated in Double in the test itself.
struct OptimizerTests {
    private let start: [Float] = [0.5, -1.25, 2, 0.001]
    private let gradients: [[Float]] = [[0.1, -0.2, 0.3, 0], [0.05, 0.4, -0.1, 1e-3], [-0.3, 0.1, 0.2, -2]]

    private func run(_ makeOptimizer: ([Parameter]) throws -> any Optimizer) rethrows -> [Float] {
        let parameter = Parameter(name: "w", value: Tensor(shape: [4], values: start))
        let optimizer = try makeOptimizer([parameter])
        for gradient in gradients {
            optimizer.zeroGradients()
            parameter.gradient = Tensor(shape: [4], values: gradient)
            optimizer.step()
        }
        return parameter.value.scalars
    }

    private func assertClose(_ actual: [Float], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        for (a, e) in zip(actual, expected) {
            expectClose(Double(a), e, accuracy: 1e-6 * max(1, abs(e)), "\(actual) vs \(expected)", sourceLocation: sourceLocation)
        }
    }

    @Test(.tags(.numerics)) func plainSGD() throws {
        let result = try run { try SGD(parameters: $0, learningRate: 0.1) }
        var p = start.map(Double.init)
        for g in gradients { for i in 0..<4 { p[i] -= 0.1 * Double(g[i]) } }
        assertClose(result, p)
    }

    @Test(.tags(.numerics)) func sgdWithMomentumDampeningAndWeightDecay() throws {
        let result = try run { try SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01) }
        var p = start.map(Double.init), buffer = [Double](repeating: 0, count: 4)
        for (step, g) in gradients.enumerated() {
            for i in 0..<4 {
                let d = Double(g[i]) + 0.01 * p[i]
                // PyTorch: the first step copies d into the buffer without dampening.
                buffer[i] = step == 0 ? d : 0.9 * buffer[i] + 0.9 * d
                p[i] -= 0.05 * buffer[i]
            }
        }
        assertClose(result, p)
    }

    @Test(.tags(.numerics)) func nesterov() throws {
        let result = try run { try SGD(parameters: $0, learningRate: 0.1, momentum: 0.5, nesterov: true) }
        var p = start.map(Double.init), buffer = [Double](repeating: 0, count: 4)
        for (step, g) in gradients.enumerated() {
            for i in 0..<4 {
                let d = Double(g[i])
                buffer[i] = step == 0 ? d : 0.5 * buffer[i] + d
                p[i] -= 0.1 * (d + 0.5 * buffer[i])
            }
        }
        assertClose(result, p)
    }

    /// Adam splits a large parameter's update over its cores: one, two and three cores
    /// give the same bits over several steps, with weight decay, small parameters
    /// beside the large one updated whole.
    @Test(.tags(.numerics)) func adamSplitOverCoresGivesTheSameBits() throws {
        var outcomes: [[[UInt32]]] = []
        for cores in [1, 2, 3] {
            var rng = RNG(seed: 41)
            let large = Parameter(name: "large", value: GradientCheck.randomTensor([200_003], rng: &rng))
            let small = Parameter(name: "small", value: GradientCheck.randomTensor([5], rng: &rng))
            #expect(CoreBudget.parts(work: 200_003, cores: cores, minimumPerPart: 1 << 16) == cores)
            let adam = try Adam(parameters: [large, small], learningRate: 0.01, weightDecay: 0.1,
                                cores: CoreBudget(cores: cores))
            for _ in 0..<3 {
                large.gradient = GradientCheck.randomTensor([200_003], rng: &rng)
                small.gradient = GradientCheck.randomTensor([5], rng: &rng)
                adam.step()
            }
            outcomes.append([large.value.scalars, small.value.scalars].map { $0.map(\.bitPattern) })
        }
        #expect(outcomes[1] == outcomes[0], "two cores")
        #expect(outcomes[2] == outcomes[0], "three cores")
    }

    @Test(.tags(.numerics)) func adam() throws {
        let result = try run { try Adam(parameters: $0, learningRate: 0.01) }
        assertClose(result, adamReference(lr: 0.01, weightDecay: 0))
    }

    @Test(.tags(.numerics)) func adamWithWeightDecay() throws {
        let result = try run { try Adam(parameters: $0, learningRate: 0.003, weightDecay: 0.1) }
        assertClose(result, adamReference(lr: 0.003, weightDecay: 0.1))
    }

    /// Textbook Adam (Kingma & Ba, Algorithm 1) with ε outside the square root and
    /// L2 weight decay added to the gradient, as torch.optim.Adam.
    private func adamReference(lr: Double, weightDecay: Double) -> [Double] {
        var p = start.map(Double.init)
        var m = [Double](repeating: 0, count: 4), v = [Double](repeating: 0, count: 4)
        for (index, g) in gradients.enumerated() {
            let t = Double(index + 1)
            for i in 0..<4 {
                let grad = Double(g[i]) + weightDecay * p[i]
                m[i] = 0.9 * m[i] + 0.1 * grad
                v[i] = 0.999 * v[i] + 0.001 * grad * grad
                let mHat = m[i] / (1 - pow(0.9, t)), vHat = v[i] / (1 - pow(0.999, t))
                p[i] -= lr * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        return p
    }

    @Test func frozenParametersDoNotMove() throws {
        let frozen = Parameter(name: "frozen", value: Tensor(shape: [2], values: [1, 2]))
        let free = Parameter(name: "free", value: Tensor(shape: [2], values: [1, 2]))
        frozen.isFrozen = true
        for optimizer in [try Adam(parameters: [frozen, free]), try SGD(parameters: [frozen, free], learningRate: 0.1, momentum: 0.9)] as [any Optimizer] {
            frozen.gradient = Tensor(shape: [2], values: [1, 1])
            free.gradient = Tensor(shape: [2], values: [1, 1])
            optimizer.step()
        }
        #expect(frozen.value.scalars == [1, 2])
        #expect(free.value.scalars != [1, 2])
    }

    @Test(.tags(.errors)) func invalidHyperparametersAreRejected() {
        #expect(throws: (any Error).self) { try Adam(parameters: [], learningRate: -1) }
        #expect(throws: (any Error).self) { try Adam(parameters: [], beta1: 1) }
        #expect(throws: (any Error).self) { try SGD(parameters: [], learningRate: 0.1, nesterov: true) }
    }
}
