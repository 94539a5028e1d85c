/// Fully connected layer `y = x·Wᵀ + b` with PyTorch's `nn.Linear` layout and initialisation.
///
/// `weight` is `[out, in]`, `bias` is `[out]`. Both start uniform in
/// `±1/√in`: PyTorch's `kaiming_uniform_(a: √5)` for the weight (gain √(1/3),
/// bound `gain·√(3/in)`) and its bias rule, which give the same bound.
public final class Linear: Layer {
    public let inputFeatures: Int
    public let outputFeatures: Int
    public let weight: Parameter
    public let bias: Parameter?

    private var input = Tensor(zeros: [0, 0])
    /// `Wᵀ` (`[in, out]`), refreshed each forward: OpenBLAS multiplies `x·Wᵀ` stored
    /// this way (NN) about 40% faster than `x·W` with W transposed (NT) for the
    /// narrow matrices of the study's MLPs.
    private var weightTransposed: Tensor
    /// A column of ones, as long as the largest batch so far, for bias sums through BLAS.
    private var ones = Tensor(zeros: [0])
    private var output: Tensor
    private var inputGradient: Tensor
    /// Small enough for the narrow kernels (`Kernels+NarrowDense.swift`) instead of OpenBLAS.
    private let isNarrow: Bool

    /// - Parameters:
    ///   - inputFeatures: size of each input row; must be positive.
    ///   - outputFeatures: size of each output row; must be positive.
    ///   - bias: whether to add a learned bias.
    ///   - rng: generator for the initial weights.
    public init(_ inputFeatures: Int, _ outputFeatures: Int, bias: Bool = true, rng: inout RNG) throws {
        guard inputFeatures > 0, outputFeatures > 0 else {
            throw EngineError.invalidArgument(
                "Linear(\(inputFeatures), \(outputFeatures)) needs positive input and output sizes")
        }
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        let bound = 1 / Float(inputFeatures).squareRoot()
        let weights = (0..<(inputFeatures * outputFeatures)).map { _ in rng.uniform(-bound, bound) }
        weight = Parameter(name: "weight", value: Tensor(shape: [outputFeatures, inputFeatures], values: weights))
        if bias {
            let biases = (0..<outputFeatures).map { _ in rng.uniform(-bound, bound) }
            self.bias = Parameter(name: "bias", value: Tensor(shape: [outputFeatures], values: biases))
        } else {
            self.bias = nil
        }
        output = Tensor(zeros: [0, outputFeatures])
        isNarrow = Kernels.usesNarrowDense(inputs: inputFeatures, outputs: outputFeatures)
        weightTransposed = Tensor(zeros: [inputFeatures, outputFeatures])
        inputGradient = Tensor(zeros: [0, inputFeatures])
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public var summary: String { "Linear(\(inputFeatures), \(outputFeatures))" }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2, inputShape[1] == inputFeatures else {
            throw EngineError.shapeMismatch("\(summary) expects input [N, \(inputFeatures)], got \(inputShape)")
        }
        return [inputShape[0], outputFeatures]
    }

    // x: [N, in] -> y: [N, out]
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.rank == 2 && input.shape[1] == inputFeatures, "\(summary) got input \(input.shape)")
        output.resize(rows: input.rows)
        product(input, into: &output)
        keep(input, mode: mode)
        return output
    }

    /// `ReLU(forward(input))` written into `target` (a ReLU layer's output), with one pass
    /// over the product instead of three (filling the bias rows, the ReLU reading the
    /// product, and its writing): the product is computed without the bias and the bias
    /// added in the ReLU's pass, which rounds the same sums the same way. OpenBLAS takes
    /// another path for a single row (a matrix-vector product whose sums differ in the last
    /// bit with and without the bias), so one row, like the narrow kernels and a layer
    /// without bias, takes ``forward(_:mode:)``'s product and then the ReLU. This layer's
    /// own output is not written: the ReLU is its only reader.
    func forwardReLU(_ input: Tensor, mode: Mode, into target: inout Tensor) {
        precondition(input.rank == 2 && input.shape[1] == inputFeatures, "\(summary) got input \(input.shape)")
        let rows = input.rows
        target.resize(rows: rows, columns: outputFeatures)
        if !isNarrow, let bias, rows > 1 {
            Kernels.transpose(weight.value, into: &weightTransposed)
            BLAS.matmul(input, weightTransposed, into: &target)
            Kernels.addBiasReLU(bias.value, into: &target)
        } else {
            product(input, into: &target)
            Kernels.reluInPlace(&target)
        }
        keep(input, mode: mode)
    }

    /// `y = b + x·Wᵀ` into `y` (already `[N, out]`).
    private func product(_ input: Tensor, into y: inout Tensor) {
        Kernels.transpose(weight.value, into: &weightTransposed)
        if isNarrow {
            Kernels.narrowProduct(input, weightTransposed, bias: bias?.value, into: &y)
        } else if let bias {
            // y = b + x·Wᵀ in one product (the sum rounds once, as a separate addition would).
            Kernels.fillRows(with: bias.value, into: &y)
            BLAS.matmul(input, weightTransposed, into: &y, beta: 1)
        } else {
            BLAS.matmul(input, weightTransposed, into: &y)
        }
    }

    /// In training, what backward needs of a forward pass: its input, and ones for the
    /// bias gradient's column sums.
    private func keep(_ input: Tensor, mode: Mode) {
        guard mode == .training else { return }
        if ones.count < input.rows { ones = Tensor(repeating: 1, shape: [input.rows]) }
        self.input = input
    }

    // dy: [N, out] -> dx: [N, in]; dW += dyᵀ·x, db += Σ_rows dy
    public func backward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        if isNarrow { return narrowBackward(outputGradient, needsInputGradient: needsInputGradient) }
        BLAS.matmul(outputGradient, input, transposeA: true, into: &weight.gradient, beta: 1)
        if let bias { Kernels.accumulateColumnSums(of: outputGradient, ones: ones, into: &bias.gradient) }
        input = Self.released
        guard needsInputGradient else { return nil }
        BLAS.matmul(outputGradient, weight.value, into: &inputGradient)
        return inputGradient
    }

    /// Backward through the narrow kernels; the input gradient uses `Wᵀ` as of the
    /// forward pass (the weights change only after backward).
    private func narrowBackward(_ outputGradient: Tensor, needsInputGradient: Bool) -> Tensor? {
        if let bias {
            bias.gradient.withUnsafeMutableBufferPointer { biasGradient in
                Kernels.narrowDenseParameterGradients(outputGradient, input: input, weightGradient: &weight.gradient,
                                                      biasGradient: biasGradient.baseAddress)
            }
        } else {
            Kernels.narrowDenseParameterGradients(outputGradient, input: input, weightGradient: &weight.gradient,
                                                  biasGradient: nil)
        }
        input = Self.released
        guard needsInputGradient else { return nil }
        if inputFeatures == 4 || inputFeatures == 8 {
            Kernels.narrowProduct(outputGradient, weight.value, bias: nil, into: &inputGradient)
        } else {
            Kernels.narrowDenseInputGradient(outputGradient, weightTransposed: weightTransposed, into: &inputGradient)
        }
        return inputGradient
    }

    /// A shared empty tensor that replaces the cached input after backward, so the
    /// previous layer's buffer is uniquely owned again.
    private static let released = Tensor(zeros: [0, 0])
}
