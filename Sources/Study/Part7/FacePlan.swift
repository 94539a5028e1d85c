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

    /// Boosting rounds of XGBoost (`--xgboost-rounds`).
    public var xgboostRounds: Int

    /// `xgboost.train`'s default number of rounds: the C library itself has none, and
    /// scikit-learn's `XGBClassifier` uses 100, which costs about 110 s per learning
    /// rate here (`--xgboost-rounds 100`), past the suite's 10-minute budget.
    public static let defaultXGBoostRounds = 10

    public init(seeds: [UInt64], quick: Bool, epochs: Int = 1, backbone: String,
                xgboostRounds: Int = FacePlan.defaultXGBoostRounds) {
        self.seeds = seeds.isEmpty ? [0] : seeds
        self.quick = quick
        self.epochs = epochs
        self.backbone = backbone
        self.xgboostRounds = quick ? min(xgboostRounds, 10) : xgboostRounds
    }

    /// The network run of `method` at `learningRate`, for the first seed.
    public func network(_ method: FaceMethod, learningRate: Double) -> FaceRunConfig {
        .network(method, learningRate: learningRate, epochs: epochs, backbone: backbone, seed: seeds[0])
    }
}
