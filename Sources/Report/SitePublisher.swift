import Foundation
import Logging

/// Writes a site into the output folder so that a reader never sees a half-written
/// report.
///
/// 1. Every file goes into a staging folder inside the output folder
///    (`.staging-<uuid>`, on the same file system, so renames are atomic).
/// 2. The staged site is checked (``SiteChecks``): markup parses, links resolve.
/// 3. The report's items (`index.html`, `style.css`, `figures/`, `tables/`,
///    `results.json`) already in the output folder are renamed aside, the staged
///    ones renamed in, and the old ones deleted.
///
/// On any error the staging folder is deleted and the previous report is left
/// (or put back) in place. `.cache/`, `README.md` and anything else in the output
/// folder are never touched.
public enum SitePublisher {
    /// The top-level items a report consists of: the ones a publish replaces.
    public static let managedItems = ["index.html", "style.css", "figures", "tables", "results.json"]

    private static let logger = Logger(label: "nnreport.report")

    /// Publishes `site` into `output` (created if missing).
    public static func publish(_ site: Site, to output: URL) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw ReportError.io(path: output.path, message: "cannot create the output folder (\(error.localizedDescription))")
        }
        removeLeftovers(in: output)
        let token = UUID().uuidString
        let staging = output.appendingPathComponent(".staging-" + token, isDirectory: true)
        defer { try? manager.removeItem(at: staging) }
        for file in site.files {
            let top = String(file.path.split(separator: "/").first ?? "")
            guard managedItems.contains(top) else {
                throw ReportError.invalidSite(file: file.path, message: "is not part of a report (\(managedItems.joined(separator: ", ")))")
            }
            let url = staging.appendingPathComponent(file.path)
            do {
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.data.write(to: url)
            } catch {
                throw ReportError.io(path: url.path, message: "cannot be written (\(error.localizedDescription))")
            }
        }
        try SiteChecks.check(root: staging, files: site.files.map(\.path))
        try swap(from: staging, into: output, token: token)
    }

    /// Moves the old report aside, the new one in, then deletes the old one; puts
    /// the old one back if a move fails.
    private static func swap(from staging: URL, into output: URL, token: String) throws {
        let manager = FileManager.default
        let previous = output.appendingPathComponent(".previous-" + token, isDirectory: true)
        try? manager.createDirectory(at: previous, withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: previous) }
        var movedAside: [String] = []
        var movedIn: [String] = []
        do {
            for item in managedItems where manager.fileExists(atPath: output.appendingPathComponent(item).path) {
                try manager.moveItem(at: output.appendingPathComponent(item), to: previous.appendingPathComponent(item))
                movedAside.append(item)
            }
            for item in managedItems where manager.fileExists(atPath: staging.appendingPathComponent(item).path) {
                try manager.moveItem(at: staging.appendingPathComponent(item), to: output.appendingPathComponent(item))
                movedIn.append(item)
            }
        } catch {
            for item in movedIn { try? manager.removeItem(at: output.appendingPathComponent(item)) }
            for item in movedAside {
                try? manager.moveItem(at: previous.appendingPathComponent(item), to: output.appendingPathComponent(item))
            }
            throw ReportError.io(path: output.path, message: "cannot replace the report (\(error.localizedDescription)); "
                                 + "the previous one is kept")
        }
    }

    /// Deletes staging and previous-report folders that a killed render left behind
    /// more than ten minutes ago (a younger one may belong to a render still running).
    private static func removeLeftovers(in output: URL) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: output.path) else { return }
        for name in names where name.hasPrefix(".staging-") || name.hasPrefix(".previous-") {
            let url = output.appendingPathComponent(name)
            let modified = (try? manager.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? Date()
            if Date().timeIntervalSince(modified) > 600 {
                logger.info("removing \(url.path), left by an interrupted render")
                try? manager.removeItem(at: url)
            }
        }
    }
}
