import Engine

/// The invented geography behind the built-in map: 33 regions over a
/// longitude/latitude box shaped like Europe's, with irregular borders and
/// uneven settlement density. Everything is drawn from one seed.
///
/// Regions are cells of a power diagram (Voronoi cells with per-site weights, so
/// their areas differ) evaluated on domain-warped coordinates: a sum of sine
/// waves of decreasing amplitude shifts each point before the nearest site is
/// found, which bends the straight cell edges into wandering borders.
/// Settlement density is a uniform background plus Gaussian "cities".
struct SyntheticMapGeography {
    static let longitudeRange = -10.0...40.0
    static let latitudeRange = 35.0...71.0

    struct Wave { var amplitude: Double; var directionX: Double; var directionY: Double; var phase: Double }
    struct City { var x: Double; var y: Double; var spread: Double; var weight: Double }

    let sites: [(x: Double, y: Double)]
    let weights: [Double]
    let warpX: [Wave]
    let warpY: [Wave]
    let cities: [City]

    init(regionCount: Int, rng: inout RNG) {
        let lon = Self.longitudeRange, lat = Self.latitudeRange
        // Best-candidate sampling spreads the sites evenly without a grid look.
        var sites: [(x: Double, y: Double)] = []
        for _ in 0..<regionCount {
            var best = (x: 0.0, y: 0.0), bestDistance = -1.0
            for _ in 0..<12 {
                let candidate = (x: lon.lowerBound + 1 + rng.uniformDouble() * (lon.upperBound - lon.lowerBound - 2),
                                 y: lat.lowerBound + 1 + rng.uniformDouble() * (lat.upperBound - lat.lowerBound - 2))
                let distance = sites.map { ($0.x - candidate.x) * ($0.x - candidate.x) + ($0.y - candidate.y) * ($0.y - candidate.y) }
                    .min() ?? .infinity
                if distance > bestDistance { best = candidate; bestDistance = distance }
            }
            sites.append(best)
        }
        self.sites = sites
        // Squared-degree offsets of the power distance: up to ~5° more reach for heavy sites.
        weights = (0..<regionCount).map { _ in pow(rng.uniformDouble(), 2) * 22 }
        func waves() -> [Wave] {
            [(1.6, 0.1), (0.8, 0.25), (0.45, 0.6), (0.25, 1.3), (0.12, 2.8)].map { amplitude, frequency in
                let angle = rng.uniformDouble() * 2 * Double.pi
                return Wave(amplitude: amplitude, directionX: frequency * cos(angle), directionY: frequency * sin(angle),
                            phase: rng.uniformDouble() * 2 * Double.pi)
            }
        }
        warpX = waves()
        warpY = waves()
        cities = (0..<160).map { _ in
            City(x: lon.lowerBound + rng.uniformDouble() * (lon.upperBound - lon.lowerBound),
                 y: lat.lowerBound + rng.uniformDouble() * (lat.upperBound - lat.lowerBound),
                 spread: 0.25 + 1.2 * rng.uniformDouble(),
                 weight: -log(1 - rng.uniformDouble()))
        }
    }

    /// The region (class id) at a point.
    func region(x: Double, y: Double) -> Int {
        var wx = x, wy = y
        for wave in warpX { wx += wave.amplitude * sin(wave.directionX * x + wave.directionY * y + wave.phase) }
        for wave in warpY { wy += wave.amplitude * sin(wave.directionX * x + wave.directionY * y + wave.phase) }
        var best = 0, bestDistance = Double.infinity
        for (index, site) in sites.enumerated() {
            let distance = (site.x - wx) * (site.x - wx) + (site.y - wy) * (site.y - wy) - weights[index]
            if distance < bestDistance { best = index; bestDistance = distance }
        }
        return best
    }

    /// Relative settlement density at a point (arbitrary units, > 0).
    func density(x: Double, y: Double) -> Double {
        var total = 0.08
        for city in cities {
            let dx = x - city.x, dy = y - city.y
            let squared = (dx * dx + dy * dy) / (city.spread * city.spread)
            if squared < 16 { total += city.weight * exp(-0.5 * squared) }
        }
        return total
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
