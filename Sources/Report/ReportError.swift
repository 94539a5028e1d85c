import Support

/// What can stop a report from being rendered or published, each with a message
/// that names the file (and line, where there is one) to look at.
///
/// Every one of these leaves the previous report in place.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// The templates folder (or one of its required files) does not exist.
    case missingTemplates(path: String, hint: String)
    /// A template file that is not UTF-8 text: where its first invalid byte is.
    case notUTF8(file: String, problem: UTF8Problem)
    /// A template does not parse: `file:line:column: message`.
    case templateSyntax(file: String, line: Int, column: Int, message: String, source: String)
    /// A file in `sections/` whose name is not a question id of the study.
    case unknownSection(file: String, known: [String])
    /// A question of the study without its `sections/<id>.mustache`.
    case missingSection(id: String, expected: String)
    /// A `{{> name}}` whose template does not exist.
    case missingPartial(file: String, line: Int, name: String)
    /// A `{{{name}}}` or `{{& name}}` outside the one place raw markup is allowed (chart SVG).
    case unescapedText(file: String, line: Int, name: String)
    /// A template construct that could defeat escaping (a delimiter change, a pragma, a data-chosen partial).
    case unsafeTemplate(file: String, line: Int, message: String)
    /// Partials that include themselves, directly or through others: `cycle` starts and ends with the same template.
    case partialCycle(file: String, line: Int, cycle: [String])
    /// The rendered site failed a check (markup, links) before it was published.
    case invalidSite(file: String, message: String)
    /// The rendered site holds something that could run code (a script, an event handler, a `javascript:` URL).
    case activeContent(file: String, line: Int, message: String)
    /// Reading inputs or writing the site failed.
    case io(path: String, message: String)

    public var description: String {
        switch self {
        case .missingTemplates(let path, let hint):
            return "\(path): not found; \(hint)"
        case .notUTF8(let file, let problem):
            return "\(file):\(problem.line): \(problem.description)"
        case .templateSyntax(let file, let line, let column, let message, let source):
            // The line is the user's own, but it may be megabytes long: shown cut, like every echoed value.
            let excerpt = source.isEmpty ? "" : "\n    \(Excerpt.of(source, limit: 160))"
            return "\(file):\(line):\(column): \(message)\(excerpt)"
        case .unknownSection(let file, let known):
            return "\(file): unknown section: the file name is not a question id of the study "
                + "(the ids are \(known.joined(separator: ", ")))"
        case .missingSection(let id, let expected):
            return "\(expected): missing: question \(id) needs a section template"
        case .missingPartial(let file, let line, let name):
            return "\(file):\(line): partial \"\(Excerpt.of(name))\" does not exist (expected \(Excerpt.of(name)).mustache in the templates folder)"
        case .unescapedText(let file, let line, let name):
            return "\(file):\(line): {{{\(Excerpt.of(name))}}} inserts text without escaping; only chart SVG ({{{svg}}}) may be "
                + "inserted raw, use {{\(Excerpt.of(name))}} instead"
        case .unsafeTemplate(let file, let line, let message):
            return "\(file):\(line): \(message)"
        case .partialCycle(let file, let line, let cycle):
            return "\(file):\(line): partials include each other in a cycle, which would never end: "
                + cycle.joined(separator: " → ")
        case .invalidSite(let file, let message):
            return "\(file): \(message)"
        case .activeContent(let file, let line, let message):
            return "\(file):\(line): \(message): the report must work without JavaScript, so it is not published"
        case .io(let path, let message):
            return "\(path): \(message)"
        }
    }
}
