internal import CLibXML2

/// One problem libxml2 reported while parsing a document.
public struct MarkupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name given to the document (a file name or a test label).
    public var document: String
    /// 1-based line of the problem, 0 when libxml2 did not know it.
    public var line: Int
    /// 1-based column of the problem, 0 when libxml2 did not know it.
    public var column: Int
    /// libxml2's own message, without its trailing newline.
    public var message: String
    /// libxml2's error code (`xmlParserErrors`), e.g. 76 for a tag mismatch.
    public var code: Int

    public init(document: String, line: Int, column: Int, message: String, code: Int) {
        self.document = document
        self.line = line
        self.column = column
        self.message = message
        self.code = code
    }

    public var description: String {
        "\(document):\(line):\(column): \(message) (libxml2 error \(code))"
    }
}

/// Well-formedness checks of SVG/XML and HTML with libxml2, called directly.
///
/// Contract:
/// - XML: `xmlReadMemory` with `XML_PARSE_NONET` must return a document and
///   report no error (warnings are ignored). A NULL document is always a
///   failure, even when libxml2 reported nothing.
/// - HTML: libxml2's HTML parser is lenient (it repairs almost anything), so
///   every error it *reports* fails the check, except "Tag X invalid": the
///   parser knows HTML 4 only, and HTML 5 elements (`svg`, `main`, `figure`,
///   ...) are legitimate.
///
/// Errors are collected through libxml2's per-thread structured error handler,
/// so nothing is printed to stderr and concurrent checks on different threads
/// do not mix their errors.
public enum MarkupValidator {
    /// Throws the first error libxml2 reports for `text` parsed as XML.
    public static func validateXML(_ text: String, name: String = "document") throws {
        if let first = xmlErrors(text, name: name).first { throw first }
    }

    /// Throws the first error libxml2's HTML parser reports for `text`.
    public static func validateHTML(_ text: String, name: String = "page") throws {
        if let first = htmlErrors(text, name: name).first { throw first }
    }

    /// Every error libxml2 reports for `text` parsed as XML (empty: well-formed).
    public static func xmlErrors(_ text: String, name: String = "document") -> [MarkupError] {
        let options = Int32(bitPattern: XML_PARSE_NONET.rawValue)
        let (parsed, errors) = parse(text, name: name) { buffer, count, url in
            guard let document = xmlReadMemory(buffer, count, url, "UTF-8", options) else { return false }
            xmlFreeDoc(document)
            return true
        }
        if !parsed && errors.isEmpty {
            return [MarkupError(document: name, line: 0, column: 0,
                                message: "libxml2 returned no document", code: -1)]
        }
        return errors
    }

    /// Every error libxml2's HTML parser reports for `text`, except unknown
    /// (HTML 5) tags.
    public static func htmlErrors(_ text: String, name: String = "page") -> [MarkupError] {
        let options = Int32(bitPattern: HTML_PARSE_NONET.rawValue)
        let (parsed, errors) = parse(text, name: name) { buffer, count, url in
            guard let document = htmlReadMemory(buffer, count, url, "UTF-8", options) else { return false }
            xmlFreeDoc(document)
            return true
        }
        let unknownTag = Int(XML_HTML_UNKNOWN_TAG.rawValue)
        let relevant = errors.filter { $0.code != unknownTag }
        if !parsed && relevant.isEmpty {
            return [MarkupError(document: name, line: 0, column: 0,
                                message: "libxml2 returned no document", code: -1)]
        }
        return relevant
    }

