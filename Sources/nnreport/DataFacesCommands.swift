import ArgumentParser
import Datasets
import Foundation
import Images

/// The options that determine the built-in faces.
struct BuiltInFaceOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Seed of the built-in faces.")
    var seed: UInt64 = 0

    @OptionGroup var image: FaceImageOptions

    @Flag(help: "The small split of --quick runs (96/32/32 images) instead of the course's 1400/200/400.")
    var quick = false

    var configuration: SyntheticFaces.Configuration {
        SyntheticFaces.Configuration(seed: seed, size: quick ? .quick : .standard, imageSize: image.sizeWithoutPreset,
                                     strength: image.strength)
    }
}

struct DataExportFaces: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-faces",
        abstract: "Write the built-in faces as PNG files in the course's layout: DIR/{train,val,test}/{0_real,1_fake}/NNNNN.png."
    )

    @Argument(help: "Folder to create (it must not exist, or be empty).")
    var directory: String

    @OptionGroup var faces: BuiltInFaceOptions

    func run() throws {
        let url = URL(fileURLWithPath: directory)
        let count = try FaceExport.write(faces.configuration, to: url)
        print("wrote \(count) images of \(faces.configuration.description) to \(url.standardizedFileURL.path)")
    }
}

struct DataFaces: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faces",
        abstract: "Check a face folder (or the built-in faces): splits, classes, hash, and two hand-made detectors."
    )

    @Option(help: "Folder with train/, val/, test/, each with 0_real/ (or real/) and 1_fake/ (or fake/) (default: the built-in faces).")
    var data: String?

    @Flag(help: "Leave out images that cannot be decoded instead of stopping.")
    var skipUnreadable = false

    @OptionGroup var faces: BuiltInFaceOptions

    func run() throws {
        let start = Date()
        let dataset = try data.map {
            try FaceDataset.load(folder: $0, imageSize: faces.image.sizeWithoutPreset, skipUnreadable: skipUnreadable)
        } ?? SyntheticFaces.generate(faces.configuration)
        let seconds = Date().timeIntervalSince(start)
        let check = FaceSanityCheck.run(dataset)
        func counts(_ split: FaceSplit) -> String { "\(split.count) (\(split.classCounts[0]) real, \(split.classCounts[1]) fake)" }
        print("source:      \(dataset.source)")
        print("sha256:      \(dataset.contentHash)")
        print("image size:  \(dataset.imageSize)x\(dataset.imageSize)")
        print("train:       \(counts(dataset.train))")
        print("validation:  \(counts(dataset.validation))")
        print("test:        \(counts(dataset.test))")
        if !dataset.skipped.isEmpty {
            print("skipped:     \(dataset.skipped.count) unreadable files")
            for file in dataset.skipped.prefix(10) { print("  \(file.path): \(file.reason)") }
        }
        print(String(format: "loaded in:   %.2f s", seconds))
        print(String(format: "test accuracy of colour statistics (logistic regression): %.3f", check.colorStatistics))
        print(String(format: "test accuracy of period-2 energy (threshold):             %.3f", check.periodTwoEnergy))
        if let pretrained = check.periodTwoEnergyPretrained {
            print(String(format: "the same on the pretrained view (resized, cropped):       %.3f", pretrained))
        }
    }
}

struct DataPreview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Draw contact sheets of the built-in images: faces.png, faces-flaws.png, shapes.png."
    )

    @Argument(help: "Folder to write the three PNG files into (created if missing).")
    var directory: String

    @OptionGroup var faces: BuiltInFaceOptions

    @Option(parsing: .unconditional, help: "Magnification of each image's pixels.")
    var zoom: Int = 2

    func validate() throws {
        guard (1...16).contains(zoom) else { throw ValidationError("--zoom must be within 1...16") }
    }

    func run() throws {
        let configuration = faces.configuration
        try configuration.validate()
        let side = configuration.imageSize
        let folder = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func write(_ sheet: ContactSheet, _ name: String) throws {
            let url = folder.appendingPathComponent(name)
            try PNG.rgbWriter(width: sheet.width, height: sheet.height, rgb: sheet.rgb).write(to: url)
            print("wrote \(url.path)")
        }
        // Row 1: eight real test images; row 2: eight fake ones.
        let real = (0..<8).map { SyntheticFaces.pixels(.test, label: 0, index: $0, configuration) }
        let fake = (0..<8).map { SyntheticFaces.pixels(.test, label: 1, index: $0, configuration) }
        try write(ContactSheet(images: real + fake, side: side, columns: 8, zoom: zoom), "faces.png")
        // The same fakes, then their flaws (the image minus the same image made with strength 0), magnified 16 times around grey.
        var clean = configuration
        clean.strength = 0
        let traces = (0..<8).map { index in
            zip(fake[index], SyntheticFaces.pixels(.test, label: 1, index: index, clean)).map { pair in
                UInt8(clamping: 128 + 16 * (Int(pair.0) - Int(pair.1)))
            }
        }
        try write(ContactSheet(images: fake + traces, side: side, columns: 8, zoom: zoom), "faces-flaws.png")
        // The backbone's source task: two examples of each class, the classes in label order (two rows per set).
        let classCount = SyntheticShapes.classNames.count
        let shapes = SyntheticShapes.Configuration(seed: configuration.seed, count: 2 * classCount, imageSize: side)
        let examples = (0..<(2 * classCount)).map { SyntheticShapes.pixels($0, shapes) }
        try write(ContactSheet(images: examples, side: side, columns: classCount / 2, zoom: zoom), "shapes.png")
        print("source-task classes, row by row (rows 1-2, then again rows 3-4): "
            + SyntheticShapes.classNames.joined(separator: "; "))
    }
}
