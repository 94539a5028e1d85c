import Dispatch
import Foundation
import Support

/// A problem with the layout of an image folder tree, naming the folder.
public struct ImageFolderError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let detail: String

    public var description: String { "\(path): \(detail)" }
}

/// The real-vs-fake face folders of the study: `ROOT/{train,val,test}/{0_real|real, 1_fake|fake}/*.{jpg,jpeg,png}`.
///
/// Label 0 is real and 1 is fake. Files are taken in a fixed order — class 0
/// first, then class 1, each sorted by file name byte by byte — so that the same
/// tree always gives the same images. File names are matched case-insensitively
/// by extension; other files and hidden files are ignored.
public enum ImageFolder {
    /// The three splits, with their folder names.
    public enum Split: String, CaseIterable, Sendable {
        case train, val, test
    }

    /// Accepted class folder names, label 0 then 1.
    public static let classFolders: [[String]] = [["0_real", "real"], ["1_fake", "fake"]]
    /// Accepted file extensions (lowercase).
    public static let extensions: Set<String> = ["jpg", "jpeg", "png"]

    /// One image file and its label.
    public struct Item: Equatable, Sendable {
        public let path: String
        public let label: Int32
    }

    /// A file that could not be decoded, with the reason.
    public struct Skipped: Equatable, Sendable {
        public let path: String
        public let reason: String
    }

    /// The decoded, transformed images of one split.
    public struct SplitData: Sendable {
        /// `[N, 3, H, W]`.
        public let images: ImageBatch
        /// `N` labels, 0 = real, 1 = fake.
        public let labels: [Int32]
        /// The source file of each image.
        public let files: [String]
        /// Files left out because they could not be decoded (only with `skipUnreadable`).
        public let skipped: [Skipped]
    }

    /// The files of `split` under `root`, in the loading order.
    public static func items(root: String, split: Split) throws -> [Item] {
        let splitPath = (root as NSString).appendingPathComponent(split.rawValue)
        guard isDirectory(splitPath) else {
            throw ImageFolderError(path: splitPath, detail: "missing split folder '\(split.rawValue)'")
        }
        var items: [Item] = []
        for (label, names) in classFolders.enumerated() {
            let present = names.filter { isDirectory((splitPath as NSString).appendingPathComponent($0)) }
            guard present.count == 1 else {
                let detail = present.isEmpty
                    ? "no class folder for label \(label) (expected one of \(names.joined(separator: ", ")))"
                    : "ambiguous class folders \(present.joined(separator: " and ")) for label \(label)"
                throw ImageFolderError(path: splitPath, detail: detail)
            }
            let folder = (splitPath as NSString).appendingPathComponent(present[0])
            let files: [String]
            do {
                files = try FileManager.default.contentsOfDirectory(atPath: folder)
            } catch {
                throw ImageFolderError(path: folder, detail: "cannot list the folder: \(FileProblem.reason(of: error))")
            }
            let images = files.filter { name in
                !name.hasPrefix(".") && extensions.contains((name as NSString).pathExtension.lowercased())
            }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            items += images.map { Item(path: (folder as NSString).appendingPathComponent($0), label: Int32(label)) }
        }
        return items
    }

    /// Decodes and transforms every image of `split`; each must come out `[3, H, W]`
    /// of one common size. An unreadable image is an error naming the file, or, with
    /// `skipUnreadable`, is left out and listed in `skipped`. Decoding runs on
    /// the budget's cores; the result does not depend on their number.
    public static func load(root: String, split: Split, pipeline: ImagePipeline, skipUnreadable: Bool = false,
                            cores: CoreBudget = .machine()) throws -> SplitData {
        try load(items(root: root, split: split), pipeline: pipeline, skipUnreadable: skipUnreadable, cores: cores)
    }

    /// Decodes and transforms `items` (see `load(root:split:pipeline:skipUnreadable:cores:)`).
    public static func load(_ items: [Item], pipeline: ImagePipeline, skipUnreadable: Bool = false,
                            cores: CoreBudget = .machine()) throws -> SplitData {
        let results = decodeAll(items, pipeline: pipeline, cores: cores)
        var kept: [(item: Item, image: Image)] = []
        var skipped: [Skipped] = []
        for (item, result) in zip(items, results) {
            switch result {
            case .success(let image): kept.append((item, image))
            case .failure(let error):
                guard skipUnreadable else { throw error }
                skipped.append(Skipped(path: item.path, reason: error.detail))
            }
        }
        guard let first = kept.first?.image else {
            return SplitData(images: ImageBatch(channels: 3, height: 0, width: 0, images: []), labels: [], files: [],
                             skipped: skipped)
        }
        let shape = first.shape
        if let odd = kept.first(where: { $0.image.shape != shape }) {
            throw ImageError(kind: .invalidArgument, file: odd.item.path,
                             detail: "transformed to \(odd.image.shape), unlike \(shape) of the first image; add a resize or crop")
        }
        let images = ImageBatch(channels: first.channels, height: first.height, width: first.width, images: kept.map(\.image))
        return SplitData(images: images, labels: kept.map(\.item.label), files: kept.map(\.item.path), skipped: skipped)
    }

    private static func decodeAll(_ items: [Item], pipeline: ImagePipeline, cores: CoreBudget) -> [Result<Image, ImageError>] {
        cores.map(count: items.count) { index in
            do {
                let image = pipeline.apply(try ImageDecoder.decode(contentsOfFile: items[index].path))
                guard image.channels == 3 else {
                    throw ImageError(kind: .invalidArgument, file: items[index].path,
                                     detail: "transformed to \(image.shape), expected [3, H, W]")
                }
                return .success(image)
            } catch let error as ImageError {
                return .failure(error)
            } catch {
                return .failure(ImageError(kind: .corrupt, file: items[index].path, detail: "\(error)"))
            }
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }
}
