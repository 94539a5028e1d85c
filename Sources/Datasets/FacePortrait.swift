import Engine

/// One random face-like composition of the built-in Part 7 data: background,
/// shoulders, head, hair, ears, eyes, brows, nose, mouth and sometimes glasses or
/// a beard or earrings, under a random pose, scale, position, lighting and palette.
///
/// Real and fake images draw their content from this one distribution; only the
/// flaws a fake is painted with (`GenerationFlaws`) tell them apart.
/// Features are placed in the head's own frame: origin at the head's centre, `y`
/// down, one unit = the head's half-height.
struct FacePortrait {
    /// The head's frame in the image.
    var center: SIMD2<Float>
    var scale: Float
    var tilt: Float
    /// Sideways turn of the face: inner features shift by up to this many units.
    var turn: Float

    var backgroundTop: SIMD3<Float>
    var backgroundBottom: SIMD3<Float>
    var backgroundAngle: Float
    var backgroundTexture: Float
    var bokeh: [(shape: Ellipse, color: SIMD3<Float>, opacity: Float)]
    var clothing: SIMD3<Float>
    var skin: SIMD3<Float>
    var lip: SIMD3<Float>
    var hair: SIMD3<Float>
    /// Which of the six base hair colours (black, dark brown, brown, blond, red, grey) `hair` is.
    var hairColorIndex: Int
    var hairStyle: HairStyle
    var hairline: Float
    /// How far the hairline comes down at the temples, and how much higher it is on one side.
    var hairlineDrop: Float
    var parting: Float
    var iris: SIMD3<Float>
    var eyeHeight: Float
    var eyeSpacing: Float
    var eyeRadii: SIMD2<Float>
    var eyesClosed: Bool
    var gaze: SIMD2<Float>
    var browRaise: Float
    var browTilt: Float
    var browWidth: Float
    var mouthHeight: Float
    var mouthWidth: Float
    var smile: Float
    var mouthOpen: Float
    var glasses: SIMD3<Float>?
    var beard: Bool
    /// A matching pair of round studs: colour and radius in head units.
    var earrings: (color: SIMD3<Float>, radius: Float)?
    var light: SIMD2<Float>
    var shading: Float
    var exposure: Float
    var tint: SIMD3<Float>

    enum HairStyle: CaseIterable { case bald, short, long }

    /// The base hair colours; each portrait's is one of them, a little lighter or darker.
    static let hairColors: [SIMD3<Float>] = [
        SIMD3(0.07, 0.05, 0.04), SIMD3(0.22, 0.13, 0.07), SIMD3(0.42, 0.28, 0.15),
        SIMD3(0.82, 0.68, 0.42), SIMD3(0.55, 0.24, 0.10), SIMD3(0.62, 0.62, 0.62),
    ]
    static let hairColorNames = ["black", "dark brown", "brown", "blond", "red", "grey"]

    /// What a portrait may wear, one at a time in the backbone's attribute task.
    enum Accessory: Int, CaseIterable {
        case none, glasses, earrings, beard
        var name: String { ["no accessory", "glasses", "earrings", "beard"][rawValue] }
    }

    /// A portrait of the backbone's attribute task: random like any other, but with
    /// hair (never bald) of base colour `hairColor` and exactly `accessory`.
    init(hairColor: Int, accessory: Accessory, rng: inout RNG) {
        self.init(rng: &rng)
        hair = Self.hairColors[hairColor] * (hair / Self.hairColors[hairColorIndex])
        hairColorIndex = hairColor
        if hairStyle == .bald { hairStyle = rng.uniformFloat() < 0.5 ? .short : .long }
        glasses = accessory == .glasses ? (glasses ?? SIMD3(0.05, 0.05, 0.05)) : nil
        if accessory == .earrings, earrings == nil { earrings = (SIMD3(0.85, 0.7, 0.3), rng.uniform(0.05, 0.09)) }
        if accessory != .earrings { earrings = nil }
        beard = accessory == .beard
    }

