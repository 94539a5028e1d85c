import Engine
import Foundation
import Images
import Support

extension FaceDataset {
    /// Loads the course's face folders: `folder/{train,val,test}/{0_real|real, 1_fake|fake}/*.{jpg,jpeg,png}`
    /// in `ImageFolder`'s order (class 0 then class 1, files sorted by name).
    ///
    /// Each file is read and decoded once, and every view of `FacePreprocessing` is
    /// computed from that one decoded image, on the budget's cores (the result does not
    /// depend on their number). A file that cannot be read or decoded is an error
    /// naming it, or with `skipUnreadable` is left out and listed in `skipped`. A split
    /// left without images is an error naming its folder.
    ///
    /// `contentHash` is the SHA-256 of a version line (`hashVersion`) and, for every
    /// loaded file in loading order, its path relative to `folder` followed by the
    /// SHA-256 of its bytes: it changes when any file's bytes or name change, or the
    /// decoding of the same bytes, not when the folder moves.
    /// - Parameter maxImagePixels: an image declaring more pixels is refused from its header, before decoding.
    public static func load(folder: String, imageSize: Int = 64, skipUnreadable: Bool = false,
                            maxImagePixels: Int = ImageDecoder.maximumPixels, cores: CoreBudget = .machine()) throws -> FaceDataset {
        let root = URL(fileURLWithPath: folder).standardizedFileURL.path
        let preprocessing = try FacePreprocessing(imageSize: imageSize, source: root)
        var hasher = SHA256()
        hasher.update(Array("image folder v\(hashVersion)\n".utf8))
        var splits: [FaceSplit] = []
        var skipped: [SkippedFile] = []
        for split in ImageFolder.Split.allCases {
            let items: [ImageFolder.Item]
            do {
                items = try ImageFolder.items(root: root, split: split)
            } catch let error as ImageFolderError {
                throw DataError(file: error.path, error.detail)
            }
            let results = cores.map(count: items.count) { index in
                loadImage(items[index].path, preprocessing: preprocessing, maxPixels: maxImagePixels)
            }
            var views: [FacePreprocessing.Views] = [], labels: [Int32] = [], names: [String] = []
            for (item, result) in zip(items, results) {
                switch result {
                case .success(let loaded):
                    let name = relativeName(item.path)
                    hasher.update(Array(name.utf8) + [0] + loaded.digest)
                    views.append(loaded.views)
                    labels.append(item.label)
                    names.append(name)
                case .failure(let error):
                    guard skipUnreadable else { throw error }
                    skipped.append(SkippedFile(path: item.path, reason: error.message))
                }
            }
            let path = (root as NSString).appendingPathComponent(split.rawValue)
            guard !views.isEmpty else {
                throw DataError(file: path, items.isEmpty ? "no images (expected .jpg, .jpeg or .png files in the class folders)"
                                                         : "none of its \(items.count) images could be decoded")
            }
            // One class leaves nothing to learn (train) or to measure (validation, test); it also rules out one image.
            let fakes = labels.filter { $0 == 1 }.count
            guard fakes > 0, fakes < labels.count else {
                throw DataError(file: path, "has images of one class only (\(labels.count - fakes) real, \(fakes) fake): "
                                + "each split needs both real and fake images")
            }
            splits.append(FaceSplit(views: views, labels: labels, names: names, preprocessing: preprocessing))
        }
        return FaceDataset(train: splits[0], validation: splits[1], test: splits[2], imageSize: imageSize, source: root,
                           contentHash: hasher.finalizeHex(), skipped: skipped)
    }

    /// Version of the decoding of a folder's files, part of its `contentHash`, so that
    /// results cached for pixels decoded another way are not reused (the built-in
    /// faces are not decoded, and keep their hash). 2: 16-bit PNGs are reduced to 8
    /// bits as Pillow reduces them (`PNG.eightBitLevel`); 1 read them at full precision.
    static let hashVersion = 2

    /// One file read, hashed, decoded and transformed.
    private struct LoadedImage {
        let views: FacePreprocessing.Views
        let digest: [UInt8]
    }

    private static func loadImage(_ path: String, preprocessing: FacePreprocessing, maxPixels: Int) -> Result<LoadedImage, DataError> {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            return .failure(DataError(file: path, "cannot read the file: \(FileProblem.reason(of: error))"))
        }
        do {
            let image = try ImageDecoder.decode(bytes, source: path, maxPixels: maxPixels)
            var hasher = SHA256()
            hasher.update(bytes)
            return .success(LoadedImage(views: preprocessing.views(of: image), digest: hasher.finalize()))
        } catch let error as ImageError {
            return .failure(DataError(file: error.file, error.detail + (error.kind == .tooLarge ? " (--max-image-pixels raises it)" : "")))
        } catch {
            return .failure(DataError(file: path, "\(error)"))
        }
    }

    /// `split/class/file` of a path `ImageFolder` listed.
    private static func relativeName(_ path: String) -> String {
        path.split(separator: "/").suffix(3).joined(separator: "/")
    }
}
