import ArgumentParser
import Foundation
import Images
import Study
import Support

/// Where the report and the result cache live: shared by every command that reads or writes them.
struct OutputOptions: ParsableArguments {
    @Option(help: "Folder of the report.")
    var output: String = "Output"

    @Option(help: "Folder of the result cache (default: <output>/.cache).")
    var cache: String?

    var outputURL: URL { URL(fileURLWithPath: output) }
    var cacheURL: URL { cache.map { URL(fileURLWithPath: $0) } ?? outputURL.appendingPathComponent(".cache") }
}

/// `--only`: the questions a study command works on (every question without it).
struct QuestionSelection: ParsableArguments {
    @Option(help: "Only these questions: ids or id prefixes, comma-separated (6, 6.2, 6.2-q5).")
    var only: String?
}

/// Options shared by the commands that work on a study.
struct StudyArguments: ParsableArguments {
    @Option(help: "Folder with train.csv, validation.csv and test.csv (default: the built-in map).")
    var data: String?

    @Option(parsing: .unconditional, help: "Seed of the built-in map and of the first training run.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional,
            help: "Repeat every run with this many seeds (seed, seed+1, ...) for means and 95% intervals (default: 3 for Part 6; 1 for Part 7 and with --quick).")
    var seeds: Int?

    @Flag(help: "Small data and few epochs: the whole study in seconds, for previews and tests.")
    var quick = false

    @Option(help: "Named settings: default, or course (Part 7 as the course ran it: 224-pixel images, XGBoost at 100 rounds; hours on two cores). Options given beside it win.")
    var preset: StudyPreset = .standard

    @Flag(help: "Tune every grid model of 6.2: learning rate 0.01/0.001/0.0001 × batch size 16/256/1024, chosen on validation accuracy (about 60 more runs).")
    var tune = false

    @OptionGroup var faceOptions: FaceStudyOptions

    @OptionGroup var location: OutputOptions

    func validate() throws {
        if let seeds {
            guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
            guard seeds <= 100 else { throw ValidationError("--seeds is at most 100") }
        }
        if quick, preset != .standard {
            throw ValidationError("--quick and --preset \(preset.rawValue) contradict each other: --quick shrinks the study, the preset sets its full size")
        }
    }

    /// The study these options describe.
    var study: Study.StudyOptions {
        Study.StudyOptions(data: data, seed: seed, seeds: seeds, quick: quick, faces: faceOptions.faces,
                           weights: faceOptions.weights, imageSize: faceOptions.image.imageSize ?? preset.imageSize,
                           faceEpochs: faceOptions.faceEpochs, strength: faceOptions.image.strength,
                           skipUnreadable: faceOptions.skipUnreadable,
                           xgboostRounds: faceOptions.xgboostRounds ?? preset.xgboostRounds, tune: tune,
                           maxImagePixels: faceOptions.maxImagePixels)
    }

    /// The questions `--only` names (every question without it); an error when it names
    /// only questions these options leave out (`6.2-tune` without `--tune`).
    func questions(only: String?) throws -> [any Question] {
        let filters = only.map(QuestionFilter.parse)
        if let only, filters?.isEmpty == true {
            throw ValidationError("--only \"\(Excerpt.of(only))\" names no question: give ids or id prefixes, e.g. --only 6.2,7.1")
        }
        let questions = try StudyCatalog.select(filters)
        if filters != nil, !questions.contains(where: { $0.isPlanned(for: StudySettings(study, part: $0.part)) }) {
            throw ValidationError("\(questions.map(\.id).joined(separator: ", ")) runs only with --tune")
        }
        return questions
    }

    /// The folders and files the study writes and reads, checked before any work: the
    /// output and cache folders writable (or creatable), the `--weights` file readable
    /// when Part 7 is planned.
    func checkPaths(for questions: [any Question], writingReport: Bool) throws {
        if writingReport { try PathCheck.writableFolder(outputURL, role: "--output") }
        try PathCheck.writableFolder(cacheURL, role: location.cache == nil ? "the cache folder (<output>/.cache)" : "--cache")
        if let weights = faceOptions.weights, questions.contains(where: { $0.part == .seven }) {
            try PathCheck.readableFile(URL(fileURLWithPath: weights), role: "--weights")
        }
    }

    /// A session on these options and the cache.
    func session() -> StudySession {
        StudySession(options: study, cache: ResultCache(directory: cacheURL))
    }

    var outputURL: URL { location.outputURL }
    var cacheURL: URL { location.cacheURL }
}

/// The options of Part 7 (real vs fake faces).
struct FaceStudyOptions: ParsableArguments {
    @Option(help: "Folder of face images: train/, val/, test/, each with 0_real/ (or real/) and 1_fake/ (or fake/) (default: the built-in faces).")
    var faces: String?

    @Option(help: "ResNet18 ImageNet weights (torchvision/timm state dict: .safetensors, or a .pth as torch.save writes it, read without running its pickle) for probing, logistic regression and fine-tuning (default: pretrain our own backbone on synthetic images).")
    var weights: String?

    @OptionGroup var image: FaceImageOptions

    @Option(parsing: .unconditional, help: "Epochs of every ResNet18 run of Part 7.")
    var faceEpochs: Int = 1

    @Flag(help: "Leave out face images that cannot be decoded (and say how many) instead of stopping.")
    var skipUnreadable = false

    @Option(parsing: .unconditional, help: "Refuse a face image whose header declares more pixels than this, before decoding it (guards against decompression bombs).")
    var maxImagePixels: Int = ImageDecoder.maximumPixels

    @Option(parsing: .unconditional, help: "Boosting rounds of XGBoost (default: 10, xgboost.train's; 100 with --preset course, XGBClassifier's, about 70 s per learning rate on two cores).")
    var xgboostRounds: Int?

    func validate() throws {
        guard (1...100).contains(faceEpochs) else { throw ValidationError("--face-epochs must be within 1...100") }
        if let xgboostRounds, !(1...10_000).contains(xgboostRounds) {
            throw ValidationError("--xgboost-rounds must be within 1...10000")
        }
        guard maxImagePixels >= 1 else { throw ValidationError("--max-image-pixels must be at least 1") }
    }

}

/// How the face images look: their size, and the strength of the built-in fakes' flaws.
/// Shared by `run` and the `data` commands of the faces.
struct FaceImageOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Side of the square images the networks see (at least 64: XGBoost sees the centre 64x64 crop; default: 64, 224 with --preset course).")
    var imageSize: Int?

    /// The image size for commands that take no `--preset` (the `data` commands).
    var sizeWithoutPreset: Int { imageSize ?? StudyPreset.standard.imageSize }

    @Option(parsing: .unconditional, help: "Strength of the flaws that make the built-in fake faces fake (0 = none: the classes cannot be told apart; 1 = the calibrated default).")
    var strength: Double = 1

    func validate() throws {
        if let imageSize, !(64...1024).contains(imageSize) {
            throw ValidationError("--image-size must be within 64...1024 (XGBoost sees the centre 64x64 crop)")
        }
        guard strength.isFinite, strength >= 0 else { throw ValidationError("--strength must be a number >= 0") }
    }
}

extension StudyPreset: ExpressibleByArgument {}
