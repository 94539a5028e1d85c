/// One element of a parsed document, as plain values (see `MarkupValidator.xmlElements`).
public struct MarkupElement: Equatable, Sendable {
    public struct Attribute: Equatable, Sendable {
        /// The name as written, with its namespace prefix (`xlink:href`).
        public var name: String
        /// The value with entities and character references decoded.
        public var value: String
    }

    /// The local name (`#entity` for an unresolved entity reference).
    public var name: String
    /// 1-based line where the element starts.
    public var line: Int
    public var attributes: [Attribute]
    public var children: [MarkupElement]
    /// Whether an attribute value holds an entity reference libxml2 did not resolve.
    public var usesEntityReference: Bool
}

/// Something in a document that could run code or load a page when it is opened.
public struct ActiveContent: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public var description: String { "line \(line): \(message)" }
}

/// The check behind the report's promise of no JavaScript, made on the parsed
/// output (never on template text, which escaping, delimiters or entities can
/// disguise). Refused:
/// - elements that run or embed code or other pages: `script`, `iframe`, `frame`,
///   `frameset`, `object`, `embed`, `applet`, `handler` (SVG), `meta http-equiv=refresh`,
///   and a `foreignObject` holding elements (HTML inside SVG);
/// - SVG animations (`set`, `animate`) that change an `href` or an event attribute;
/// - any attribute whose name starts with `on` (event handlers);
/// - a URL attribute (`href`, `src`, `xlink:href`, `action`, `formaction`, `poster`,
///   `background`, `data`) with a scheme other than `http:`, `https:`, `mailto:` or
///   `data:image/` (relative paths and `#fragments` have none). Browsers drop tabs,
///   line breaks and other control characters from a URL, and ignore case, so the
///   scheme is read the same way (`JaVa&#9;script:` is `javascript:`);
/// - entity references libxml2 leaves unresolved (their text is not checked).
public enum ActiveContentPolicy {
    static let forbiddenElements: Set<String> = ["script", "iframe", "frame", "frameset", "object", "embed", "applet", "handler"]
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "poster", "background", "data"]
    static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

    /// Everything `elements` (a parsed document's top level) holds that could run code, in document order.
    public static func findings(in elements: [MarkupElement]) -> [ActiveContent] {
        var found: [ActiveContent] = []
        for element in elements { visit(element, into: &found) }
        return found
    }

    private static func visit(_ element: MarkupElement, into found: inout [ActiveContent]) {
        let name = element.name.lowercased()
        func refuse(_ message: String) { found.append(ActiveContent(line: element.line, message: message)) }
        if name == "#entity" {
            refuse("an entity reference that is not resolved; its text cannot be checked")
        } else if forbiddenElements.contains(name) {
            refuse("<\(element.name)> element")
        } else if name == "foreignobject", !element.children.isEmpty {
            refuse("<\(element.name)> holding <\(element.children[0].name)>: HTML inside SVG")
        } else if name == "meta", element.attributes.contains(where: { localName($0.name) == "http-equiv"
                                                                         && $0.value.lowercased().contains("refresh") }) {
            refuse("<meta http-equiv=\"refresh\">: a page that moves on by itself")
        } else if name == "set" || name == "animate" || name == "animatetransform" || name == "animatemotion",
                  let target = element.attributes.first(where: { localName($0.name) == "attributename" })?.value,
                  isEventAttribute(target) || urlAttributes.contains(localName(target)) {
            refuse("<\(element.name) attributeName=\"\(clip(target))\">: an animation that changes a link or an event handler")
        }
        if element.usesEntityReference {
            refuse("<\(element.name)> has an attribute with an entity reference that is not resolved")
        }
        for attribute in element.attributes {
            let local = localName(attribute.name)
            if isEventAttribute(attribute.name) {
                refuse("<\(element.name) \(clip(attribute.name))=…>: an event handler attribute")
            } else if urlAttributes.contains(local), let scheme = forbiddenScheme(attribute.value) {
                refuse("<\(element.name) \(attribute.name)=\"\(clip(attribute.value))\">: a \(scheme): URL "
                       + "(only relative paths, #fragments, http:, https:, mailto: and data:image/ are allowed)")
            }
        }
        for child in element.children { visit(child, into: &found) }
    }

    /// `xlink:href` → `href`.
    static func localName(_ name: String) -> String {
        String(name.lowercased().split(separator: ":", omittingEmptySubsequences: false).last ?? "")
    }

    static func isEventAttribute(_ name: String) -> Bool {
        localName(name).hasPrefix("on")
    }

    /// The scheme of `value` when it is not allowed, else nil.
    static func forbiddenScheme(_ value: String) -> String? {
        // What a browser does before it reads the scheme: trim, drop tabs and line breaks, ignore case.
        let cleaned = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
            .lowercased()
        guard let colon = cleaned.firstIndex(of: ":") else { return nil }
        let scheme = cleaned[..<colon]
        // A ":" after "/", "?" or "#" belongs to a relative path, query or fragment.
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else {
            return scheme.contains(where: { "/?#".contains($0) }) ? nil : String(clip(String(scheme)))
        }
        if allowedSchemes.contains(String(scheme)) { return nil }
        if cleaned.hasPrefix("data:image/") { return nil }
        return String(scheme)
    }

    private static func clip(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(80)) + "…"
    }
}
