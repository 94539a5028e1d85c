import Engine

/// Two hand-made detectors that check where the class signal of face data lies,
/// each fitted on the training split and scored on the test split:
///
/// - colour statistics: a logistic regression on each channel's mean and standard
///   deviation. Near chance (0.5) when real and fake share one content distribution,
///   as the built-in data should.
/// - period-2 energy: a threshold on the mean absolute 2x2 Haar detail (the
///   horizontal, vertical and diagonal differences within each aligned 2x2 block),
///   the statistic that an upsampling trace like the built-in fakes' raises.
///
/// Both read the 8-bit thumbnails (the `scratch` view), so they work for any face
/// data; the period-2 energy is also measured on the `pretrained` view, to check
/// that a trace survives its resize (`S` to `round(S · 256 / 224)`, then the crop).
public enum FaceSanityCheck {
    /// Test accuracies of the detectors.
    public struct Result: Sendable, Equatable {
        public let colorStatistics: Double
        public let periodTwoEnergy: Double
        /// The period-2 energy threshold on the `pretrained` view (nil when not measured).
        public var periodTwoEnergyPretrained: Double?
    }

    /// Fits the detectors on `dataset.train` and scores them on `dataset.test`.
    public static func run(_ dataset: FaceDataset) -> Result {
        var result = run(train: (dataset.train.thumbnails, dataset.train.labels),
                         test: (dataset.test.thumbnails, dataset.test.labels))
        let threshold = Threshold(values: periodTwoEnergies(dataset.train.pretrained), labels: dataset.train.labels)
        result.periodTwoEnergyPretrained = accuracy(periodTwoEnergies(dataset.test.pretrained).map(threshold.predict),
                                                    dataset.test.labels)
        return result
    }

    /// The period-2 energy of each image of `[N, C, S, S]` planar images, in their own units.
    public static func periodTwoEnergies(_ images: Tensor) -> [Double] {
        precondition(images.rank == 4 && images.shape[2] == images.shape[3], "expected [N, C, S, S], got \(images.shape)")
        let channels = images.shape[1], side = images.shape[2], size = channels * side * side
        return images.withUnsafeBufferPointer { values in
            (0..<images.shape[0]).map { image in
                var total = 0.0, blocks = 0
                for channel in 0..<channels {
                    let plane = image * size + channel * side * side
                    for y in stride(from: 0, to: side - 1, by: 2) {
                        for x in stride(from: 0, to: side - 1, by: 2) {
                            let a = values[plane + y * side + x], b = values[plane + y * side + x + 1]
                            let c = values[plane + (y + 1) * side + x], d = values[plane + (y + 1) * side + x + 1]
                            total += Double(abs(a - b + c - d) + abs(a + b - c - d) + abs(a - b - c + d))
                            blocks += 1
                        }
                    }
                }
                return total / Double(max(blocks, 1)) / 4
            }
        }
    }

    /// Fits both detectors on `train` and scores them on `test` (RGB images, interleaved bytes).
    public static func run(train: (images: [[UInt8]], labels: [Int32]), test: (images: [[UInt8]], labels: [Int32])) -> Result {
        let color = LogisticRegression(features: train.images.map(colorStatistics), labels: train.labels)
        let colorAccuracy = accuracy(test.images.map { color.predict(colorStatistics($0)) }, test.labels)
        let threshold = Threshold(values: train.images.map(periodTwoEnergy), labels: train.labels)
        let energyAccuracy = accuracy(test.images.map { threshold.predict(periodTwoEnergy($0)) }, test.labels)
        return Result(colorStatistics: colorAccuracy, periodTwoEnergy: energyAccuracy, periodTwoEnergyPretrained: nil)
    }

    /// Mean and standard deviation of each channel, in `0...1`: `[mean R, mean G, mean B, std R, std G, std B]`.
    public static func colorStatistics(_ rgb: [UInt8]) -> [Double] {
        var sum = [Double](repeating: 0, count: 3), squares = [Double](repeating: 0, count: 3)
        for (index, byte) in rgb.enumerated() {
            let value = Double(byte) / 255
            sum[index % 3] += value
            squares[index % 3] += value * value
        }
        let pixels = Double(rgb.count / 3)
        let means = sum.map { $0 / pixels }
        let deviations = (0..<3).map { max(0, squares[$0] / pixels - means[$0] * means[$0]).squareRoot() }
        return means + deviations
    }

