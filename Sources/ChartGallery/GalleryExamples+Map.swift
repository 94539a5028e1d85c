import Charts
import Foundation

/// Built-in example decision map for the gallery, at the study's full size.
extension GalleryExamples {
    static let countries = [
        "Portugal", "Spain", "France", "Ireland", "United Kingdom", "Belgium", "Netherlands", "Germany",
        "Denmark", "Norway", "Sweden", "Finland", "Estonia", "Latvia", "Lithuania", "Poland", "Czechia",
        "Austria", "Switzerland", "Italy", "Slovenia", "Croatia", "Bosnia and Herzegovina", "Serbia",
        "Hungary", "Slovakia", "Romania", "Bulgaria", "Greece", "Türkiye", "Ukraine", "Belarus", "Moldova",
    ]

    /// A procedural 33-class map over longitude −10…40, latitude 35…71:
    /// weighted Voronoi regions with warped, irregular borders. The grid is the
    /// "model" (a smoother warp); the 12,500 points take their true class from
    /// a rougher warp, so some near borders are misclassified.
    static func decisionMap() -> DecisionMap {
        var random = ExampleRandom(seed: 62)
        let xRange = -10.0...40.0
        let yRange = 35.0...71.0
        let seeds = countries.indices.map { _ in
            (x: random.uniform(-8, 38), y: random.uniform(37, 69), weight: random.uniform(0.6, 1.5))
        }
        let phases = (0..<8).map { _ in random.uniform(0, 2 * Double.pi) }
        func classAt(_ x: Double, _ y: Double, roughness: Double) -> Int {
            let wx = x + 1.6 * sin(0.31 * y + phases[0]) + 0.9 * sin(0.83 * x + 0.57 * y + phases[1])
                + roughness * sin(2.9 * y + 1.3 * x + phases[4])
            let wy = y + 1.4 * sin(0.37 * x + phases[2]) + 0.8 * sin(0.71 * y - 0.49 * x + phases[3])
                + roughness * sin(3.1 * x - 0.7 * y + phases[5])
            var best = 0
            var bestDistance = Double.infinity
            for (index, seed) in seeds.enumerated() {
                // Longitude degrees shrink with latitude; 0.6 ≈ cos(53°).
                let dx = (wx - seed.x) * 0.6
                let dy = wy - seed.y
                let distance = (dx * dx + dy * dy).squareRoot() / seed.weight
                if distance < bestDistance {
                    bestDistance = distance
                    best = index
                }
            }
            return best
        }
        let columns = 300
        let rows = 300
        let dx = (xRange.upperBound - xRange.lowerBound) / Double(columns)
        let dy = (yRange.upperBound - yRange.lowerBound) / Double(rows)
        var classes = [Int](repeating: 0, count: columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                classes[row * columns + column] = classAt(xRange.lowerBound + (Double(column) + 0.5) * dx,
                                                          yRange.lowerBound + (Double(row) + 0.5) * dy, roughness: 0.25)
            }
        }
        let density = countries.indices.map { _ in random.uniform(0.15, 1) }
        var points: [LabeledPoint] = []
        while points.count < 12_500 {
            let x = random.uniform(xRange.lowerBound, xRange.upperBound)
            let y = random.uniform(yRange.lowerBound, yRange.upperBound)
            let truth = classAt(x, y, roughness: 0.45)
            guard random.uniform() < density[truth] else { continue }
            let column = min(Int((x - xRange.lowerBound) / dx), columns - 1)
            let row = min(Int((y - yRange.lowerBound) / dy), rows - 1)
            points.append(LabeledPoint(x: x, y: y, trueClass: truth, predictedClass: classes[row * columns + column]))
        }
        return DecisionMap(
            id: "gallery-map", title: "Decision regions of the best model on the test set",
            grid: ClassGrid(columns: columns, rows: rows, classes: classes, xRange: xRange, yRange: yRange),
            classNames: countries, points: points, pointsName: "test points",
            aspectRatio: 1 / cos(53 * Double.pi / 180))
    }
}