    /// The elements of `text` parsed as XML (an SVG file), with the first error
    /// libxml2 reports; the elements are empty when it returns no document.
    public static func xmlElements(_ text: String, name: String = "document") -> (elements: [MarkupElement], errors: [MarkupError]) {
        let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue)
        var elements: [MarkupElement] = []
        let (_, errors) = parse(text, name: name) { buffer, count, url in
            guard let document = xmlReadMemory(buffer, count, url, "UTF-8", options) else { return false }
            elements = tree(of: document)
            xmlFreeDoc(document)
            return true
        }
        return (elements, errors)
    }

    /// The elements of `text` as libxml2's HTML parser builds them (names in lower case).
    public static func htmlElements(_ text: String, name: String = "page") -> [MarkupElement] {
        let options = Int32(bitPattern: HTML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue)
        var elements: [MarkupElement] = []
        _ = parse(text, name: name) { buffer, count, url in
            guard let document = htmlReadMemory(buffer, count, url, "UTF-8", options) else { return false }
            elements = tree(of: document)
            xmlFreeDoc(document)
            return true
        }
        return elements
    }

    /// The document's element tree as plain values: local names and attribute
    /// values as libxml2 decoded them (entities and character references resolved).
    private static func tree(of document: xmlDocPtr) -> [MarkupElement] {
        func elements(from first: xmlNodePtr?) -> [MarkupElement] {
            var result: [MarkupElement] = []
            var node = first
            while let current = node {
                switch current.pointee.type {
                case XML_ELEMENT_NODE:
                    var attributes: [MarkupElement.Attribute] = []
                    var attribute = current.pointee.properties
                    var usesEntity = false
                    while let property = attribute {
                        var value = ""
                        var child = property.pointee.children
                        while let part = child {
                            if part.pointee.type == XML_ENTITY_REF_NODE { usesEntity = true }
                            if let content = part.pointee.content { value += String(cString: content) }
                            child = part.pointee.next
                        }
                        let prefix = property.pointee.ns?.pointee.prefix.map { String(cString: $0) + ":" } ?? ""
                        attributes.append(.init(name: prefix + text(property.pointee.name), value: value))
                        attribute = property.pointee.next
                    }
                    result.append(MarkupElement(name: text(current.pointee.name), line: Int(xmlGetLineNo(current)),
                                                attributes: attributes, children: elements(from: current.pointee.children),
                                                usesEntityReference: usesEntity))
                case XML_ENTITY_REF_NODE:
                    // Its replacement would need the DTD; the caller refuses the element holding it.
                    result.append(MarkupElement(name: "#entity", line: Int(xmlGetLineNo(current)), attributes: [],
                                                children: [], usesEntityReference: true))
                default:
                    break
                }
                node = current.pointee.next
            }
            return result
        }
        return elements(from: document.pointee.children)
    }

    private static func text(_ pointer: UnsafePointer<xmlChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private final class Collector {
        let document: String
        var errors: [MarkupError] = []
        init(document: String) { self.document = document }
    }

    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Runs `read` on the UTF-8 bytes of `text` with errors captured.
    private static func parse(
        _ text: String, name: String,
        read: (UnsafePointer<CChar>, Int32, String) -> Bool
    ) -> (parsed: Bool, errors: [MarkupError]) {
        _ = initialized
        let collector = Collector(document: name)
        let sink: nnr_xml_error_sink = { context, level, code, line, column, message in
            guard let context else { return }
            let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
            // Warnings (level 1) do not make a document malformed.
            guard level >= Int32(bitPattern: XML_ERR_ERROR.rawValue) else { return }
            var text = message.map { String(cString: $0) } ?? "unknown error"
            while text.last == "\n" || text.last == " " { text.removeLast() }
            collector.errors.append(MarkupError(document: collector.document, line: Int(line),
                                                column: Int(column), message: text, code: Int(code)))
        }
        var target = nnr_xml_error_target(sink: sink, context: Unmanaged.passUnretained(collector).toOpaque())
        // NUL-terminated, so the buffer is never empty (an empty document is malformed, not a crash).
        let bytes = Array(text.utf8) + [0]
        let parsed: Bool = withUnsafeMutablePointer(to: &target) { targetPointer in
            nnr_xml_capture_errors(targetPointer)
            defer { nnr_xml_capture_errors(nil) }
            return bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                    read(base, Int32(buffer.count - 1), name)
                }
            }
        }
        return (parsed, withExtendedLifetime(collector) { collector.errors })
    }
}
