import Engine

/// The implicit representation of question 6.2-q7: each coordinate `x` (in degrees)
/// becomes `sin(a·x)` for `a` in 0.1, 0.2, ..., 1.0, giving 20 features ordered as
/// longitude with a = 0.1...1.0, then latitude with a = 0.1...1.0.
public enum SineFeatures {
    /// The frequencies `a`, in radians per degree.
    public static let frequencies: [Double] = (1...10).map { Double($0) / 10 }

    /// Maps `[N, 2]` coordinates to `[N, 20]` sine features (computed in Double, stored as float).
    public static func transform(_ points: Tensor) -> Tensor {
        precondition(points.rank == 2 && points.shape[1] == 2, "sine features need [N, 2] points, got \(points.shape)")
        let rows = points.rows, width = 2 * frequencies.count
        var values = [Float](repeating: 0, count: rows * width)
        points.withUnsafeBufferPointer { input in
            for row in 0..<rows {
                for axis in 0..<2 {
                    let x = Double(input[2 * row + axis])
                    for (k, a) in frequencies.enumerated() {
                        values[row * width + axis * frequencies.count + k] = Float(sin(a * x))
                    }
                }
            }
        }
        return Tensor(shape: [rows, width], values: values)
    }

    /// The same data with sine features in place of the coordinates.
    public static func transform(_ data: LabeledData) throws -> LabeledData {
        try LabeledData(features: transform(data.features), labels: data.labels, classCount: data.classCount)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
