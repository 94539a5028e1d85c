import Support

/// Updates parameters from their gradients. Frozen parameters are skipped.
///
/// State (momentum buffers, moments) is allocated once at construction; a step
/// allocates nothing.
public protocol Optimizer: AnyObject {
    /// The parameters being optimised, in a fixed order.
    var parameters: [Parameter] { get }
    /// Learning rate, changeable between steps.
    var learningRate: Float { get set }
    /// Applies one update to every unfrozen parameter.
    func step()
}

extension Optimizer {
    /// Sets every parameter's gradient to zero (PyTorch's `zero_grad(set_to_none=False)`).
    public func zeroGradients() {
        for parameter in parameters { parameter.gradient.zero() }
    }
}

/// Stochastic gradient descent with PyTorch's `torch.optim.SGD` semantics
/// (momentum, dampening, weight decay as L2 added to the gradient, Nesterov).
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let momentum: Float
    public let dampening: Float
    public let weightDecay: Float
    public let nesterov: Bool
    private var buffers: [Tensor]
    private var hasStepped = false

    public init(parameters: [Parameter], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) throws {
        guard learningRate >= 0, momentum >= 0, weightDecay >= 0 else {
            throw EngineError.invalidArgument(
                "SGD needs non-negative lr, momentum and weight decay (got \(learningRate), \(momentum), \(weightDecay))")
        }
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw EngineError.invalidArgument("Nesterov momentum requires a momentum and zero dampening")
        }
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        buffers = parameters.map { Tensor(zeros: momentum != 0 ? $0.value.shape : [0]) }
    }

    public func step() {
        for index in parameters.indices where !parameters[index].isFrozen {
            let parameter = parameters[index]
            Kernels.sgdStep(value: &parameter.value, gradient: parameter.gradient,
                            momentumBuffer: &buffers[index], isFirstStep: !hasStepped,
                            learningRate: learningRate, momentum: momentum, dampening: dampening,
                            weightDecay: weightDecay, nesterov: nesterov)
        }
        hasStepped = true
    }
}

/// Adam with PyTorch's `torch.optim.Adam` semantics (Kingma & Ba, arXiv:1412.6980):
/// bias-corrected moments, ε added outside the square root, weight decay as L2
/// added to the gradient (not AdamW).
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    /// Steps taken so far (PyTorch keeps one count per parameter; they move together here).
    public private(set) var stepCount = 0
    private var firstMoments: [Tensor]
    private var secondMoments: [Tensor]
    /// Splits the update of each large parameter over its cores.
    private let work: AdamWork

    /// The cores a step splits each large parameter's update over (element by element,
    /// so the result does not depend on their number); one by default.
    public var cores: CoreBudget {
        get { work.cores }
        set { work.cores = newValue }
    }

    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, cores: CoreBudget = .single) throws {
        guard learningRate >= 0, epsilon >= 0, weightDecay >= 0,
              (0..<1).contains(beta1), (0..<1).contains(beta2) else {
            throw EngineError.invalidArgument(
                "Adam needs lr, eps, weight decay >= 0 and betas in [0, 1) (got lr \(learningRate), betas \(beta1), \(beta2))")
        }
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        firstMoments = parameters.map { Tensor(zeros: $0.value.shape) }
        secondMoments = parameters.map { Tensor(zeros: $0.value.shape) }
        work = AdamWork(cores: cores)
    }

    public func step() {
        stepCount += 1
        // Bias corrections in Double, as PyTorch computes them in Python floats.
        let t = Double(stepCount)
        let biasCorrection1 = 1 - pow(Double(beta1), t)
        let biasCorrection2 = 1 - pow(Double(beta2), t)
        let stepSize = Float(Double(learningRate) / biasCorrection1)
        let biasCorrection2Root = Float(biasCorrection2.squareRoot())
        for index in parameters.indices where !parameters[index].isFrozen {
            let parameter = parameters[index]
            Kernels.adamStep(value: &parameter.value, gradient: parameter.gradient,
                             firstMoment: &firstMoments[index], secondMoment: &secondMoments[index],
                             stepSize: stepSize, biasCorrection2Root: biasCorrection2Root,
                             beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, work: work)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
