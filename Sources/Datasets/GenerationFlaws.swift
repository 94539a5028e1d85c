import Engine

/// The flaws one built-in fake face carries: the kinds of defects images from
/// generative networks are known to have, at three scales. Each fake draws its
/// own random subset of them (`presence` each, at least one), each with its own
/// random intensity, all scaled by the study's `--strength`; at strength 0 a fake
/// has none and is drawn exactly like a real image.
///
/// - **Fine: the upsampling trace** (`UpsamplingTrace`): the checkerboard the
///   generator's stride-2 transposed convolutions leave at periods 2, 4 and 8.
/// - **Mid scale: over-smooth texture.** Generated skin and hair lack the fine
///   texture and sensor grain of photographs (the mid-to-high frequencies of
///   their spectra fall below a camera's: Durall, Keuper & Keuper 2020, "Watch
///   your Up-Convolution"): the skin, hair and background textures and the
///   sensor noise are damped.
/// - **Structure: left/right inconsistencies.** A generator paints each side of
///   a face without a notion that they belong together: eyes of two colours or
///   sizes or looking two ways, earrings that do not match or only on one side,
///   glasses whose two rims differ (Matern, Riess & Stamminger 2019, "Exploiting
///   Visual Artifacts to Expose Deepfakes and Face Manipulations").
/// - **Structure: background "droplets"**: small round blobs with a bright core
///   and a dark rim, the normalisation artifact StyleGAN's authors describe
///   (Karras et al. 2020, "Analyzing and Improving the Image Quality of StyleGAN").
/// - **Structure: hair bleeding into the background**: a soft smear of hair
///   colour beyond the head's outline.
///
/// The mid-scale and structural flaws are several pixels wide, so they survive
/// the pretrained view's resize and crop, which smears the period-2 trace.
/// Drawn from their own random stream: a fake's content (pose, colours,
/// accessories) comes from the same draws as a real image's.
struct GenerationFlaws {
    /// Scale of the upsampling trace (0: none).
    var trace: Float = 0
    /// How much of the fine texture and grain is removed, `0...0.9`.
    var smoothing: Float = 0
    /// Size of the left/right mismatch of the eyes (0: none); which kind is `eyeKind`.
    var eyeMismatch: Float = 0
    var eyeKind = EyeMismatch.color
    /// Which eye (-1 left, 1 right) is the odd one.
    var oddSide: Float = 1
    /// Size of the mismatch of earrings and glasses rims (0: none).
    var accessoryMismatch: Float = 0
    /// Another colour for the odd eye or accessory.
    var oddColor = SIMD3<Float>(0.5, 0.5, 0.5)
    /// Blobs in the background: centre and radius in image units, opacity.
    var droplets: [Droplet] = []
    /// Opacity of the hair smear (0: none) and where it goes, as an angle around the head.
    var hairBleed: Float = 0
    var bleedAngle: Float = 0

    enum EyeMismatch: CaseIterable { case color, size, gaze }

    struct Droplet: Equatable {
        var center: SIMD2<Float>
        var radius: Float
        var opacity: Float
    }

    /// The flaws of a real image: none.
    static let none = GenerationFlaws()

    /// The chance that a fake carries each kind of flaw.
    static let presence: Float = 0.6

    /// Intensity of every flaw at strength 1, as calibrated by measurement (the README's
    /// "Part 7 calibration" has the search and the resulting accuracies).
    enum Calibration {
        /// Multiplies the upsampling trace's own amplitude (`UpsamplingTrace.amplitude`).
        static let trace: Float = 1.5
        /// Fraction of texture removed.
        static let smoothing: Float = 0.6
        /// Eye mismatch: colour blend towards another iris, relative size change, gaze shift.
        static let eyeMismatch: Float = 1
        static let accessoryMismatch: Float = 1
        /// Opacity of a droplet.
        static let droplet: Float = 1
        /// Opacity of the hair smear.
        static let hairBleed: Float = 0.8
    }

    /// The flaws of one fake at `strength`: each kind present with probability
    /// `presence` (one chosen at random when none is), each at a random intensity
    /// between 0.5 and 1.5 of its calibrated size times `strength`. The draws do not
    /// depend on which flaws are present, so a flaw's details are the same at every
    /// strength and with or without the others.
    init(strength: Float, rng: inout RNG) {
        let kinds = 6
        var present = (0..<kinds).map { _ in rng.uniformFloat() < Self.presence }
        let fallback = rng.index(below: kinds)
        if !present.contains(true) { present[fallback] = true }
        let draws = (0..<kinds).map { _ in rng.uniform(0.5, 1.5) }
        let intensity = (0..<kinds).map { present[$0] ? strength * draws[$0] : 0 }

        trace = Calibration.trace * intensity[0]
        smoothing = min(0.9, Calibration.smoothing * intensity[1])
        eyeMismatch = Calibration.eyeMismatch * intensity[2]
        eyeKind = EyeMismatch.allCases[rng.index(below: EyeMismatch.allCases.count)]
        oddSide = rng.uniformFloat() < 0.5 ? -1 : 1
        oddColor = randomColor(rng: &rng)
        accessoryMismatch = Calibration.accessoryMismatch * intensity[3]
        let dropletCount = 1 + rng.index(below: 4)
        let drops = (0..<dropletCount).map { _ in
            Droplet(center: SIMD2(rng.uniform(0.05, 0.95), rng.uniform(0.05, 0.6)), radius: rng.uniform(0.035, 0.08),
                    opacity: min(1, Calibration.droplet * intensity[4] * rng.uniform(0.7, 1.3)))
        }
        droplets = intensity[4] > 0 ? drops : []
        hairBleed = min(0.9, Calibration.hairBleed * intensity[5])
        bleedAngle = rng.uniform(0, 2 * .pi)
    }

    init() {}

    /// Whether no flaw changes a pixel (a real image, or a fake at strength 0).
    var isNone: Bool {
        trace == 0 && smoothing == 0 && eyeMismatch == 0 && accessoryMismatch == 0 && droplets.isEmpty && hairBleed == 0
    }

    /// Multiplies a texture's or the grain's amplitude.
    var textureFactor: Float { 1 - smoothing }
}
