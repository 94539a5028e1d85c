import Testing
@testable import Engine

/// Finite-difference gradient checking for layers.
///
/// The scalar checked is `L = Σ y·R` with a fixed random `R`, so `dL/dy = R`.
/// Each input and parameter element is moved by ±h in float32; the loss is summed in
/// Double and the central difference divides by the perturbation actually stored.
enum GradientCheck {
    struct Result {
        var name: String
        var analytic: [Double]
        var numeric: [Double]

        /// `‖a - n‖ / max(‖a‖ + ‖n‖, 10⁻³)`: relative, except for gradients that are
        /// zero by construction (a Linear bias followed by batch norm), where float32
        /// round-off of order 10⁻⁷ must not count as an error.
        var relativeError: Double {
            var difference = 0.0, normA = 0.0, normN = 0.0
            for (a, n) in zip(analytic, numeric) {
                difference += (a - n) * (a - n); normA += a * a; normN += n * n
            }
            return difference.squareRoot() / max(normA.squareRoot() + normN.squareRoot(), 1e-3)
        }
    }

    static func randomTensor(_ shape: [Int], rng: inout RNG, range: ClosedRange<Float> = -1...1) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, values: (0..<count).map { _ in rng.uniform(range.lowerBound, range.upperBound) })
    }

    static func loss(_ layer: any Layer, _ input: Tensor, _ r: Tensor, mode: Mode) -> Double {
        let y = layer.forward(input, mode: mode)
        var total = 0.0
        for index in 0..<y.count { total += Double(y[flat: index]) * Double(r[flat: index]) }
        return total
    }

    /// Analytic and numeric gradients for the input and every parameter of `layer`.
    static func run(_ layer: any Layer, input: Tensor, mode: Mode = .training, h: Float = 1e-2, seed: UInt64 = 7) -> [Result] {
        // A stream of its own: R drawn from the same seed as the input would equal it,
        // and for batch norm an R in the span of {1, x̂} has a zero input gradient.
        var rng = RNG(seed: seed).derive(0x5EED)
        let outputShape = layer.forward(input, mode: mode).shape
        let r = randomTensor(outputShape, rng: &rng)
        for parameter in layer.allParameters { parameter.gradient.zero() }
        _ = layer.forward(input, mode: mode)
        let inputGradient = layer.backward(r, needsInputGradient: true)!
        var results = [Result(name: "input", analytic: inputGradient.scalars.map(Double.init), numeric: [])]
        let parameters = layer.allParameters
        for parameter in parameters {
            results.append(Result(name: parameter.name, analytic: parameter.gradient.scalars.map(Double.init), numeric: []))
        }

        var x = input
        for index in 0..<x.count {
            let original = x[flat: index]
            x[flat: index] = original + h
            let up = x[flat: index]
            let lossUp = loss(layer, x, r, mode: mode)
            x[flat: index] = original - h
            let down = x[flat: index]
            let lossDown = loss(layer, x, r, mode: mode)
            x[flat: index] = original
            results[0].numeric.append((lossUp - lossDown) / Double(up - down))
        }
        for (slot, parameter) in parameters.enumerated() {
            for index in 0..<parameter.value.count {
                let original = parameter.value[flat: index]
                parameter.value[flat: index] = original + h
                let up = parameter.value[flat: index]
                let lossUp = loss(layer, input, r, mode: mode)
                parameter.value[flat: index] = original - h
                let down = parameter.value[flat: index]
                let lossDown = loss(layer, input, r, mode: mode)
                parameter.value[flat: index] = original
                results[slot + 1].numeric.append((lossUp - lossDown) / Double(up - down))
            }
        }
        return results
    }

    /// Expects every gradient of `layer` to match its finite difference; failures are
    /// reported at the caller.
    ///
    /// An element matches when `|a - n| ≤ 10⁻³ + tolerance·max(|a|, |n|)`; the absolute
    /// part absorbs float32 round-off in the differenced loss. `outlierFraction` lets a
    /// whole network with ReLUs tolerate the few elements whose ±h step crosses a kink,
    /// where the difference quotient is not the derivative.
    static func assertGradientsMatch(
        _ layer: any Layer, input: Tensor, mode: Mode = .training, h: Float = 1e-2, tolerance: Double = 1e-2,
        outlierFraction: Double = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let results = run(layer, input: input, mode: mode, h: h)
        var elements = 0, mismatches: [String] = []
        for result in results {
            #expect(result.analytic.count == result.numeric.count, "\(layer.summary) \(result.name)",
                    sourceLocation: sourceLocation)
            for (index, (a, n)) in zip(result.analytic, result.numeric).enumerated() {
                elements += 1
                if abs(a - n) > 1e-3 + tolerance * max(abs(a), abs(n)) {
                    mismatches.append("\(result.name)[\(index)]: analytic \(a), numeric \(n)")
                }
            }
            if outlierFraction == 0 {
                #expect(result.relativeError < tolerance, "\(layer.summary) \(result.name)", sourceLocation: sourceLocation)
            }
        }
        #expect(Double(mismatches.count) <= outlierFraction * Double(elements),
                "\(layer.summary): \(mismatches.count) of \(elements) elements differ: \(mismatches.prefix(8))",
                sourceLocation: sourceLocation)
        // A check on all-zero gradients would pass for a layer that computes nothing.
        #expect(results[0].numeric.contains { abs($0) > 1e-3 }, "input gradient is all zero", sourceLocation: sourceLocation)
        let parameterResults = results.dropFirst()
        #expect(parameterResults.isEmpty || parameterResults.contains { $0.numeric.contains { abs($0) > 1e-3 } },
                "every parameter gradient is zero", sourceLocation: sourceLocation)
    }
}
