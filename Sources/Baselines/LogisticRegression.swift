internal import CLinear

/// L2-regularised logistic regression for binary classification, trained by
/// LIBLINEAR's primal trust-region Newton solver (`L2R_LR`; Fan et al., JMLR 9,
/// 2008, https://www.csie.ntu.edu.tw/~cjlin/papers/liblinear.pdf).
///
/// Equivalent to scikit-learn's `LogisticRegression(solver="liblinear", C=c,
/// tol=tolerance, intercept_scaling=bias)`. The solver has no randomness: the
/// same data and parameters give bit-identical weights.
///
/// The only file that imports LIBLINEAR.
public enum LogisticRegression {
    /// LIBLINEAR's version, e.g. "2.30".
    public static var libraryVersion: String {
        let version = Int(nnr_liblinear_version())
        return "\(version / 100).\(version % 100 < 10 ? "0" : "")\(version % 100)"
    }

    /// Fits the weights on `training`, which must contain both classes.
    ///
    /// - Throws: `LogisticRegressionError` for parameters LIBLINEAR refuses (its
    ///   message) or a single class.
    public static func train(
        _ parameters: LogisticRegressionParameters = LogisticRegressionParameters(), on training: LabeledFeatures
    ) throws -> LogisticRegressionModel {
        guard parameters.c.isFinite, parameters.tolerance.isFinite, parameters.bias.isFinite else {
            throw LogisticRegressionError.invalidParameter(
                "c, tolerance and bias must be finite, got \(parameters.c), \(parameters.tolerance), \(parameters.bias)")
        }
        let columns = training.features.columns
        // Feature indices are 1-based Int32, and the bias feature takes one more.
        guard columns < Int(Int32.max) - 1 else {
            throw LogisticRegressionError.invalidParameter("LIBLINEAR takes at most \(Int32.max - 2) features")
        }
        if let first = training.labels.first, training.labels.allSatisfy({ $0 == first }) {
            throw LogisticRegressionError.singleClass(first)
        }
        _ = silenceLibrary

        let rows = SparseRows(training.features, bias: parameters.bias)
        var labels = training.labels.map { Double($0) }
        var parameter = CLinear.parameter(
            solver_type: Int32(L2R_LR), eps: parameters.tolerance, C: parameters.c,
            nr_weight: 0, weight_label: nil, weight: nil, p: 0.1, init_sol: nil)
        let trained: UnsafeMutablePointer<model> = try labels.withUnsafeMutableBufferPointer { labels in
            var problem = CLinear.problem(
                l: Int32(training.count), n: Int32(columns + (parameters.bias >= 0 ? 1 : 0)),
                y: labels.baseAddress, x: rows.rowPointers, bias: parameters.bias)
            if let message = check_parameter(&problem, &parameter) {
                throw LogisticRegressionError.invalidParameter(String(cString: message))
            }
            return CLinear.train(&problem, &parameter)
        }
        return LogisticRegressionModel(LinearModel(owning: trained), featureCount: columns)
    }
}

/// LIBLINEAR prints training progress to stdout unless given another printer;
/// this one drops it. Set once, before the first training (it is global).
private let silenceLibrary: Void = set_print_string_function { _ in }

/// A trained LIBLINEAR model, freed when released.
final class LinearModel {
    private var handle: UnsafeMutablePointer<model>?

    init(owning handle: UnsafeMutablePointer<model>) {
        self.handle = handle
    }

    deinit {
        free_and_destroy_model(&handle)
    }

    /// The position of class 1 in LIBLINEAR's class order, which is the order
    /// of first appearance in the training labels (`model->label`).
    var classOneIndex: Int {
        handle!.pointee.label[0] == 1 ? 0 : 1
    }

    /// The weight vector: one weight per feature, then the bias feature's
    /// weight when there is one. Positive weights favour the class at index 0.
    var rawWeights: [Double] {
        let model = handle!.pointee
        let count = Int(model.nr_feature) + (model.bias >= 0 ? 1 : 0)
        return Array(UnsafeBufferPointer(start: model.w, count: count))
    }

    /// Value of the bias feature (negative: none).
    var bias: Double { handle!.pointee.bias }

    /// The probability of each class, in LIBLINEAR's class order, for each row.
    func probabilities(_ features: FeatureMatrix) -> [(Double, Double)] {
        let rows = SparseRows(features, bias: bias)
        var estimates = [0.0, 0.0]
        return (0..<features.rows).map { row in
            _ = predict_probability(handle, rows.rowPointers[row], &estimates)
            return (estimates[0], estimates[1])
        }
    }
}

/// A feature matrix in LIBLINEAR's sparse layout, in one allocation: for each
/// row, its non-zero features (1-based index, value), then the bias feature
/// (index `columns + 1`) when `bias >= 0`, then a terminator with index -1.
private final class SparseRows {
    private let nodes: UnsafeMutableBufferPointer<feature_node>
    /// Where each row starts, as LIBLINEAR's `problem.x` wants it.
    let rowPointers: UnsafeMutablePointer<UnsafeMutablePointer<feature_node>?>

    init(_ features: FeatureMatrix, bias: Double) {
        let nonZero = features.values.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        let perRow = bias >= 0 ? 2 : 1
        nodes = .allocate(capacity: nonZero + features.rows * perRow)
        rowPointers = .allocate(capacity: features.rows)
        var next = 0
        features.values.withUnsafeBufferPointer { values in
            for row in 0..<features.rows {
                rowPointers[row] = nodes.baseAddress! + next
                for column in 0..<features.columns where values[row * features.columns + column] != 0 {
                    nodes[next] = feature_node(
                        index: Int32(column + 1), value: Double(values[row * features.columns + column]))
                    next += 1
                }
                if bias >= 0 {
                    nodes[next] = feature_node(index: Int32(features.columns + 1), value: bias)
                    next += 1
                }
                nodes[next] = feature_node(index: -1, value: 0)
                next += 1
            }
        }
        precondition(next == nodes.count, "sparse rows: counted \(nodes.count) nodes, wrote \(next)")
    }

    deinit {
        nodes.deallocate()
        rowPointers.deallocate()
    }
}
