import Baselines

/// Small deterministic data sets for the baseline tests.
enum ToyData {
    /// `rows` rows of `columns` features in [-1, 1] (fixed pseudo-random values);
    /// the label is 1 exactly when feature 0 is positive, so a threshold on one
    /// feature separates the classes. Row 0 has label `firstLabel`.
    static func separable(rows: Int = 60, columns: Int = 4, firstLabel: Int32 = 1) throws -> LabeledFeatures {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Float {
            // SplitMix64, scaled to [-1, 1).
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Float(z >> 40) / Float(1 << 23) - 1
        }
        var values: [Float] = []
        var labels: [Int32] = []
        for row in 0..<rows {
            var features = (0..<columns).map { _ in next() }
            // Keep a margin around the threshold, and alternate the classes so both occur.
            let label: Int32 = row % 2 == 0 ? firstLabel : 1 - firstLabel
            features[0] = (0.1 + 0.9 * abs(features[0])) * (label == 1 ? 1 : -1)
            values += features
            labels.append(label)
        }
        return try LabeledFeatures(features: FeatureMatrix(rows: rows, columns: columns, values: values), labels: labels)
    }

    /// The fraction of `predicted` equal to `labels`.
    static func accuracy(_ predicted: [Int32], _ labels: [Int32]) -> Double {
        Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
    }
}
