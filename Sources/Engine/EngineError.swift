/// Errors from building or training a model: each message names what was wrong.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    /// A layer or model was given a size that cannot work (zero width, no classes, ...).
    case invalidArgument(String)
    /// A tensor's shape does not fit where it is used.
    case shapeMismatch(String)
    /// A data set has no rows, or rows that do not fit the model.
    case invalidData(String)

    public var description: String {
        switch self {
        case .invalidArgument(let message): "invalid argument: \(message)"
        case .shapeMismatch(let message): "shape mismatch: \(message)"
        case .invalidData(let message): "invalid data: \(message)"
        }
    }
}
