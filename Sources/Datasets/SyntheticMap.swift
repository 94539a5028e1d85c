import Engine
import Support

/// The built-in Part 6 data: a procedural map of 33 invented countries with the
/// shape of the course's European towns data (longitude -10..40, latitude 35..71,
/// irregular borders, unequal areas and densities, classes unbalanced 1:17, an
/// 80/10/10 stratified split), generated deterministically from a seed.
public enum SyntheticMap {
    /// Number of points in each split.
    public typealias Size = SplitSizes<SyntheticMap>

    /// Invented country names, one per class, in ascending order: the order
    /// `PointTable` gives classes read back from an export, so ids survive the round trip.
    public static let classNames = [
        "Aldmark", "Belvoria", "Carrowen", "Dunmere", "Estavia", "Falkren", "Galdor", "Hollin", "Istrava",
        "Jorvik", "Kaldera", "Lorvania", "Marovia", "Norrland", "Ostmark", "Pellaria", "Quenmoor", "Rostval",
        "Sarnia", "Tevara", "Ulmland", "Valdora", "Westmarch", "Yrsa", "Zeland", "Ardenne", "Brisca",
        "Corvant", "Dalmora", "Elsinor", "Fennmark", "Grisland", "Havenor",
    ].sorted()

    /// Ratio between the most and the least frequent class, as in the course's data.
    static let imbalance = 17.0

    /// Generates the map and samples its points. The same seed and size always give
    /// the same points, in the same order.
    public static func generate(seed: UInt64, size: Size = .standard) throws -> PointDataset {
        let root = RNG(seed: seed)
        var geographyRNG = root.derive(1)
        var sampleRNG = root.derive(2)
        var splitRNG = root.derive(3)
        let regions = classNames.count

        var geography = SyntheticMapGeography(regionCount: regions, rng: &geographyRNG)
        var survey = RegionSurvey(geography: geography, regions: regions)
        // A heavy site can swallow a light neighbour's whole cell; draw again until every
        // country exists (rare, and the redraw is part of the seed's sequence).
        while survey.cellCounts.contains(0) {
            geography = SyntheticMapGeography(regionCount: regions, rng: &geographyRNG)
            survey = RegionSurvey(geography: geography, regions: regions)
        }

        let counts = classCounts(masses: survey.masses, total: size.total)
        var byClass: [[(Float, Float)]] = []
        for region in 0..<regions {
            byClass.append(survey.sample(count: counts[region], in: region, geography: geography, rng: &sampleRNG))
        }
        return try split(byClass, size: size, rng: &splitRNG, seed: seed)
    }

    /// Points per class: proportional to each region's settlement mass raised to the
    /// power that makes the largest class exactly `imbalance` times the smallest,
    /// rounded by largest remainder to sum to `total`.
    static func classCounts(masses: [Double], total: Int) -> [Int] {
        let largest = masses.max()!, smallest = masses.min()!
        let exponent = largest > smallest ? log(imbalance) / log(largest / smallest) : 1
        let weights = masses.map { pow($0 / largest, exponent) }
        let sum = weights.reduce(0, +)
        let exact = weights.map { Double(total) * $0 / sum }
        var counts = exact.map { Int($0) }
        let order = exact.indices.sorted { (exact[$0] - Double(counts[$0]), $1) > (exact[$1] - Double(counts[$1]), $0) }
        for index in order.prefix(total - counts.reduce(0, +)) { counts[index] += 1 }
        return counts
    }

    /// Stratified 80/10/10 split (per class), then each split shuffled.
    static func split(_ byClass: [[(Float, Float)]], size: Size, rng: inout RNG, seed: UInt64) throws -> PointDataset {
        let validationShare = Double(size.validation) / Double(size.total)
        let testShare = Double(size.test) / Double(size.total)
        var parts: [[(point: (Float, Float), label: Int32)]] = [[], [], []]
        for (label, points) in byClass.enumerated() {
            var shuffled = points
            rng.shuffle(&shuffled)
            let validationCount = Int((Double(points.count) * validationShare).rounded())
            let testCount = Int((Double(points.count) * testShare).rounded())
            let trainCount = points.count - validationCount - testCount
            for (index, point) in shuffled.enumerated() {
                let part = index < trainCount ? 0 : index < trainCount + validationCount ? 1 : 2
                parts[part].append((point, Int32(label)))
            }
        }
        var hasher = SHA256()
        hasher.update(Array("built-in map v1".utf8))
        var splits: [LabeledData] = []
        for index in parts.indices {
            rng.shuffle(&parts[index])
            let features = parts[index].flatMap { [$0.point.0, $0.point.1] }
            let labels = parts[index].map(\.label)
            features.withUnsafeBufferPointer { hasher.update(floats: $0) }
            labels.withUnsafeBytes { hasher.update($0) }
            splits.append(try LabeledData(features: Tensor(shape: [labels.count, 2], values: features),
                                          labels: labels, classCount: classNames.count))
        }
        hasher.update(Array(classNames.joined(separator: "\n").utf8))
        return PointDataset(train: splits[0], validation: splits[1], test: splits[2], classNames: classNames,
                            source: "built-in map (seed \(seed), \(size.train)/\(size.validation)/\(size.test) points)",
                            contentHash: hasher.finalizeHex())
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
