import Foundation
import Logging
import Support

/// Writes a site into the output folder so that a reader never sees a half-written
/// or mixed report, one publisher at a time.
///
/// 1. Takes an exclusive lock on `<output>/.lock` (a second publisher waits, and
///    says which process it waits for), then removes what killed publishers left:
///    `.staging-*` and `.trash-*` folders.
/// 2. Writes every file into `.staging-<uuid>/` inside the output folder (same file
///    system, so renames are atomic) and checks the staged site (``SiteChecks``).
/// 3. Renames the staged `report-<digest>/` folder (every file but the page; see
///    ``Site``) into the output folder; a folder of that name is already the same
///    content, and is kept.
/// 4. Renames the staged `index.html` over the old one: **the switch**, one
///    `rename(2)`. Before it, the page and everything it links to are the old
///    report; after it, the new one.
/// 5. Renames the other `report-*` folders (and the flat `figures/`, `tables/`,
///    `style.css`, `results.json` of reports written before this layout) to
///    `.trash-*` and deletes them.
///
/// Killed at any moment, the output folder shows the old report or the new one,
/// complete; the next publish removes the leftovers. On an error the previous
/// report is left as it was. `.cache/`, `README.md` and anything else in the
/// output folder are never touched.
public enum SitePublisher {
    /// The top-level items of reports written before the versioned layout, replaced by `report-<digest>/`.
    public static let legacyItems = ["style.css", "figures", "tables", "results.json"]
    /// The lock file that makes publishers take turns.
    public static let lockName = ".lock"
    static let folderPrefix = "report-"

    /// The steps of a publish after which `NNREPORT_FAULT_KILL_PUBLISH=<step>` kills the process
    /// (SIGKILL, as a crash would), for the tests of the guarantee above.
    public enum Step: Int, CaseIterable, Sendable {
        case locked = 1, staged, checked, folderInPlace, switched, oldRemoved
    }

    private static let logger = Logger(label: "nnreport.report")

    /// Publishes `site` (laid out with ``SiteLayout/versioned``) into `output` (created if missing).
    public static func publish(_ site: Site, to output: URL) throws {
        guard let folder = site.folder else {
            throw ReportError.invalidSite(file: "index.html", message: "the site is not laid out for publishing (SiteLayout.versioned)")
        }
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw ReportError.io(path: output.path, message: "cannot create the output folder: \(FileProblem.reason(of: error))")
        }
        let lock = try takeLock(in: output)
        defer { lock?.unlock() }
        fault(after: .locked)
        removeLeftovers(in: output)
        let staging = output.appendingPathComponent(".staging-" + UUID().uuidString, isDirectory: true)
        defer { try? manager.removeItem(at: staging) }
        for file in site.files {
            let url = staging.appendingPathComponent(file.path)
            do {
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.data.write(to: url)
            } catch {
                throw ReportError.io(path: output.appendingPathComponent(file.path).path,
                                     message: "cannot be written: \(FileProblem.reason(of: error)); the previous report is kept")
            }
        }
        fault(after: .staged)
        try SiteChecks.check(root: staging, files: site.files.map(\.path))
        fault(after: .checked)

        let target = output.appendingPathComponent(folder, isDirectory: true)
        var isDirectory: ObjCBool = false
        if !(manager.fileExists(atPath: target.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            try rename(staging.appendingPathComponent(folder), to: target)
        }
        fault(after: .folderInPlace)
        try rename(staging.appendingPathComponent("index.html"), to: output.appendingPathComponent("index.html"))
        fault(after: .switched)
        removeOldReports(in: output, keeping: folder)
        fault(after: .oldRemoved)
    }

    /// The exclusive publishing lock of `output`; nil (with a warning) on a file system without locks.
    private static func takeLock(in output: URL) throws -> FileLock? {
        let lock: FileLock
        do {
            lock = try FileLock(url: output.appendingPathComponent(lockName))
            if try !lock.tryLock(.exclusive) {
                let holder = lock.holder ?? "another process"
                logger.notice("waiting for \(holder), which is publishing into \(output.path) (it holds \(lock.url.path))")
                try lock.lock(.exclusive)
            }
        } catch let problem as FileProblem where problem.reason.contains("no locks available") {
            logger.warning("\(problem.path): the file system offers no locks; publishing without one")
            return nil
        } catch let problem as FileProblem {
            throw ReportError.io(path: problem.path, message: "\(problem.doing): \(problem.reason)")
        }
        return lock
    }

    private static func rename(_ source: URL, to destination: URL) throws {
        guard Foundation.rename(source.path, destination.path) == 0 else {
            throw ReportError.io(path: destination.path, message: "cannot be replaced: \(FileProblem.reason(errno: errno)); "
                                 + "the previous report is kept")
        }
    }

    /// Moves every other `report-*` folder and the items of the flat layout out of sight, then deletes them.
    private static func removeOldReports(in output: URL, keeping folder: String) {
        let manager = FileManager.default
        let names = (try? manager.contentsOfDirectory(atPath: output.path)) ?? []
        for name in names where (name.hasPrefix(folderPrefix) && name != folder) || legacyItems.contains(name) {
            let trash = output.appendingPathComponent(".trash-" + UUID().uuidString)
            if Foundation.rename(output.appendingPathComponent(name).path, trash.path) == 0 {
                try? manager.removeItem(at: trash)
            }
        }
    }

    /// Deletes the staging, trash and previous-report folders of killed publishers: at
    /// once, since the lock says no other publisher is running.
    private static func removeLeftovers(in output: URL) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: output.path) else { return }
        for name in names where [".staging-", ".trash-", ".previous-"].contains(where: name.hasPrefix) {
            logger.info("removing \(output.appendingPathComponent(name).path), left by an interrupted render")
            try? manager.removeItem(at: output.appendingPathComponent(name))
        }
    }

    private static func fault(after step: Step) {
        guard let value = ProcessInfo.processInfo.environment["NNREPORT_FAULT_KILL_PUBLISH"], Int(value) == step.rawValue else {
            return
        }
        kill(getpid(), SIGKILL)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
