/// Log-loss and error rate of a binary classifier on one data set.
public struct BinaryMetrics: Codable, Hashable, Sendable {
    /// Mean negative log-likelihood of the labels (XGBoost's `logloss`).
    public var logLoss: Double
    /// Fraction of rows whose probability is on the wrong side of 0.5 (XGBoost's `error`).
    public var error: Double

    public init(logLoss: Double, error: Double) {
        self.logLoss = logLoss
        self.error = error
    }
}

/// The metrics XGBoost reports after one boosting round.
///
/// XGBoost prints them with 6 decimals (`std::fixed`), so differences below
/// 1e-6 (e.g. the first rounds at learning rate 1e-5) do not show.
public struct XGBoostRoundMetrics: Codable, Hashable, Sendable {
    /// 0-based round.
    public var round: Int
    /// On the training set.
    public var train: BinaryMetrics
    /// On the validation set, when one was given.
    public var validation: BinaryMetrics?

    public init(round: Int, train: BinaryMetrics, validation: BinaryMetrics?) {
        self.round = round
        self.train = train
        self.validation = validation
    }

    /// Reads XGBoost's evaluation line for `round`, e.g.
    /// `[0]\ttrain-logloss:0.60\ttrain-error:0.10\tvalidation-logloss:0.65\tvalidation-error:0.20`,
    /// where the data-set names are `train` and (when `hasValidation`) `validation`.
    ///
    /// - Throws: `XGBoostError.unexpectedOutput` quoting the line if the round
    ///   number or a metric is missing or unreadable.
    static func parse(_ line: String, round: Int, hasValidation: Bool) throws -> XGBoostRoundMetrics {
        let unexpected = XGBoostError.unexpectedOutput("evaluation line \"\(line)\" for round \(round)")
        let fields = line.split(separator: "\t", omittingEmptySubsequences: true)
        guard let head = fields.first, head == "[\(round)]" else { throw unexpected }
        var values: [Substring: Double] = [:]
        for field in fields.dropFirst() {
            guard let colon = field.lastIndex(of: ":"),
                  let value = Double(field[field.index(after: colon)...].trimmingWhitespace)
            else { throw unexpected }
            values[field[..<colon]] = value
        }
        func metrics(_ name: String) throws -> BinaryMetrics {
            guard let logLoss = values[Substring("\(name)-logloss")], let error = values[Substring("\(name)-error")]
            else { throw unexpected }
            return BinaryMetrics(logLoss: logLoss, error: error)
        }
        return XGBoostRoundMetrics(
            round: round, train: try metrics("train"), validation: hasValidation ? try metrics("validation") : nil)
    }
}