    /// Mean of `(|a - b + c - d| + |a + b - c - d| + |a - b - c + d|) / 4` over the aligned
    /// 2x2 blocks `[a b; c d]` of each channel of a square RGB image, in `0...1` units.
    public static func periodTwoEnergy(_ rgb: [UInt8]) -> Double {
        let side = Int(Double(rgb.count / 3).squareRoot())
        precondition(side * side * 3 == rgb.count, "periodTwoEnergy needs a square RGB image, got \(rgb.count) bytes")
        var total = 0, blocks = 0
        for y in stride(from: 0, to: side - 1, by: 2) {
            for x in stride(from: 0, to: side - 1, by: 2) {
                for channel in 0..<3 {
                    let a = Int(rgb[3 * (y * side + x) + channel]), b = Int(rgb[3 * (y * side + x + 1) + channel])
                    let c = Int(rgb[3 * ((y + 1) * side + x) + channel]), d = Int(rgb[3 * ((y + 1) * side + x + 1) + channel])
                    total += abs(a - b + c - d) + abs(a + b - c - d) + abs(a - b - c + d)
                    blocks += 1
                }
            }
        }
        return Double(total) / Double(max(blocks, 1)) / 4 / 255
    }

    static func accuracy(_ predictions: [Int32], _ labels: [Int32]) -> Double {
        guard !labels.isEmpty else { return 0 }
        return Double(zip(predictions, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
}

/// The threshold on one value, and the side of it, that classifies the training
/// values best (the midpoint between two neighbouring sorted values).
struct Threshold {
    let cut: Double
    /// Whether values above `cut` are class 1.
    let aboveIsOne: Bool

    init(values: [Double], labels: [Int32]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        let ones = labels.reduce(0) { $0 + Int($1) }
        // With the cut before position k: class 1 above is right for the ones above and the zeros below.
        var best = (correct: -1, cut: -Double.infinity, aboveIsOne: true)
        var onesBelow = 0
        for k in 0...order.count {
            let cut = k == 0 ? -Double.infinity : k == order.count ? Double.infinity
                : (values[order[k - 1]] + values[order[k]]) / 2
            let zerosBelow = k - onesBelow
            let above = (ones - onesBelow) + zerosBelow
            let below = order.count - above
            if above > best.correct { best = (above, cut, true) }
            if below > best.correct { best = (below, cut, false) }
            if k < order.count { onesBelow += Int(labels[order[k]]) }
        }
        cut = best.cut
        aboveIsOne = best.aboveIsOne
    }

    func predict(_ value: Double) -> Int32 { (value > cut) == aboveIsOne ? 1 : 0 }
}

/// Binary logistic regression on standardised features, fitted by full-batch
/// gradient descent with a small L2 penalty (enough for a handful of features).
struct LogisticRegression {
    let means: [Double]
    let scales: [Double]
    let weights: [Double]
    let bias: Double

    init(features: [[Double]], labels: [Int32], iterations: Int = 500, learningRate: Double = 0.5, l2: Double = 1e-3) {
        let count = Double(max(features.count, 1)), width = features.first?.count ?? 0
        means = (0..<width).map { j in features.reduce(0) { $0 + $1[j] } / count }
        scales = (0..<width).map { [means] j in
            let variance = features.reduce(0) { $0 + ($1[j] - means[j]) * ($1[j] - means[j]) } / count
            return variance > 0 ? 1 / variance.squareRoot() : 0
        }
        let rows = features.map { [means, scales] row in (0..<width).map { (row[$0] - means[$0]) * scales[$0] } }
        var weights = [Double](repeating: 0, count: width), bias = 0.0
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: width), biasGradient = 0.0
            for (row, label) in zip(rows, labels) {
                let error = sigmoid(zip(row, weights).reduce(bias) { $0 + $1.0 * $1.1 }) - Double(label)
                for j in 0..<width { gradient[j] += error * row[j] }
                biasGradient += error
            }
            for j in 0..<width { weights[j] -= learningRate * (gradient[j] / count + l2 * weights[j]) }
            bias -= learningRate * biasGradient / count
        }
        self.weights = weights
        self.bias = bias
    }

    func predict(_ row: [Double]) -> Int32 {
        let z = (0..<weights.count).reduce(bias) { $0 + (row[$1] - means[$1]) * scales[$1] * weights[$1] }
        return z > 0 ? 1 : 0
    }
}

private func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
