/// An error from training or using an XGBoost model.
public enum XGBoostError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A C API call failed; `message` is XGBoost's own (`XGBGetLastError`).
    case library(function: String, message: String)
    /// A parameter XGBoost would accept but that would make results depend on
    /// the machine, or that it cannot represent (see `XGBoostParameters`).
    case invalidParameter(String)
    /// XGBoost returned something this wrapper cannot read (an evaluation line
    /// or a prediction of unexpected shape); the text says what.
    case unexpectedOutput(String)

    public var description: String {
        switch self {
        case .library(let function, let message): "XGBoost \(function) failed: \(message)"
        case .invalidParameter(let message): "invalid XGBoost parameter: \(message)"
        case .unexpectedOutput(let message): "unexpected output from XGBoost: \(message)"
        }
    }
}
