/// How large a Part 7 study to run and with which backbone.
public struct FacePlan: Sendable, Equatable {
    /// The seeds every run is repeated with.
    public var seeds: [UInt64]
    public var quick: Bool
    /// Epochs of every network run (STUDY.md: 1, configurable with `--face-epochs`).
    public var epochs: Int
    /// Identity of the pretrained backbone (see `BackboneSource.identity()`).
    public var backbone: String

    /// Learning rates of the three network methods.
    public static let networkLearningRates: [Double] = [0.1, 0.01, 0.001, 0.0001, 0.00001]
    /// Learning rates (eta) of XGBoost.
    public static let xgboostLearningRates: [Double] = [0.1, 0.01, 0.00001]

    public init(seeds: [UInt64], quick: Bool, epochs: Int = 1, backbone: String) {
        self.seeds = seeds.isEmpty ? [0] : seeds
        self.quick = quick
        self.epochs = epochs
        self.backbone = backbone
    }

    /// Boosting rounds: XGBoost's scikit-learn default of 100, or 10 in quick mode.
    public var xgboostRounds: Int { quick ? 10 : 100 }

    /// The network run of `method` at `learningRate`, for the first seed.
    public func network(_ method: FaceMethod, learningRate: Double) -> FaceRunConfig {
        .network(method, learningRate: learningRate, epochs: epochs, backbone: backbone, seed: seeds[0])
    }
}
