#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine
import Images
import Support

/// The built-in Part 7 data: a designed miniature of real-vs-generated faces.
/// Procedural face-like images, real and fake from one content distribution, told
/// apart only by the flaws generated images have, at several scales and of
/// tunable strength (`GenerationFlaws`), deterministic from a seed.
///
/// Each image: a `FacePortrait` (random composition) painted with antialiasing at
/// the target size, sensor noise at full resolution (a standard deviation drawn per
/// image between 0.6 and 3.5 levels of 255); a fake is painted with its own random
/// subset of flaws (over-smooth texture and less grain, left/right mismatches,
/// background droplets, hair bleeding into the background) and carries the
/// `UpsamplingTrace` of one generator when that flaw is among them; then the image
/// is quantised to 8 bits per channel, so that the PNG files `FaceExport` writes
/// load back to exactly the same tensors.
///
/// Every image has its own random stream, derived from the seed, the split, the
/// label and its index: any image can be made alone, and generation on several
/// threads gives the same pixels.
public enum SyntheticFaces {
    /// Images per split, half real and half fake (the extra one of an odd count is real).
    public typealias Size = SplitSizes<SyntheticFaces>

    /// Everything that determines the built-in images.
    public struct Configuration: Sendable, Equatable {
        public var seed: UInt64
        public var size: Size
        /// Side of the generated images in pixels (`--image-size`); at least 32.
        public var imageSize: Int
        /// Scale of the fake images' flaws: 1 is the calibrated default, 0 none
        /// (then real and fake images have the same distribution).
        public var strength: Double

        public init(seed: UInt64 = 0, size: Size = .standard, imageSize: Int = 64, strength: Double = 1) {
            self.seed = seed
            self.size = size
            self.imageSize = imageSize
            self.strength = strength
        }

        /// The smallest image side (ResNet18 downsamples by 32).
        public static let minimumImageSize = 32

        /// For the report: `built-in faces (seed 0, 64x64, flaw strength 1)`.
        public var description: String {
            "built-in faces (seed \(seed), \(imageSize)x\(imageSize), flaw strength \(strengthText))"
        }

        /// `strength` without a needless `.0`.
        var strengthText: String {
            strength == strength.rounded() && abs(strength) < 1e15 ? String(Int(strength)) : String(strength)
        }

        /// Fails for an image side below 32, a negative or non-finite strength, or an empty split.
        public func validate() throws {
            guard imageSize >= Self.minimumImageSize, imageSize <= 1024 else {
                throw DataError(file: description, "image size \(imageSize) is outside \(Self.minimumImageSize)...1024")
            }
            guard strength.isFinite, strength >= 0 else {
                throw DataError(file: description, "flaw strength \(strength) must be a finite number >= 0")
            }
            for split in ImageFolder.Split.allCases where size.count(split) < 1 {
                throw DataError(file: description, "split \(split.rawValue) has \(size.count(split)) images; it needs at least one")
            }
        }
    }

    /// One generated image.
    public struct Image: Sendable {
        /// Path relative to an exported folder, e.g. `test/1_fake/00042.png`.
        public let name: String
        public let label: Int32
        /// `S · S · 3` bytes, RGB interleaved row by row.
        public let pixels: [UInt8]
    }

    /// Images of class 0 and of class 1 in a split of `count`.
    static func classCounts(_ count: Int) -> [Int] { [count - count / 2, count / 2] }

    /// The images of `split` in loading order (real, then fake, each by index), made on the budget's cores.
    public static func images(_ split: ImageFolder.Split, _ configuration: Configuration, cores: CoreBudget = .machine()) -> [Image] {
        let counts = classCounts(configuration.size.count(split))
        let generator = Generator(configuration)
        return cores.map(count: counts[0] + counts[1]) { position in
            let label: Int32 = position < counts[0] ? 0 : 1
            let index = label == 0 ? position : position - counts[0]
            return Image(name: name(split, label: label, index: index), label: label,
                         pixels: generator.pixels(split, label: label, index: index))
        }
    }

    /// The pixels of one image (`S · S · 3` bytes, RGB interleaved).
    public static func pixels(_ split: ImageFolder.Split, label: Int32, index: Int, _ configuration: Configuration) -> [UInt8] {
        Generator(configuration).pixels(split, label: label, index: index)
    }

    /// The relative path of an image in the course's layout: `split/0_real|1_fake/NNNNN.png`.
    public static func name(_ split: ImageFolder.Split, label: Int32, index: Int) -> String {
        let digits = String(index)
        let padded = String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        return "\(split.rawValue)/\(ImageFolder.classFolders[Int(label)][0])/\(padded).png"
    }
}

extension SyntheticFaces {
    /// The per-dataset state: the root stream and the generator whose trace fakes carry.
    struct Generator: Sendable {
        let configuration: Configuration
        let root: RNG
        let trace: UpsamplingTrace

        init(_ configuration: Configuration) {
            self.configuration = configuration
            root = RNG(seed: configuration.seed).derive(0xFACE)
            var generatorRNG = root.derive(0x6E_6E)
            trace = UpsamplingTrace(rng: &generatorRNG)
        }

        func pixels(_ split: ImageFolder.Split, label: Int32, index: Int) -> [UInt8] {
            let splitNumber = UInt64(ImageFolder.Split.allCases.firstIndex(of: split)!)
            let stream = root.derive(splitNumber << 40 | UInt64(label) << 32 | UInt64(index))
            var contentRNG = stream.derive(1), textureRNG = stream.derive(2)
            var noiseRNG = stream.derive(3), traceRNG = stream.derive(4), flawRNG = stream.derive(5)

            let size = configuration.imageSize
            let portrait = FacePortrait(rng: &contentRNG)
            let flaws = label == 1 ? GenerationFlaws(strength: Float(configuration.strength), rng: &flawRNG) : .none
            var canvas = portrait.render(size: size, flaws: flaws, rng: &textureRNG)
            let trace = flaws.trace > 0 ? self.trace.residual(of: canvas, strength: flaws.trace, rng: &traceRNG) : nil
            canvas.add(SyntheticFaces.sensorNoise(size: size, grain: flaws.textureFactor, rng: &noiseRNG))
            if let trace { canvas.add(trace) }
            return canvas.quantised()
        }
    }
}

extension SyntheticFaces {
    /// Sensor noise standard deviation range, in levels of 255.
    static let noiseLevels: ClosedRange<Double> = 0.6...3.5

    /// Nearly Gaussian noise at full resolution, mostly shared by the channels (luminance),
    /// partly per channel (chroma), of a standard deviation drawn log-uniformly, times `grain`.
    static func sensorNoise(size: Int, grain: Float, rng: inout RNG) -> [Float] {
        let plane = size * size
        let levels = noiseLevels
        let sigma = grain * Float(exp(log(levels.lowerBound) + rng.uniformDouble() * log(levels.upperBound / levels.lowerBound)) / 255)
        var noise = [Float](repeating: 0, count: 3 * plane)
        for pixel in 0..<plane {
            let shared = rng.approximateNormal() * 0.8
            for channel in 0..<3 {
                noise[channel * plane + pixel] = sigma * (shared + 0.6 * rng.approximateNormal())
            }
        }
        return noise
    }
}
