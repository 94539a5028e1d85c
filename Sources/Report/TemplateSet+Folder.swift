import Foundation
import Support

extension TemplateSet {
    /// Loads and checks the templates in `directory` (see ``TemplateSet``); `sectionIDs`
    /// are the question ids that must each have exactly one section template.
    /// - Parameter displayPath: how to name the folder in messages (default: its path).
    public static func load(from directory: URL, displayPath: String? = nil,
                            sectionIDs: [String] = ReportCatalog.sectionIDs) throws -> TemplateSet {
        let shown = displayPath ?? directory.path
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw ReportError.io(path: shown, message: "is a file, not a folder: the templates are a folder with report.mustache")
        }
        guard exists else {
            throw ReportError.missingTemplates(path: shown, hint: "run nnreport from the project folder, which has Templates/, "
                                               + "or pass --templates DIR")
        }
        var files: [String: [UInt8]] = [:]
        for relative in try mustacheFiles(in: directory) {
            do {
                files[relative] = [UInt8](try Data(contentsOf: directory.appendingPathComponent(relative)))
            } catch {
                throw ReportError.io(path: shown + "/" + relative, message: "cannot be read: \(FileProblem.reason(of: error))")
            }
        }
        let stylesheet = try? Data(contentsOf: directory.appendingPathComponent(stylesheetName))
        return try load(files: files, stylesheet: stylesheet, displayPath: shown, sectionIDs: sectionIDs)
    }

    /// Paths of every `.mustache` file under `directory`, relative to it, sorted.
    private static func mustacheFiles(in directory: URL) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else {
            throw ReportError.io(path: directory.path, message: "cannot list the folder")
        }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            if path.hasSuffix(".mustache") { files.append(path) }
        }
        return files.sorted()
    }
}
