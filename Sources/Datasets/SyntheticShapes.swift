import Engine
import Support

/// The source task on which the tool pretrains its own ResNet18 backbone when no
/// ImageNet weights are given, a related but different task on other images, as
/// ImageNet classification is for real-vs-generated faces:
///
/// - ten classes of procedural images (shapes, outlines, gratings, textures) with
///   random colours, positions, sizes, textured backgrounds and photometric noise,
///   for generic features (edges, corners, orientations, frequencies, textures);
/// - 24 classes of portrait attributes: built-in portraits (`FacePortrait`, drawn
///   from their own random streams, so none is an image of the face splits, and
///   never with a fake's flaws) labelled by hair colour (6) times what they wear
///   (nothing, glasses, earrings or a beard), for features of faces, hair and
///   accessories. The real/fake labels play no part.
///
/// Deterministic from the seed; image `i` has class `i mod 34` and its own random
/// stream, so any subset can be made alone and threads do not change the pixels.
/// Images are quantised to 8 bits per channel like every other image of the study.
public enum SyntheticShapes {
    /// The shape classes, labels 0 to 9.
    public static let shapeClassNames = [
        "disc", "ring", "rectangle", "triangle", "cross", "stripes", "checkerboard", "dots", "lines", "blobs",
    ]

    /// The portrait classes, labels 10 to 33: hair colour, then accessory.
    public static let portraitClassNames = FacePortrait.hairColorNames.flatMap { hair in
        FacePortrait.Accessory.allCases.map { "\(hair) hair, \($0.name)" }
    }

    /// Class names by label.
    public static let classNames = shapeClassNames + portraitClassNames

    /// Names this version of the task; part of the content hash and of the
    /// pretraining's cache key, so a backbone pretrained on another version is not reused.
    public static let version = "built-in shapes and portraits v2"

    /// Everything that determines the images.
    public struct Configuration: Sendable, Equatable {
        public var seed: UInt64
        /// Number of images (classes balanced to within one).
        public var count: Int
        /// Side of the images in pixels.
        public var imageSize: Int

        public init(seed: UInt64 = 0, count: Int = 10_000, imageSize: Int = 64) {
            self.seed = seed
            self.count = count
            self.imageSize = imageSize
        }

        /// Fails for a count below one or an image side outside `8...1024`.
        public func validate() throws {
            guard count >= 1 else { throw DataError(file: description, "count \(count) must be at least 1") }
            guard (8...1024).contains(imageSize) else {
                throw DataError(file: description, "image size \(imageSize) is outside 8...1024")
            }
        }

        /// For the report: `built-in shapes and portraits (seed 0, 10000 images, 64x64)`.
        public var description: String {
            "built-in shapes and portraits (seed \(seed), \(count) images, \(imageSize)x\(imageSize))"
        }
    }

    /// The generated images.
    public struct Images: Sendable {
        /// `[N, 3, S, S]`, values in `0...1` (not normalised: apply ImageNet's mean and
        /// standard deviation, as `ImageTransforms.normalize` does, to pretrain for the
        /// `pretrained` view of the face data).
        public let images: Tensor
        /// `N` labels in `0..<34`.
        public let labels: [Int32]
        public let classNames: [String]
        /// SHA-256 of the parameters and the 8-bit pixels (see `generate`).
        public let contentHash: String
        public var count: Int { labels.count }
    }

    /// Generates the images on the budget's cores (the result does not depend on their number).
    ///
    /// `contentHash` is the SHA-256 of the parameters followed by the SHA-256 of each
    /// image's 8-bit pixels, in order (hashed image by image so the threads share the work).
    public static func generate(_ configuration: Configuration, cores: CoreBudget = .machine()) throws -> Images {
        try configuration.validate()
        let size = configuration.imageSize
        let root = RNG(seed: configuration.seed).derive(0x5_4A_9E)
        let plane = size * size
        let (images, digests) = concurrentRows(count: configuration.count, rowShape: [3, size, size], cores: cores) {
            index, row in
            let rgb = image(index, size: size, root: root)
            let scale: Float = 1 / 255
            for pixel in 0..<plane {
                for channel in 0..<3 { row[channel * plane + pixel] = Float(rgb[3 * pixel + channel]) * scale }
            }
            var hasher = SHA256()
            hasher.update(rgb)
            return hasher.finalize()
        }
        var hasher = SHA256()
        hasher.update(Array("\(version)\nseed \(configuration.seed)\ncount \(configuration.count)\nsize \(size)\n".utf8))
        for digest in digests { hasher.update(digest) }
        let labels = (0..<configuration.count).map { Int32($0 % classNames.count) }
        return Images(images: images, labels: labels, classNames: classNames, contentHash: hasher.finalizeHex())
    }

    /// Image `index` of a dataset as 8-bit RGB, interleaved row by row; its class is `index mod 34`.
    public static func pixels(_ index: Int, _ configuration: Configuration) -> [UInt8] {
        image(index, size: configuration.imageSize, root: RNG(seed: configuration.seed).derive(0x5_4A_9E))
    }

    private static func image(_ index: Int, size: Int, root: RNG) -> [UInt8] {
        var rng = root.derive(UInt64(index))
        let label = index % classNames.count
        guard label >= shapeClassNames.count else {
            return ShapePainter(label: label, size: size, rng: &rng).canvas.quantised()
        }
        let portraitClass = label - shapeClassNames.count, accessories = FacePortrait.Accessory.allCases.count
        let portrait = FacePortrait(hairColor: portraitClass / accessories,
                                    accessory: FacePortrait.Accessory.allCases[portraitClass % accessories], rng: &rng)
        var canvas = portrait.render(size: size, rng: &rng)
        canvas.add(SyntheticFaces.sensorNoise(size: size, grain: 1, rng: &rng))
        return canvas.quantised()
    }
}