    init(rng: inout RNG) {
        func u(_ low: Float, _ high: Float) -> Float { rng.uniform(low, high) }
        func chance(_ p: Float) -> Bool { rng.uniformFloat() < p }

        center = SIMD2(0.5 + u(-0.08, 0.08), 0.46 + u(-0.06, 0.06))
        scale = u(0.19, 0.29)
        tilt = u(-0.25, 0.25)
        turn = u(-0.18, 0.18)

        backgroundTop = randomColor(rng: &rng)
        backgroundBottom = mix(backgroundTop, randomColor(rng: &rng), u(0.2, 0.9))
        backgroundAngle = u(0, 2 * .pi)
        backgroundTexture = u(0.015, 0.09)
        bokeh = (0..<rng.index(below: 4)).map { _ in
            let radius = rng.uniform(0.05, 0.2)
            let shape = Ellipse(center: SIMD2(rng.uniform(0, 1), rng.uniform(0, 1)), radii: SIMD2(radius, radius))
            return (shape, randomColor(rng: &rng), rng.uniform(0.15, 0.5))
        }
        clothing = randomColor(rng: &rng)

        // Skin from deep brown to pale, with a little hue spread.
        let tone = u(0, 1)
        skin = mix(SIMD3(0.34, 0.21, 0.14), SIMD3(0.96, 0.80, 0.69), tone) * SIMD3(u(0.95, 1.05), u(0.95, 1.03), u(0.93, 1.05))
        lip = skin * SIMD3(u(0.8, 0.95), u(0.55, 0.7), u(0.58, 0.72))
        hairColorIndex = rng.index(below: Self.hairColors.count)
        hair = Self.hairColors[hairColorIndex] * u(0.8, 1.2)
        let style = u(0, 1)
        hairStyle = style < 0.1 ? .bald : style < 0.55 ? .short : .long
        hairline = u(-0.7, -0.45)
        hairlineDrop = u(0.15, 0.6)
        parting = u(-0.2, 0.2)
        let irisColors: [SIMD3<Float>] = [
            SIMD3(0.30, 0.18, 0.09), SIMD3(0.18, 0.10, 0.05), SIMD3(0.25, 0.42, 0.62),
            SIMD3(0.30, 0.45, 0.30), SIMD3(0.45, 0.48, 0.50),
        ]
        iris = irisColors[rng.index(below: irisColors.count)]
        eyeHeight = u(-0.08, 0.06)
        eyeSpacing = u(0.26, 0.34)
        eyeRadii = SIMD2(u(0.11, 0.15), u(0.05, 0.075))
        eyesClosed = chance(0.06)
        gaze = SIMD2(u(-0.04, 0.04), u(-0.01, 0.01))
        browRaise = u(0.13, 0.2)
        browTilt = u(-0.04, 0.05)
        browWidth = u(0.022, 0.045)
        mouthHeight = u(0.5, 0.6)
        mouthWidth = u(0.16, 0.25)
        smile = u(-0.03, 0.1)
        mouthOpen = chance(0.25) ? u(0.03, 0.07) : 0
        glasses = chance(0.2) ? (chance(0.5) ? SIMD3(0.05, 0.05, 0.05) : randomColor(rng: &rng) * 0.6) : nil
        beard = chance(0.12)
        earrings = chance(0.3) ? (chance(0.5) ? SIMD3(0.85, 0.7, 0.3) : randomColor(rng: &rng), u(0.05, 0.09)) : nil
        let lightAngle = u(0, 2 * .pi)
        light = SIMD2(cos(lightAngle), sin(lightAngle))
        shading = u(0.1, 0.35)
        exposure = u(0.8, 1.12)
        tint = SIMD3(u(0.92, 1.08), 1, u(0.92, 1.08))
    }

    // MARK: The head's frame

    /// The image point of head-frame point `local`.
    func point(_ local: SIMD2<Float>) -> SIMD2<Float> { center + rotated(local * scale, by: tilt) }

    /// The head-frame point of image point `point`.
    func local(_ point: SIMD2<Float>) -> SIMD2<Float> { rotated(point - center, by: -tilt) / scale }

    func ellipse(_ local: SIMD2<Float>, _ radii: SIMD2<Float>, angle: Float = 0) -> Ellipse {
        Ellipse(center: point(local), radii: radii * scale, angle: tilt + angle)
    }

    func capsule(_ start: SIMD2<Float>, _ end: SIMD2<Float>, radius: Float) -> Capsule {
        Capsule(start: point(start), end: point(end), radius: radius * scale)
    }

    /// The hair on top of the head: inside `outer`, above a hairline that is lowest at the temples.
    func hairCap(outer: Ellipse) -> HairCap {
        HairCap(outer: outer, center: center, scale: scale, tilt: tilt, hairline: hairline, drop: hairlineDrop, parting: parting)
    }

    /// An inner feature's frame point, shifted by the face's turn (more for the nose, which stands out).
    func turned(_ local: SIMD2<Float>, depth: Float = 1) -> SIMD2<Float> {
        SIMD2(local.x + turn * depth, local.y)
    }
}

/// The part of `outer` above the curve `y = hairline + drop · x² + parting · x` of a head frame.
struct HairCap: Shape2D {
    var outer: Ellipse
    var center: SIMD2<Float>
    var scale: Float
    var tilt: Float
    var hairline: Float
    var drop: Float
    var parting: Float

    func distance(_ point: SIMD2<Float>) -> Float {
        let local = rotated(point - center, by: -tilt) / scale
        let below = (local.y - (hairline + drop * local.x * local.x + parting * local.x)) * scale
        // The curve's slope stretches vertical distances; divide by it to keep edges one pixel wide.
        let slope = 2 * drop * local.x + parting
        return max(outer.distance(point), below / (1 + slope * slope).squareRoot())
    }

    var bounds: (low: SIMD2<Float>, high: SIMD2<Float>) { outer.bounds }
}

/// A random colour of moderate saturation (backgrounds, clothing, frames).
func randomColor(rng: inout RNG) -> SIMD3<Float> {
    let hue = rng.uniform(0, 6), saturation = rng.uniform(0.1, 0.7), value = rng.uniform(0.25, 0.95)
    let sector = Int(hue) % 6, f = hue - Float(Int(hue))
    let p = value * (1 - saturation), q = value * (1 - saturation * f), t = value * (1 - saturation * (1 - f))
    switch sector {
    case 0: return SIMD3(value, t, p)
    case 1: return SIMD3(q, value, p)
    case 2: return SIMD3(p, value, t)
    case 3: return SIMD3(p, q, value)
    case 4: return SIMD3(t, p, value)
    default: return SIMD3(value, p, q)
    }
}

@inline(__always)
func mix(_ a: SIMD3<Float>, _ b: SIMD3<Float>, _ t: Float) -> SIMD3<Float> { a + (b - a) * t }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
