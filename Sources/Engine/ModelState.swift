/// A copy of a model's state: every parameter's value and every batch norm's running
/// statistics, to bring the model back to an earlier epoch (its best one) after
/// training goes on. The copies own their storage: training on does not change them.
public struct ModelState {
    private var parameters: [Tensor]
    private var statistics: [(mean: Tensor, variance: Tensor, tracked: Int)]

    /// The state of `model` now.
    public init(_ model: any Layer) {
        parameters = model.allParameters.map { Tensor(shape: $0.value.shape, values: $0.value.scalars) }
        statistics = model.allLayers.compactMap { $0 as? BatchNorm }.map { norm in
            (Tensor(shape: norm.runningMean.shape, values: norm.runningMean.scalars),
             Tensor(shape: norm.runningVariance.shape, values: norm.runningVariance.scalars), norm.batchesTracked)
        }
    }

    /// Puts this state back into `model`, which must be the model it was taken from.
    public func restore(into model: any Layer) {
        for (parameter, value) in zip(model.allParameters, parameters) { parameter.value = value }
        for (norm, saved) in zip(model.allLayers.compactMap { $0 as? BatchNorm }, statistics) {
            norm.runningMean = saved.mean
            norm.runningVariance = saved.variance
            norm.batchesTracked = saved.tracked
        }
    }
}
