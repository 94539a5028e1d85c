import Foundation
import Support

/// Remembers, per input, what planning needs of it (its hash, source and size), so that
/// `list`, `plan` and a fully cached `run` neither generate nor decode the data again.
///
/// One small JSON file per input under `<cache>/inputs/`, named by the SHA-256 of a
/// descriptor of the input: the options that generate built-in data, or the path, size
/// and modification time of every file of a data folder. The descriptor also names
/// this build of the tool (its executable's path, size and modification time), so a
/// rebuilt tool, whose generators may have changed, computes every identity afresh.
/// Entries are written atomically; an unreadable one is simply recomputed.
struct InputMemo: Sendable {
    let directory: URL

    init(cache: ResultCache) {
        directory = cache.directory.appendingPathComponent("inputs", isDirectory: true)
    }

    func load<Value: Codable>(for descriptor: String) -> Value? {
        guard let data = try? Data(contentsOf: url(descriptor)) else { return nil }
        return try? JSONDecoder().decode(Entry<Value>.self, from: data).value
    }

    /// Stores `value` for `descriptor`; a memo that cannot be written is only a lost shortcut.
    func store<Value: Codable>(_ value: Value, for descriptor: String) {
        try? AtomicFile.writeJSON(Entry(value: value), to: url(descriptor))
    }

    private func url(_ descriptor: String) -> URL {
        directory.appendingPathComponent(SHA256.hex(Self.build + "\n" + descriptor) + ".json")
    }

    private struct Entry<Value: Codable>: Codable {
        var value: Value
    }

    /// This build of the tool: the running executable's path, size and modification time.
    static let build: String = {
        let path = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        return fileDescriptor(kind: "tool", path: path)
    }()

    /// `kind path size mtime` of one file (`missing` when it cannot be read).
    static func fileDescriptor(kind: String, path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute),
              let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date else {
            return "\(kind) \(absolute) missing"
        }
        return "\(kind) \(absolute) \(size) \(modified.timeIntervalSince1970)"
    }

    /// Every file below `directory` (sorted), each as a file descriptor.
    static func folderDescriptor(_ directory: String) -> String {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return "folder \(root.path) missing" }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String { files.append(relative) }
        return "folder \(root.path)\n" + files.sorted().map { fileDescriptor(kind: "file", path: root.appendingPathComponent($0).path) }
            .joined(separator: "\n")
    }
}
