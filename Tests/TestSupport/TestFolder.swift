import Foundation

/// Where tests write files: every folder under one folder of this test process,
/// `<tmp>/nnreport-tests-<pid>`, removed when the process exits. A folder left by a
/// process that no longer runs (a crash, a killed run) is removed when the next
/// process starts. (Before, each test left its folders behind: 46 MB per cached quick
/// study copy, 78 GB of them over a few hundred runs filled this machine's disk.)
public enum TestFolder {
    public static let root: URL = {
        let base = FileManager.default.temporaryDirectory
        let prefix = "nnreport-tests-", pid = getpid()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] where name.hasPrefix(prefix) {
            guard let other = Int32(name.dropFirst(prefix.count)), other != pid else { continue }
            if kill(other, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: base.appendingPathComponent(name)) }
        }
        let url = base.appendingPathComponent(prefix + "\(pid)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestFolder.root) }
        return url
    }()
}
