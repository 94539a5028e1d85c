import Foundation
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

extension WeightsFileError {
    /// The bytes of the weights file at `path`; a file that cannot be read is an error
    /// of `kind` giving the reason in words (found by looking at the path when
    /// Foundation's own error says only that the operation failed).
    static func contents(of path: String, unreadable kind: Kind) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw WeightsFileError(kind: kind, file: path, tensor: nil,
                                   detail: "cannot read the file: \(FileProblem(path: path, error: error, doing: "read").reason)")
        }
    }
}
