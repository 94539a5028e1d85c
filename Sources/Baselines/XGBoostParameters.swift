/// Settings of an XGBoost binary classifier (`objective binary:logistic`).
///
/// Everything not listed here stays at XGBoost's defaults (`max_depth` 6,
/// `min_child_weight` 1, `subsample` 1, `lambda` 1, `base_score` 0.5, ...).
/// Values are Codable and Hashable so they can key a cache of trained models.
public struct XGBoostParameters: Codable, Hashable, Sendable {
    /// How trees find their splits (XGBoost's `tree_method`).
    public enum TreeMethod: String, Codable, Hashable, Sendable, CaseIterable {
        /// XGBoost 1.7 picks `exact` for data that fits in memory.
        case auto
        /// Every distinct value of every feature is a split candidate.
        case exact
        /// Quantile sketch rebuilt for every tree.
        case approx
        /// Features binned once into at most 256 quantile bins (`max_bin`).
        case hist
    }

    /// Shrinkage of each new tree (`eta`), >= 0.
    public var learningRate: Double
    /// Number of boosting rounds, one tree each (scikit-learn's `n_estimators`).
    public var rounds: Int
    /// Split finding; `hist` by default, as in XGBoost 2.0 and later. With
    /// XGBoost 1.7.4 on 1400 rows of 12,288 features, `hist` was no faster than
    /// `exact` and took about ten times the memory (4.6 GB): see the README.
    public var treeMethod: TreeMethod
    /// XGBoost's `seed`. Only used by randomised options (subsampling), which are
    /// off by default, but kept so a cache key names it.
    public var seed: Int
    /// OpenMP threads XGBoost uses (`nthread`), >= 1: explicit rather than "all
    /// cores", so the caller decides who owns the cores. With XGBoost 1.7.4, one
    /// and two threads gave bit-identical models (`hist` and `exact`, tested).
    public var threads: Int

    /// Defaults: XGBoost's `eta` 0.3, 100 rounds (`XGBClassifier`'s default
    /// `n_estimators`), `hist`, seed 0, one thread.
    public init(
        learningRate: Double = 0.3, rounds: Int = 100, treeMethod: TreeMethod = .hist,
        seed: Int = 0, threads: Int = 1
    ) {
        self.learningRate = learningRate
        self.rounds = rounds
        self.treeMethod = treeMethod
        self.seed = seed
        self.threads = threads
    }

    /// Checks what XGBoost itself does not: a finite learning rate, a
    /// non-negative number of rounds and an explicit thread count. (XGBoost
    /// refuses a negative learning rate with its own message.)
    func validate() throws {
        guard learningRate.isFinite else {
            throw XGBoostError.invalidParameter("learningRate must be finite, got \(learningRate)")
        }
        guard rounds >= 0 else { throw XGBoostError.invalidParameter("rounds must be >= 0, got \(rounds)") }
        guard threads >= 1 else { throw XGBoostError.invalidParameter("threads must be >= 1, got \(threads)") }
    }

    /// The parameters as XGBoost names them, in the order they are set.
    var boosterParameters: [(name: String, value: String)] {
        [
            ("objective", "binary:logistic"),
            ("eta", "\(learningRate)"),
            ("tree_method", treeMethod.rawValue),
            ("seed", "\(seed)"),
            ("nthread", "\(threads)"),
        ]
    }
}
