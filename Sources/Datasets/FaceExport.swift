import Foundation
import Images
import Support

/// Writes the built-in faces as image files in the course's layout, so that any
/// other tool can read exactly the same data.
public enum FaceExport {
    /// Writes `DIR/{train,val,test}/{0_real,1_fake}/NNNNN.png` (8-bit RGB PNGs, numbered
    /// from 0 within each class folder) and returns the number of images written.
    ///
    /// The files are written into a hidden temporary folder beside `directory`, which
    /// is renamed to `directory` only once complete: an interrupted export leaves no
    /// half-written data folder. `directory` may be missing or an empty folder; a
    /// non-empty one is an error, never overwritten. Loading the folder back with
    /// `FaceDataset.load(folder:imageSize:)` gives the same tensors as
    /// `SyntheticFaces.generate` with the same configuration.
    @discardableResult
    public static func write(_ configuration: SyntheticFaces.Configuration, to directory: URL, cores: CoreBudget = .machine()) throws -> Int {
        try configuration.validate()
        let manager = FileManager.default
        let destination = directory.standardizedFileURL
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: destination.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw DataError(file: destination.path, "exists and is not a folder") }
            let contents = (try? manager.contentsOfDirectory(atPath: destination.path)) ?? ["?"]
            guard contents.isEmpty else {
                throw DataError(file: destination.path, "already exists and is not empty; remove it or choose another folder")
            }
        }
        let parent = destination.deletingLastPathComponent()
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw DataError(file: parent.path, "cannot create the folder: \(FileProblem.reason(of: error))")
        }
        let staging = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? manager.removeItem(at: staging)
        do {
            let count = try writeImages(configuration, into: staging, cores: cores)
            if manager.fileExists(atPath: destination.path) { try manager.removeItem(at: destination) }
            do {
                try manager.moveItem(at: staging, to: destination)
            } catch {
                throw DataError(file: destination.path, "cannot move the finished export into place: \(FileProblem.reason(of: error))")
            }
            return count
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }

    private static func writeImages(_ configuration: SyntheticFaces.Configuration, into folder: URL, cores: CoreBudget) throws -> Int {
        let side = configuration.imageSize
        var written = 0
        for split in ImageFolder.Split.allCases {
            for names in ImageFolder.classFolders {
                let classFolder = folder.appendingPathComponent(split.rawValue).appendingPathComponent(names[0])
                do {
                    try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
                } catch {
                    throw DataError(file: classFolder.path, "cannot create the folder: \(FileProblem.reason(of: error))")
                }
            }
            let images = SyntheticFaces.images(split, configuration, cores: cores)
            let encoded = cores.map(count: images.count) { index in
                Result { try PNG.rgbWriter(width: side, height: side, rgb: images[index].pixels) }
            }
            for (image, png) in zip(images, encoded) {
                let url = folder.appendingPathComponent(image.name)
                do {
                    try writeFile(png.get(), to: url)
                } catch {
                    throw DataError(file: url.path, "cannot write the image: \(FileProblem(path: url.path, error: error, doing: "write").reason)")
                }
                written += 1
            }
        }
        return written
    }

    /// Writes a new file without `Data.write(to:)`, which took 4 ms per file here (most
    /// of an export's time, likely a sync to disk); the staging folder already keeps
    /// a failed export from leaving partial data.
    private static func writeFile(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw DataError(file: url.path, "cannot create the file")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
    }
}
