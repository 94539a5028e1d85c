import Foundation
import MarkupValidation

/// The checks a site passes before it is published: every HTML page parses with
/// libxml2's HTML parser, every SVG as XML, neither holds anything that could run
/// code (``ActiveContentPolicy``, on the parsed tree), every local `href`/`src`
/// names a file of the site (and every `#fragment` an id of its page), and nothing
/// is fetched from elsewhere.
public enum SiteChecks {
    /// Throws the first problem found in the files under `root`.
    public static func check(root: URL, files: [String]) throws {
        let present = Set(files)
        for path in files where path.hasSuffix(".svg") || path.hasSuffix(".html") {
            try check(file: path, text: try read(root.appendingPathComponent(path), path: path), present: present)
        }
    }

    /// Throws the first problem of one figure (`.svg`) or page (`.html`) of a site
    /// whose files are `present`; other files are not checked.
    static func check(file path: String, text: String, present: Set<String>) throws {
        if path.hasSuffix(".svg") {
            let (elements, errors) = MarkupValidator.xmlElements(text, name: path)
            if let error = errors.first {
                throw ReportError.invalidSite(file: path, message: "line \(error.line): \(error.message) (libxml2's XML parser)")
            }
            try refuseActiveContent(elements, file: path)
        } else if path.hasSuffix(".html") {
            do {
                try MarkupValidator.validateHTML(text, name: path)
            } catch let error as MarkupError {
                throw ReportError.invalidSite(file: path, message: "line \(error.line): \(error.message) (libxml2's HTML parser)")
            }
            try refuseActiveContent(MarkupValidator.htmlElements(text, name: path), file: path)
            try checkReferences(text, page: path, present: present)
        }
    }

    private static func read(_ url: URL, path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ReportError.invalidSite(file: path, message: "was not written")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The no-JavaScript promise, checked on the parsed page or figure (see ``ActiveContentPolicy``).
    static func refuseActiveContent(_ elements: [MarkupElement], file: String) throws {
        if let found = ActiveContentPolicy.findings(in: elements).first {
            throw ReportError.activeContent(file: file, line: found.line, message: found.message)
        }
    }

    /// Every `href`/`src` value of `html`, with the tag it is on.
    static func references(in html: String) -> [(tag: String, attribute: String, value: String)] {
        HTMLAttributes.scan(html, names: ["href", "src", "xlink:href"])
    }

    /// Checks that local references resolve and that no resource is fetched from elsewhere.
    static func checkReferences(_ html: String, page: String, present: Set<String>) throws {
        let ids = Set(identifiers(in: html))
        let folder = (page as NSString).deletingLastPathComponent
        for reference in references(in: html) {
            let value = reference.value
            if value.hasPrefix("data:") { continue }
            if value.hasPrefix("#") {
                let id = String(value.dropFirst())
                guard ids.contains(id) else {
                    throw ReportError.invalidSite(file: page, message: "link \(value) points to no element with id \"\(id)\"")
                }
                continue
            }
            let lower = value.lowercased()
            let external = lower.hasPrefix("//") || lower.range(of: "^[a-z][a-z0-9+.-]*:", options: .regularExpression) != nil
            if external {
                // A plain link to another site is fine; loading a resource from one is not.
                if reference.tag == "a" && reference.attribute == "href" { continue }
                throw ReportError.invalidSite(file: page, message: "<\(reference.tag) \(reference.attribute)=\"\(value)\"> would load "
                                              + "a resource from another site; the report must work offline")
            }
            let target = value.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard !target.isEmpty else { continue }
            let decoded = String(target).removingPercentEncoding ?? String(target)
            let resolved = normalise(folder.isEmpty ? decoded : folder + "/" + decoded)
            guard let resolved, present.contains(resolved) else {
                throw ReportError.invalidSite(file: page, message: "<\(reference.tag) \(reference.attribute)=\"\(value)\"> "
                                              + "points to a file the report does not contain")
            }
        }
    }

    /// The values of every `id` attribute.
    static func identifiers(in html: String) -> [String] {
        HTMLAttributes.scan(html, names: ["id"]).map(\.value)
    }

    /// `a/./b/../c` → `a/c`; nil when the path leaves the site's root.
    static func normalise(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// The five entities the renderer writes into attributes.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// A small tokenizer for start tags: the attributes named `names` of every start
/// tag, in order, with entities in values decoded. Comments, doctype and closing
/// tags are skipped.
enum HTMLAttributes {
    static func scan(_ html: String, names: Set<String>) -> [(tag: String, attribute: String, value: String)] {
        let wanted = Set(names.map { Array($0.utf8) })
        let bytes = Array(html.utf8)
        var found: [(String, String, String)] = []
        var index = 0
        let commentStart = Array("<!--".utf8), commentEnd = Array("-->".utf8)
        func isNameByte(_ byte: UInt8) -> Bool {
            byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x3E && byte != 0x2F && byte != 0x3D
                && byte != 0x22 && byte != 0x27
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        func text(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self) }
        while index < bytes.count {
            guard bytes[index] == 0x3C else { index += 1; continue }  // "<"
            if bytes[index...].starts(with: commentStart) {
                var end = index + 4
                while end < bytes.count && !bytes[end...].starts(with: commentEnd) { end += 1 }
                index = end + 3
                continue
            }
            index += 1
            guard index < bytes.count, (bytes[index] | 0x20) >= 0x61 && (bytes[index] | 0x20) <= 0x7A else { continue }
            let nameStart = index
            while index < bytes.count && isNameByte(bytes[index]) { index += 1 }
            let tagEnd = index
            while index < bytes.count && bytes[index] != 0x3E {
                if isSpace(bytes[index]) || bytes[index] == 0x2F { index += 1; continue }
                let attributeStart = index
                while index < bytes.count && isNameByte(bytes[index]) { index += 1 }
                if index == attributeStart { index += 1; continue }
                let attributeBytes = Array(bytes[attributeStart..<index]).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                let keep = wanted.contains(attributeBytes)
                while index < bytes.count && isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == 0x3D else {
                    if keep { found.append((text(nameStart, tagEnd).lowercased(), String(decoding: attributeBytes, as: UTF8.self), "")) }
                    continue
                }
                index += 1
                while index < bytes.count && isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count else { break }
                let valueStart: Int, valueEnd: Int
                if bytes[index] == 0x22 || bytes[index] == 0x27 {
                    let quote = bytes[index]
                    valueStart = index + 1
                    index = valueStart
                    while index < bytes.count && bytes[index] != quote { index += 1 }
                    valueEnd = min(index, bytes.count)
                    index += 1
                } else {
                    valueStart = index
                    while index < bytes.count && !isSpace(bytes[index]) && bytes[index] != 0x3E { index += 1 }
                    valueEnd = index
                }
                if keep {
                    let value = text(valueStart, valueEnd)
                    found.append((text(nameStart, tagEnd).lowercased(), String(decoding: attributeBytes, as: UTF8.self),
                                  value.contains("&") ? SiteChecks.unescape(value) : value))
                }
            }
        }
        return found
    }
}
