import Foundation
import Images

/// What the user asks of a study: which data, how many seeds, how large. Everything a
/// plan needs besides the data itself; `nnreport`'s study options, one to one.
public struct StudyOptions: Sendable, Equatable {
    /// Part 6: a folder with train.csv, validation.csv and test.csv; nil for the built-in map.
    public var data: String?
    /// Seed of the built-in data and of the first run; runs repeat with `seed ... seed + seeds - 1`.
    public var seed: UInt64
    /// How many seeds every run is repeated with; nil for each part's default
    /// (``defaultSeeds(_:quick:)``).
    public var seeds: Int?
    /// Small data and far fewer epochs: the whole study in seconds, for previews and tests.
    public var quick: Bool
    /// Part 7: a face folder in the course's layout; nil for the built-in faces.
    public var faces: String?
    /// torchvision/timm ResNet18 weights (safetensors or a PyTorch .pth); nil to pretrain our own backbone.
    public var weights: String?
    /// Side of the images the networks see.
    public var imageSize: Int
    /// Epochs of every network run of Part 7.
    public var faceEpochs: Int
    /// Strength of the built-in fakes' flaws (0: none).
    public var strength: Double
    /// Leave out unreadable face images instead of stopping.
    public var skipUnreadable: Bool
    /// Boosting rounds of XGBoost.
    public var xgboostRounds: Int
    /// Tune every grid model of 6.2 (learning rate × batch size, chosen on validation accuracy).
    public var tune: Bool
    /// A face image declaring more pixels is refused before decoding.
    public var maxImagePixels: Int

    public init(data: String? = nil, seed: UInt64 = 0, seeds: Int? = nil, quick: Bool = false, faces: String? = nil,
                weights: String? = nil, imageSize: Int = 64, faceEpochs: Int = 1, strength: Double = 1,
                skipUnreadable: Bool = false, xgboostRounds: Int = StudySettings.defaultXGBoostRounds, tune: Bool = false,
                maxImagePixels: Int = ImageDecoder.maximumPixels) {
        self.data = data
        self.seed = seed
        self.seeds = seeds
        self.quick = quick
        self.faces = faces
        self.weights = weights
        self.imageSize = imageSize
        self.faceEpochs = faceEpochs
        self.strength = strength
        self.skipUnreadable = skipUnreadable
        self.xgboostRounds = xgboostRounds
        self.tune = tune
        self.maxImagePixels = maxImagePixels
    }

    /// Seeds of a part when `--seeds` is not given: three for Part 6, so that every
    /// finding is gated on 95% intervals out of the box (about three times the one-seed
    /// time, see the README); one for Part 7 (each seed costs minutes) and for `--quick`
    /// previews.
    public static func defaultSeeds(_ part: StudyPart, quick: Bool) -> Int {
        part == .six && !quick ? 3 : 1
    }

    /// The seeds every run of `part` is repeated with: `seed`, `seed + 1`, ...
    public func seedList(for part: StudyPart) -> [UInt64] {
        let count = seeds ?? Self.defaultSeeds(part, quick: quick)
        return (0..<UInt64(max(count, 1))).map { seed &+ $0 }
    }

    /// The command-line options that give these options back, with absolute paths, so
    /// that another process (a Slurm job) plans exactly the same units. Options at their
    /// default are left out.
    public var arguments: [String] {
        func path(_ text: String) -> String { URL(fileURLWithPath: text).standardizedFileURL.path }
        let defaults = StudyOptions()
        var words: [String] = []
        if let data { words += ["--data", path(data)] }
        if seed != defaults.seed { words += ["--seed", "\(seed)"] }
        if let seeds { words += ["--seeds", "\(seeds)"] }
        if quick { words.append("--quick") }
        if let faces { words += ["--faces", path(faces)] }
        if let weights { words += ["--weights", path(weights)] }
        if imageSize != defaults.imageSize { words += ["--image-size", "\(imageSize)"] }
        if faceEpochs != defaults.faceEpochs { words += ["--face-epochs", "\(faceEpochs)"] }
        if strength != defaults.strength { words += ["--strength", "\(strength)"] }
        if skipUnreadable { words.append("--skip-unreadable") }
        if xgboostRounds != defaults.xgboostRounds { words += ["--xgboost-rounds", "\(xgboostRounds)"] }
        if tune { words.append("--tune") }
        if maxImagePixels != defaults.maxImagePixels { words += ["--max-image-pixels", "\(maxImagePixels)"] }
        return words
    }
}

/// How large a study the questions plan for: the seeds, the `--quick` preset and the
/// Part 7 training settings, with the identity of the pretrained backbone that Part 7's
/// runs carry in their configs. Stored with each part's record in the manifest, so the
/// report rebuilds every key without the data.
public struct StudySettings: Codable, Equatable, Sendable {
    public var quick: Bool
    /// The seeds every run is repeated with (`--seed`, `--seeds`).
    public var seeds: [UInt64]
    /// Epochs of every network run of Part 7 (STUDY.md: 1, `--face-epochs`).
    public var faceEpochs: Int
    /// Boosting rounds of XGBoost (`--xgboost-rounds`, at most 10 in quick mode).
    public var xgboostRounds: Int
    /// Identity of the pretrained backbone (`synthetic:<key>` or `weights:<sha256>`);
    /// empty where Part 7 is not planned.
    public var backbone: String
    /// Whether the grid models of 6.2 are tuned (`--tune`).
    public var tune: Bool

    /// `xgboost.train`'s default number of rounds: the C library itself has none, and
    /// scikit-learn's `XGBClassifier` uses 100, which costs 65-70 s per learning rate on
    /// two cores here (`--xgboost-rounds 100`, 2026-12-04), past the suite's budget.
    public static let defaultXGBoostRounds = 10

    public init(quick: Bool = false, seeds: [UInt64] = [0], faceEpochs: Int = 1,
                xgboostRounds: Int = StudySettings.defaultXGBoostRounds, backbone: String = "", tune: Bool = false) {
        self.quick = quick
        self.tune = tune
        self.seeds = seeds.isEmpty ? [0] : seeds
        self.faceEpochs = faceEpochs
        self.xgboostRounds = quick ? min(xgboostRounds, 10) : xgboostRounds
        self.backbone = backbone
    }

    /// The settings of `options` for `part`, with the backbone identity once it is known.
    public init(_ options: StudyOptions, part: StudyPart, backbone: String = "") {
        self.init(quick: options.quick, seeds: options.seedList(for: part), faceEpochs: options.faceEpochs,
                  xgboostRounds: options.xgboostRounds, backbone: backbone, tune: options.tune)
    }

    private enum CodingKeys: String, CodingKey { case quick, seeds, faceEpochs, xgboostRounds, backbone, tune }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(quick: try container.decode(Bool.self, forKey: .quick), seeds: try container.decode([UInt64].self, forKey: .seeds),
                  faceEpochs: try container.decode(Int.self, forKey: .faceEpochs),
                  xgboostRounds: try container.decode(Int.self, forKey: .xgboostRounds),
                  backbone: try container.decode(String.self, forKey: .backbone),
                  // Manifests written before `--tune` existed have no such field.
                  tune: try container.decodeIfPresent(Bool.self, forKey: .tune) ?? false)
    }

    /// The epoch count to use for a question that asks for `epochs`: unchanged, or
    /// about a twelfth (at least 1) in quick mode.
    public func epochs(_ epochs: Int) -> Int {
        quick ? max(1, (epochs + 6) / 12) : epochs
    }
}
