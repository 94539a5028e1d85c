/// XML escaping for text that comes from data or configuration.
///
/// Every string a chart writes that it did not make itself goes through one of
/// these, so a class named `<script>alert(1)</script>` renders as those
/// characters. Characters XML 1.0 forbids (C0 controls other than tab, line
/// feed and carriage return, U+FFFE, U+FFFF) are dropped, because no escape
/// makes them legal.
public enum XMLEscaping {
    /// Escapes `&`, `<` and `>` for element content.
    public static func text(_ value: String) -> String {
        escape(value, quotes: false)
    }

    /// Escapes `&`, `<`, `>` and `"` for a double-quoted attribute value.
    public static func attribute(_ value: String) -> String {
        escape(value, quotes: true)
    }

    private static func escape(_ value: String, quotes: Bool) -> String {
        var needsWork = false
        for scalar in value.unicodeScalars where isSpecial(scalar, quotes: quotes) {
            needsWork = true
            break
        }
        guard needsWork else { return value }
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where quotes: out.append(contentsOf: "&quot;".unicodeScalars)
            default:
                if isForbidden(scalar) { continue }
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func isSpecial(_ scalar: Unicode.Scalar, quotes: Bool) -> Bool {
        scalar == "&" || scalar == "<" || scalar == ">" || (quotes && scalar == "\"") || isForbidden(scalar)
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 { return v != 0x09 && v != 0x0A && v != 0x0D }
        return v == 0xFFFE || v == 0xFFFF
    }
}

/// A writer of SVG elements: attributes in the order given, values escaped,
/// one element per line (so golden-file diffs are readable), no indentation.
struct SVGBuilder {
    typealias Attributes = [(String, String)]

    private(set) var output = ""
    private var openTags: [String] = []

    init() {}

    /// Opens `tag`; every `open` needs a matching `close`.
    mutating func open(_ tag: String, _ attributes: Attributes = []) {
        output += "<" + tag
        appendAttributes(attributes)
        output += ">\n"
        openTags.append(tag)
    }

    mutating func close() {
        guard let tag = openTags.popLast() else {
            preconditionFailure("SVGBuilder.close() without an open element")
        }
        output += "</" + tag + ">\n"
    }

    /// A self-closing element.
    mutating func element(_ tag: String, _ attributes: Attributes = []) {
        output += "<" + tag
        appendAttributes(attributes)
        output += "/>\n"
    }

    /// An element whose content is `text`, escaped.
    mutating func element(_ tag: String, _ attributes: Attributes = [], text: String) {
        output += "<" + tag
        appendAttributes(attributes)
        output += ">" + XMLEscaping.text(text) + "</" + tag + ">\n"
    }

    /// A `<text>` element made of runs; a superscript run is a `<tspan>` raised
    /// by `dy`, so it renders in every SVG renderer (no `baseline-shift`).
    mutating func text(_ content: RichText, _ attributes: Attributes) {
        output += "<text"
        appendAttributes(attributes)
        output += ">" + XMLEscaping.text(content.base)
        if let superscript = content.superscript {
            output += "<tspan dy=\"-0.45em\" font-size=\"75%\">" + XMLEscaping.text(superscript) + "</tspan>"
        }
        output += "</text>\n"
    }

    /// Markup this module made itself (a `<style>` body, say); never data.
    mutating func raw(_ markup: String) {
        output += markup
    }

    /// The document; every element must be closed.
    func finish() -> String {
        precondition(openTags.isEmpty, "SVGBuilder.finish() with open elements: \(openTags)")
        return output
    }

    private mutating func appendAttributes(_ attributes: Attributes) {
        for (name, value) in attributes {
            output += " " + name + "=\"" + XMLEscaping.attribute(value) + "\""
        }
    }
}

/// A label with an optional superscript tail, e.g. 10 with superscript -3.
struct RichText: Equatable, Sendable {
    var base: String
    var superscript: String?

    init(_ base: String, superscript: String? = nil) {
        self.base = base
        self.superscript = superscript
    }

    var plain: String {
        guard let superscript else { return base }
        return base + "^" + superscript
    }

    func width(size: Double) -> Double {
        TextMetrics.width(base, size: size) + (superscript.map { TextMetrics.width($0, size: size * 0.75) } ?? 0)
    }
}
