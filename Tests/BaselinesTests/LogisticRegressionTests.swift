import Foundation
import Testing
import TestSupport
@testable import Baselines

struct LogisticRegressionTests {
    private func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    private func largestDifference(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    /// `weights·x + intercept` for each row, in Double.
    private func margins(_ model: LogisticRegressionModel, _ features: FeatureMatrix) -> [Double] {
        (0..<features.rows).map { row in
            (0..<features.columns).reduce(model.intercept) { sum, column in
                sum + model.weights[column] * Double(features.values[row * features.columns + column])
            }
        }
    }

    @Test(.tags(.endToEnd), arguments: [Int32(1), 0])
    func learnsSeparableProblemWhicheverClassComesFirst(firstLabel: Int32) throws {
        let data = try ToyData.separable(firstLabel: firstLabel)
        let model = try LogisticRegression.train(on: data)
        let probabilities = try model.probabilities(data.features)
        #expect(probabilities.allSatisfy { (0...1).contains($0) })
        let classes = try model.classes(data.features)
        #expect(classes == probabilities.map { $0 > 0.5 ? 1 : 0 })
        #expect(classes == data.labels)
        #expect(model.weights.count == 4)
        #expect(model.featureCount == 4)
        // Feature 0 carries the class: its weight favours class 1 and dominates.
        #expect(model.weights[0] > 0)
        #expect(model.weights.dropFirst().allSatisfy { abs($0) < model.weights[0] })
    }

    @Test(.tags(.endToEnd)) func classOrderDoesNotChangeTheModel() throws {
        // The same rows, once with a class-1 row first and once with a class-0 row first:
        // LIBLINEAR orients its weights towards whichever came first.
        let data = try ToyData.separable(firstLabel: 1)
        let order = [1, 0] + Array(2..<data.count)
        let columns = data.features.columns
        let swapped = try LabeledFeatures(
            features: FeatureMatrix(rows: data.count, columns: columns,
                                    values: order.flatMap { data.features.values[$0 * columns ..< ($0 + 1) * columns] }),
            labels: order.map { data.labels[$0] })
        #expect(swapped.labels.first == 0)
        let one = try LogisticRegression.train(on: data)
        let other = try LogisticRegression.train(on: swapped)
        #expect(largestDifference(one.weights + [one.intercept], other.weights + [other.intercept]) < 1e-9)
        #expect(largestDifference(try one.probabilities(data.features), try other.probabilities(data.features)) < 1e-9)
    }

    @Test(.tags(.endToEnd), arguments: [1.0, 2.5, -1])
    func probabilitiesFollowTheExposedWeights(bias: Double) throws {
        let data = try ToyData.separable(firstLabel: 0)
        let model = try LogisticRegression.train(LogisticRegressionParameters(bias: bias), on: data)
        let expected = margins(model, data.features).map(sigmoid)
        #expect(largestDifference(try model.probabilities(data.features), expected) < 1e-12)
        if bias < 0 { #expect(model.intercept == 0) } else { #expect(model.intercept != 0) }
    }

    @Test(.tags(.numerics, .endToEnd), arguments: [0.05, 1.0, 20])
    func weightsMinimiseTheDocumentedObjective(c: Double) throws {
        // At the minimum of 0.5 |w|^2 + C sum_i log(1 + exp(-y_i w·x_i)), with y in {-1, 1} and x
        // including the bias feature B (weight intercept / B, regularised too), the gradient
        // w + C sum_i (sigmoid(y_i w·x_i) - 1) y_i x_i vanishes: here, relative to its size at w = 0
        // (LIBLINEAR also stops once the objective changes by less than 1e-12 of itself).
        let data = try ToyData.separable(rows: 30, columns: 3)
        let bias = 1.5
        let model = try LogisticRegression.train(
            LogisticRegressionParameters(c: c, tolerance: 1e-10, bias: bias), on: data)
        let z = margins(model, data.features)
        var gradient = model.weights + [model.intercept / bias]
        var initial = [Double](repeating: 0, count: 4)
        for row in 0..<data.count {
            let y: Double = data.labels[row] == 1 ? 1 : -1
            let x = data.features.values[row * 3 ..< row * 3 + 3].map { Double($0) } + [bias]
            for column in 0..<4 {
                gradient[column] += c * (sigmoid(y * z[row]) - 1) * y * x[column]
                initial[column] += c * (sigmoid(0) - 1) * y * x[column]
            }
        }
        let relative = gradient.map(abs).max()! / initial.map(abs).max()!
        #expect(relative < 1e-8, "gradient \(gradient)")
    }

    @Test(.tags(.endToEnd)) func strongerRegularisationShrinksTheWeights() throws {
        let data = try ToyData.separable(rows: 30, columns: 3)
        let strong = try LogisticRegression.train(LogisticRegressionParameters(c: 0.01), on: data)
        let weak = try LogisticRegression.train(LogisticRegressionParameters(c: 100), on: data)
        #expect(abs(strong.weights[0]) * 10 < abs(weak.weights[0]))
    }

    @Test(.tags(.endToEnd)) func deterministic() throws {
        let data = try ToyData.separable(rows: 200, columns: 8)
        let first = try LogisticRegression.train(on: data)
        let second = try LogisticRegression.train(on: data)
        #expect(first.weights == second.weights)
        #expect(first.intercept == second.intercept)
        #expect(try first.probabilities(data.features) == second.probabilities(data.features))
    }

    @Test(.tags(.errors), arguments: [
        (LogisticRegressionParameters(c: 0), "C <= 0"),
        (LogisticRegressionParameters(tolerance: -1), "eps <= 0"),
        (LogisticRegressionParameters(c: .nan), "c, tolerance and bias must be finite, got nan, 0.01, 1.0"),
    ])
    func parametersLiblinearRefusesCarryItsMessage(parameters: LogisticRegressionParameters, expected: String) throws {
        let data = try ToyData.separable()
        #expect(throws: LogisticRegressionError.invalidParameter(expected)) {
            try LogisticRegression.train(parameters, on: data)
        }
    }

    @Test(.tags(.errors)) func refusesOneClassAndOtherColumnCounts() throws {
        let features = try FeatureMatrix(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6])
        let oneClass = try LabeledFeatures(features: features, labels: [1, 1, 1])
        let error = #expect(throws: LogisticRegressionError.singleClass(1)) { try LogisticRegression.train(on: oneClass) }
        #expect(error?.description == "logistic regression needs both classes in the training labels, all are 1")
        let model = try LogisticRegression.train(on: ToyData.separable())
        #expect(throws: BaselineDataError.columnCount(expected: 4, actual: 2)) { try model.probabilities(features) }
    }

    @Test(.tags(.endToEnd)) func zeroFeaturesAreSkippedWithoutChangingTheModel() throws {
        // A column of zeros has no nodes in LIBLINEAR's sparse rows; its weight stays 0.
        let data = try ToyData.separable(rows: 40, columns: 3)
        let widened = try LabeledFeatures(
            features: FeatureMatrix(rows: 40, columns: 4, values: (0..<40).flatMap {
                [0] + data.features.values[$0 * 3 ..< ($0 + 1) * 3]
            }),
            labels: data.labels)
        let narrow = try LogisticRegression.train(on: data)
        let wide = try LogisticRegression.train(on: widened)
        #expect(wide.weights == [0] + narrow.weights)
        #expect(try wide.probabilities(widened.features) == narrow.probabilities(data.features))
    }

    @Test func libraryVersion() {
        // Debian bookworm's liblinear4 2.3.0.
        #expect(LogisticRegression.libraryVersion == "2.30")
    }
}
