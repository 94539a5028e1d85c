/// Public element-wise operations on whole tensors, for layers outside Engine
/// (Vision's blocks). Each resizes its output to the input's shape and runs
/// Engine's vectorised kernel.
public enum Elementwise {
    /// `y = max(x, 0)`; NaN stays NaN, as `torch.relu`.
    public static func relu(_ x: Tensor, into y: inout Tensor) {
        y.resize(like: x)
        Kernels.relu(x, into: &y)
    }

    /// `dx = dy · [y > 0]`, from the forward output `y` of a ReLU.
    public static func reluBackward(_ dy: Tensor, output y: Tensor, into dx: inout Tensor) {
        precondition(dy.count == y.count, "ReLU gradient \(dy.shape) for output \(y.shape)")
        dx.resize(like: dy)
        Kernels.reluBackward(dy, output: y, into: &dx)
    }

    /// `y = a + b`.
    public static func add(_ a: Tensor, _ b: Tensor, into y: inout Tensor) {
        y.resize(like: a)
        Kernels.add(a, b, into: &y)
    }

    /// `y = max(a + b, 0)`, the end of a residual block, in one pass.
    public static func addReLU(_ a: Tensor, _ b: Tensor, into y: inout Tensor) {
        y.resize(like: a)
        Kernels.addReLU(a, b, into: &y)
    }
}
