import Engine
import Images
import Support

extension SyntheticFaces {
    /// Generates the built-in faces and transforms them for every kind of model, on
    /// `threads` threads (the result does not depend on their number).
    ///
    /// `contentHash` is the SHA-256 of the parameters (`hashHeader`) followed by, for
    /// every image in loading order, its name and the SHA-256 of its 8-bit pixels.
    ///
    /// Fails when the configuration is invalid (`Configuration.validate`) or the image
    /// size is below 64 (`FacePreprocessing`).
    public static func generate(_ configuration: Configuration = Configuration(), cores: CoreBudget = .machine()) throws -> FaceDataset {
        try configuration.validate()
        let preprocessing = try FacePreprocessing(imageSize: configuration.imageSize, source: configuration.description)
        var hasher = SHA256()
        hasher.update(Array(hashHeader(configuration).utf8))
        var splits: [FaceSplit] = []
        for split in ImageFolder.Split.allCases {
            let images = self.images(split, configuration, cores: cores)
            let made = cores.map(count: images.count) { index in
                let size = configuration.imageSize
                var imageHasher = SHA256()
                imageHasher.update(images[index].pixels)
                // `Images.Image`: inside SyntheticFaces, `Image` is its own generated image.
                let image = Images.Image(width: size, height: size, rgb: images[index].pixels)
                return (views: preprocessing.views(of: image),
                        digest: imageHasher.finalize())
            }
            for (image, entry) in zip(images, made) { hasher.update(Array(image.name.utf8) + [0] + entry.digest) }
            splits.append(FaceSplit(views: made.map(\.views), labels: images.map(\.label), names: images.map(\.name),
                                    preprocessing: preprocessing))
        }
        var dataset = FaceDataset(train: splits[0], validation: splits[1], test: splits[2], imageSize: configuration.imageSize,
                                   source: configuration.description, contentHash: hasher.finalizeHex())
        dataset.builtInStrength = configuration.strength
        return dataset
    }

    /// What the content hash covers besides the pixels: the version of the generator and every parameter.
    static func hashHeader(_ configuration: Configuration) -> String {
        let size = configuration.size
        return "built-in faces v2\nseed \(configuration.seed)\nsplits \(size.train) \(size.validation) \(size.test)\n"
            + "image size \(configuration.imageSize)\nstrength \(configuration.strength)\n"
    }
}
