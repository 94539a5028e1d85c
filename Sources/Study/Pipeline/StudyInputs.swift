import Datasets
import Engine
import Foundation
import Logging
import Support

/// The study's inputs, each resolved the first time something needs it and then
/// shared read-only: the 2D map of Part 6, the face images of Part 7 and the
/// pretrained backbone. Part 7 alone never builds the map; Part 6 alone never decodes
/// a face.
///
/// Planning needs only the inputs' identities (hash, source, size), which a memo in
/// the cache keeps per input (``InputMemo``): `list` and `plan` on a study that has
/// run before neither generate nor decode anything.
public final class StudyInputs: @unchecked Sendable {
    public let options: StudyOptions
    public let cache: ResultCache
    /// The cores used to generate or decode the data.
    let cores: CoreBudget
    private let memo: InputMemo
    private let mapData = Once<MapData>()
    private let faceData = Once<FaceData>()
    private let weights = Once<PretrainedBackbone>()
    private let synthetic = Once<PretrainedBackbone>()
    private let weightsIdentity = Once<String>()

    public init(options: StudyOptions, cache: ResultCache, cores: CoreBudget = .machine()) {
        self.options = options
        self.cache = cache
        self.cores = cores
        memo = InputMemo(cache: cache)
    }

    /// Where the pretrained backbone comes from.
    public var backboneSource: BackboneSource { BackboneSource(options) }

    /// Whether the map or the face images have been built (planning from the memo does not).
    var hasResolvedData: Bool { mapData.isResolved || faceData.isResolved }

    // MARK: Data

    /// Part 6's data: the folder given by `--data`, or the built-in map of `--seed`
    /// (the small one in quick mode).
    public func map() throws -> MapData {
        try mapData.get {
            let points: PointDataset
            if let directory = options.data {
                points = try PointTable.load(directory: URL(fileURLWithPath: directory))
            } else {
                points = try SyntheticMap.generate(seed: options.seed, size: options.quick ? .quick : .standard)
            }
            let data = try MapData(points: points)
            memo.store(data.shape, for: mapDescriptor())
            return data
        }
    }

    /// Part 7's images: the folder given by `--faces`, or the built-in faces.
    public func faces() throws -> FaceData {
        try faceData.get {
            let faces: FaceDataset
            if let directory = options.faces {
                faces = try FaceDataset.load(folder: directory, imageSize: options.imageSize,
                                             skipUnreadable: options.skipUnreadable, maxImagePixels: options.maxImagePixels,
                                             cores: cores)
                if let first = faces.skipped.first {
                    Logger(label: "nnreport.faces").warning(
                        "left out \(faces.skipped.count) unreadable image(s), first \(first.path): \(first.reason)")
                }
            } else {
                faces = try SyntheticFaces.generate(SyntheticFaces.Configuration(
                    seed: options.seed, size: options.quick ? .quick : .standard, imageSize: options.imageSize,
                    strength: options.strength), cores: cores)
            }
            let data = try FaceData(faces: faces)
            memo.store(data.shape, for: faceDescriptor())
            return data
        }
    }

    /// The map's identity and size: from the memo when this map was seen before, else
    /// from the data (which is then kept for training).
    public func mapShape() throws -> MapShape {
        if let known: MapShape = memo.load(for: mapDescriptor()) { return known }
        return try map().shape
    }

    /// The images' identity and size: from the memo when they were seen before, else
    /// from the images (which are then kept for training).
    public func faceShape() throws -> FaceShape {
        if let known: FaceShape = memo.load(for: faceDescriptor()) { return known }
        return try faces().shape
    }

    // MARK: Backbone

    /// The identity the runs using the pretrained backbone carry in their configs,
    /// computed without pretraining anything: the SHA-256 of the weights file, or the
    /// key of our own pretraining unit.
    public func backboneIdentity() throws -> String {
        switch backboneSource {
        case .synthetic(let config):
            return config.identity
        case .weightsFile(let path):
            return try weightsIdentity.get {
                let descriptor = InputMemo.fileDescriptor(kind: "weights", path: path)
                if let known: String = memo.load(for: descriptor) { return known }
                let identity = "weights:" + SHA256.hex(try BackboneStore.readWeights(path))
                memo.store(identity, for: descriptor)
                return identity
            }
        }
    }

    /// Reads and checks the weights file when the backbone comes from one (once; the
    /// units reuse it), so a damaged file stops the study before any training rather
    /// than when the first unit that needs it starts.
    func checkWeightsFile() throws {
        guard case .weightsFile(let path) = backboneSource else { return }
        _ = try weights.get { try BackboneStore.load(weightsFile: path) }
    }

    /// The pretrained backbone `run` starts from: loaded from the weights file, or from
    /// the weights our pretraining unit cached (the plan runs that unit first).
    func backbone(for run: FaceRun) throws -> PretrainedBackbone {
        let backbone: PretrainedBackbone
        switch backboneSource {
        case .weightsFile(let path): backbone = try weights.get { try BackboneStore.load(weightsFile: path) }
        case .synthetic(let config): backbone = try synthetic.get { try BackboneStore.load(config, cache: cache) }
        }
        guard backbone.identity == run.backbone else {
            throw StudyError.unavailable("\(run.summary) needs the pretrained backbone \(run.backbone ?? "?"), "
                                         + "but the study's backbone is \(backbone.identity)")
        }
        return backbone
    }

    // MARK: Memo descriptors

    private func mapDescriptor() -> String {
        guard let directory = options.data else {
            return "map built-in seed \(options.seed) \(options.quick ? "quick" : "standard")"
        }
        let files = ["train.csv", "validation.csv", "test.csv"].map { (directory as NSString).appendingPathComponent($0) }
        return "map folder " + files.map { InputMemo.fileDescriptor(kind: "csv", path: $0) }.joined(separator: " ")
    }

    private func faceDescriptor() -> String {
        let view = "size \(options.imageSize)"
        guard let directory = options.faces else {
            return "faces built-in seed \(options.seed) \(options.quick ? "quick" : "standard") \(view) "
                + "strength \(options.strength)"
        }
        return "faces folder \(view) skip-unreadable \(options.skipUnreadable) "
            + InputMemo.folderDescriptor(directory)
    }
}

/// A value computed once, on first use, by whichever thread asks first; later callers
/// get the same value (or the same error).
final class Once<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, Error>?

    var isResolved: Bool {
        lock.lock()
        defer { lock.unlock() }
        return result != nil
    }

    func get(_ make: () throws -> Value) throws -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let result { return try result.get() }
        let made = Result { try make() }
        result = made
        return try made.get()
    }
}
