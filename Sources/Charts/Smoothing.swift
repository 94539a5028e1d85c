/// Smoothing of noisy series for display.
public enum Smoothing {
    /// Exponential moving average with bias correction, as TensorBoard draws it.
    ///
    /// `s_t = w·s_{t−1} + (1−w)·v_t` with `s_0 = 0`, reported as
    /// `s_t / (1 − w^k)` where `k` counts the finite values so far (the
    /// correction of Adam, arXiv:1412.6980, so the curve does not start at 0).
    /// A non-finite value gives a non-finite output at its index (a gap) and
    /// leaves the state unchanged. `weight` is clamped to [0, 0.9999]; 0 returns
    /// the input.
    public static func exponential(_ values: [Double], weight: Double) -> [Double] {
        let w = weight.isFinite ? min(max(weight, 0), 0.9999) : 0
        var state = 0.0
        var correction = 1.0
        return values.map { value in
            guard value.isFinite else { return .nan }
            state = w * state + (1 - w) * value
            correction *= w
            return state / (1 - correction)
        }
    }
}
