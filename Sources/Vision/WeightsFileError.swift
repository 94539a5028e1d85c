import Support

/// A problem with a weights file (safetensors or a PyTorch checkpoint), naming the
/// file and, where it applies, the tensor; `Kind` says what kind of problem, per format.
public struct WeightsFileError<Kind: Hashable & Sendable>: Error, Equatable, CustomStringConvertible {
    public let kind: Kind
    /// The file (or the name given to an in-memory buffer).
    public let file: String
    /// The tensor concerned, when the problem is one tensor's.
    public let tensor: String?
    public let detail: String

    public init(kind: Kind, file: String, tensor: String?, detail: String) {
        self.kind = kind
        self.file = file
        self.tensor = tensor
        self.detail = detail
    }

    public var description: String {
        "\(file): " + (tensor.map { "tensor '\(Excerpt.of($0))': " } ?? "") + detail
    }
}
