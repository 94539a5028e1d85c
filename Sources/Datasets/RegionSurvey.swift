import Engine

/// A grid scan of the map that finds, per region, its extent, its settlement mass
/// and its peak density, so points can be drawn region by region by rejection.
struct RegionSurvey {
    static let resolution = 256

    var cellCounts: [Int]
    var masses: [Double]
    var peakDensity: [Double]
    /// Bounding box of each region's cells, in degrees, grown by one cell.
    var boxes: [(x: ClosedRange<Double>, y: ClosedRange<Double>)]

    init(geography: SyntheticMapGeography, regions: Int) {
        let lon = SyntheticMapGeography.longitudeRange, lat = SyntheticMapGeography.latitudeRange
        let n = Self.resolution
        let cellWidth = (lon.upperBound - lon.lowerBound) / Double(n)
        let cellHeight = (lat.upperBound - lat.lowerBound) / Double(n)
        cellCounts = Array(repeating: 0, count: regions)
        masses = Array(repeating: 0, count: regions)
        peakDensity = Array(repeating: 0, count: regions)
        var low = Array(repeating: (Double.infinity, Double.infinity), count: regions)
        var high = Array(repeating: (-Double.infinity, -Double.infinity), count: regions)
        for row in 0..<n {
            let y = lat.lowerBound + (Double(row) + 0.5) * cellHeight
            for column in 0..<n {
                let x = lon.lowerBound + (Double(column) + 0.5) * cellWidth
                let region = geography.region(x: x, y: y)
                let density = geography.density(x: x, y: y)
                cellCounts[region] += 1
                masses[region] += density
                peakDensity[region] = max(peakDensity[region], density)
                low[region] = (min(low[region].0, x), min(low[region].1, y))
                high[region] = (max(high[region].0, x), max(high[region].1, y))
            }
        }
        let counts = cellCounts
        boxes = (0..<regions).map { region in
            guard counts[region] > 0 else { return (0...0, 0...0) }
            return (max(lon.lowerBound, low[region].0 - cellWidth)...min(lon.upperBound, high[region].0 + cellWidth),
                    max(lat.lowerBound, low[region].1 - cellHeight)...min(lat.upperBound, high[region].1 + cellHeight))
        }
    }

    /// `count` points of `region`, uniform in its box, kept when they fall inside it and
    /// with probability proportional to the settlement density there.
    func sample(count: Int, in region: Int, geography: SyntheticMapGeography, rng: inout RNG) -> [(Float, Float)] {
        let box = boxes[region]
        // The grid peak can miss a city's exact centre; headroom keeps rejection honest.
        let ceiling = peakDensity[region] * 1.25
        var points: [(Float, Float)] = []
        points.reserveCapacity(count)
        while points.count < count {
            let x = box.x.lowerBound + rng.uniformDouble() * (box.x.upperBound - box.x.lowerBound)
            let y = box.y.lowerBound + rng.uniformDouble() * (box.y.upperBound - box.y.lowerBound)
            guard geography.region(x: x, y: y) == region else { continue }
            guard rng.uniformDouble() * ceiling < geography.density(x: x, y: y) else { continue }
            points.append((Float(x), Float(y)))
        }
        return points
    }
}
