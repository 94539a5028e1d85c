import Engine
import Testing

/// A tensor of uniform values in `[-scale, scale)`.
func randomTensor(_ shape: [Int], rng: inout RNG, scale: Float = 1) -> Tensor {
    Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in rng.uniform(-scale, scale) })
}

/// A copy that does not share storage with a layer's buffer.
func detached(_ tensor: Tensor) -> Tensor {
    Tensor(shape: tensor.shape, values: tensor.scalars)
}

/// Finite-difference check of a layer's input and parameter gradients.
///
/// With a fixed random `R` of the output's shape, the loss is `Σ y·R` (in
/// Double); the analytical gradients come from one training-mode forward and
/// `backward(R)`; the numerical ones are central differences with step `step`
/// on a sample of entries of the input and of every parameter. Each sampled
/// entry must agree within `tolerance` relative to the larger of the two values,
/// with an absolute floor for float32 rounding: the loss itself is only known to
/// about `8·ε·Σ|y·R|`, so differences below that over `2·step` are noise.
///
/// ReLU and max pooling have kinks; when a step crosses one, the central
/// difference averages two slopes. An entry whose central difference misses but
/// whose one-sided difference on the other side of the kink (forward or
/// backward) agrees is accepted; `allowedKinks` is the fraction of entries that
/// may still disagree (kinks within a step on both sides).
func checkGradients(
    of layer: any Layer, input: Tensor, seed: UInt64, step: Float = 1e-2, tolerance: Double = 1e-2,
    samples: Int = 30, allowedKinks: Double = 0, checkInput: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var rng = RNG(seed: seed)
    for parameter in layer.allParameters { parameter.gradient.zero() }
    let output = layer.forward(input, mode: .training)
    let weights = randomTensor(output.shape, rng: &rng)
    let magnitude = zip(output.scalars, weights.scalars).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
    let noise = 8 * Double(Float.ulpOfOne) * magnitude / Double(2 * step)
    let inputGradient = layer.backward(weights, needsInputGradient: checkInput).map(detached)
    let parameterGradients = layer.allParameters.map { detached($0.gradient) }

    func loss(_ x: Tensor) -> Double {
        let y = layer.forward(x, mode: .training)
        return zip(y.scalars, weights.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let base = loss(input)
    /// `numerical(index)` returns the losses at +step and -step.
    func compare(_ name: String, analytical: Tensor, numerical: (Int) -> (plus: Double, minus: Double)) {
        let count = analytical.count
        let picks = count <= samples ? Array(0..<count) : (0..<samples).map { _ in rng.index(below: count) }
        var failures: [String] = []
        for index in picks {
            let a = Double(analytical[flat: index])
            let (plus, minus) = numerical(index)
            let h = Double(step)
            let central = (plus - minus) / (2 * h), forward = (plus - base) / h, backward = (base - minus) / h
            func agrees(_ n: Double, _ floor: Double) -> Bool { abs(a - n) <= tolerance * max(abs(a), abs(n)) + floor }
            if !agrees(central, noise) && !agrees(forward, 2 * noise) && !agrees(backward, 2 * noise) {
                failures.append("[\(index)] \(a) vs \(central)")
            }
        }
        let allowed = Int(allowedKinks * Double(picks.count))
        #expect(failures.count <= allowed,
                "\(layer.summary) \(name): \(failures.count) of \(picks.count) entries disagree (\(failures.prefix(4).joined(separator: ", ")))",
                sourceLocation: sourceLocation)
    }

    if checkInput, let inputGradient {
        var x = input
        compare("input", analytical: inputGradient) { index in
            let original = x[flat: index]
            x[flat: index] = original + step
            let plus = loss(x)
            x[flat: index] = original - step
            let minus = loss(x)
            x[flat: index] = original
            return (plus, minus)
        }
    }
    for (parameter, gradient) in zip(layer.allParameters, parameterGradients) {
        compare("parameter \(parameter.name) \(parameter.value.shape)", analytical: gradient) { index in
            let original = parameter.value[flat: index]
            parameter.value[flat: index] = original + step
            let plus = loss(input)
            parameter.value[flat: index] = original - step
            let minus = loss(input)
            parameter.value[flat: index] = original
            return (plus, minus)
        }
    }
}
