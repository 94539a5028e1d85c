import ArgumentParser
import ChartGallery
import Foundation
import Images

struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "Writes one SVG of each chart kind, from built-in example data, and an index.html showing them all."
    )

    @Argument(help: "Directory to write the SVG files and index.html into (created if missing).")
    var directory: String

    func run() throws {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in try Gallery.files(pngWriter: PNG.rgbWriter) {
            let url = folder.appendingPathComponent(file.name)
            try Data(file.contents.utf8).write(to: url, options: .atomic)
            print("\(url.path) (\(file.contents.utf8.count) bytes)")
        }
    }
}
