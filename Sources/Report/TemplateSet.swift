import Foundation
import Mustache
import Support

/// The report's templates, loaded and checked before anything is rendered.
///
/// Layout of the folder (`Templates/` by default):
/// - `report.mustache`: the page (title, contents, sections, provenance footer);
/// - `sections/<id>.mustache`: one per question id of the study, no more, no less;
/// - any other `.mustache` file, e.g. `partials/figures.mustache`, usable as a
///   partial under its path without extension (`{{> partials/figures}}`);
/// - `style.css`, copied next to `index.html`.
///
/// Loading parses every template (a syntax error names `file:line:column`), and
/// checks that section files match the question ids, that every partial a
/// template names exists and none includes itself (directly or through others),
/// that raw insertion (`{{{x}}}`, `{{& x}}`) is used for chart SVG only, and that
/// no template changes the delimiters or sets a pragma (either could hide a raw
/// insertion from that check).
public struct TemplateSet: Sendable {
    /// The folder as the user named it, for messages (`Templates`).
    public let displayPath: String
    let library: MustacheLibrary
    /// The stylesheet's bytes.
    public let stylesheet: Data

    static let layoutName = "report"
    static let stylesheetName = "style.css"
    static let sectionFolder = "sections"
    /// The only names that may be inserted without escaping: chart SVG made by Charts.
    static let rawNames: Set<String> = ["svg"]
    /// The one name a dynamic partial (`{{>*template}}`) may take its template from: a section's.
    static let dynamicPartialName = "template"

    /// Checks the templates of a folder, given as the bytes of its `.mustache` files
    /// under their paths relative to the folder (`sections/6.2-q1.mustache`), and
    /// loads them; `stylesheet` is nil when the folder has no `style.css`.
    /// ``load(from:displayPath:sectionIDs:)`` reads a folder into this.
    /// - Parameters:
    ///   - displayPath: how to name the folder in messages (`Templates`).
    ///   - sectionIDs: the question ids that must each have exactly one section template.
    static func load(files: [String: [UInt8]], stylesheet: Data?, displayPath shown: String,
                     sectionIDs: [String]) throws -> TemplateSet {
        var sources: [String: (file: String, text: String)] = [:]
        var templates: [String: MustacheTemplate] = [:]
        for relative in files.keys.sorted() where relative.hasSuffix(".mustache") {
            let file = shown + "/" + relative
            let bytes = files[relative]!
            if let problem = UTF8Problem.find(in: bytes) {
                throw ReportError.notUTF8(file: file, problem: problem)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let name = String(relative.dropLast(".mustache".count))
            do {
                templates[name] = try MustacheTemplate(string: text)
            } catch let error as MustacheTemplate.ParserError {
                throw ReportError.templateSyntax(file: file, line: error.context.lineNumber, column: error.context.columnNumber,
                                                 message: describe(error.error), source: error.context.line)
            }
            sources[name] = (file, text)
        }
        guard templates[layoutName] != nil else {
            throw ReportError.missingTemplates(path: shown + "/" + layoutName + ".mustache", hint: "the page layout is required")
        }
        // Section files must match the question ids exactly.
        let known = Set(sectionIDs)
        for name in templates.keys.sorted() where name.hasPrefix(sectionFolder + "/") {
            let id = String(name.dropFirst(sectionFolder.count + 1))
            if !known.contains(id) {
                throw ReportError.unknownSection(file: sources[name]!.file, known: sectionIDs)
            }
        }
        for id in sectionIDs where templates[sectionFolder + "/" + id] == nil {
            throw ReportError.missingSection(id: id, expected: shown + "/" + sectionFolder + "/" + id + ".mustache")
        }
        var includes: [String: [PartialInclude]] = [:]
        let sections = templates.keys.filter { $0.hasPrefix(sectionFolder + "/") }.sorted()
        for name in templates.keys.sorted() {
            let (file, text) = sources[name]!
            for tag in TemplateScanner.tags(in: text) {
                switch tag.kind {
                case .partial(let partial) where templates[partial] == nil:
                    throw ReportError.missingPartial(file: file, line: tag.line, name: partial)
                case .partial(let partial):
                    includes[name, default: []].append(PartialInclude(name: partial, line: tag.line))
                case .dynamicPartial(let variable) where variable == dynamicPartialName:
                    includes[name, default: []] += sections.map { PartialInclude(name: $0, line: tag.line) }
                case .dynamicPartial(let variable):
                    throw ReportError.unsafeTemplate(file: file, line: tag.line, message: "{{>*\(Excerpt.of(variable))}} picks a template by a "
                                                     + "value of the data; only {{>*\(dynamicPartialName)}} (the section's template) may")
                case .raw(let variable) where !rawNames.contains(variable):
                    throw ReportError.unescapedText(file: file, line: tag.line, name: variable)
                case .setDelimiters:
                    throw ReportError.unsafeTemplate(file: file, line: tag.line, message: "changing the tag delimiters ({{=… …=}}) "
                                                     + "is not allowed: the check that text is escaped could not follow the tags")
                case .pragma(let pragma):
                    throw ReportError.unsafeTemplate(file: file, line: tag.line, message: "{{%\(Excerpt.of(pragma))}} is not allowed: "
                                                     + "a pragma can turn escaping off")
                default:
                    continue
                }
            }
        }
        if let cycle = PartialInclude.firstCycle(in: includes) {
            throw ReportError.partialCycle(file: sources[cycle[0].template]!.file, line: cycle[0].line,
                                           cycle: cycle.map(\.template) + [cycle[0].template])
        }
        guard let stylesheet else {
            throw ReportError.missingTemplates(path: shown + "/" + stylesheetName, hint: "the report's stylesheet is required")
        }
        return TemplateSet(displayPath: shown, library: MustacheLibrary(templates: templates), stylesheet: stylesheet)
    }

    /// Renders the template called `name` (its path without `.mustache`) with `context`.
    func render(_ context: Any, template name: String) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    private static func describe(_ error: Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "syntax error: this {{/…}} does not close the section that is open"
        case .unfinishedName: return "syntax error: a tag is not closed or its name is malformed"
        case .expectedSectionEnd: return "syntax error: a section ({{#…}} or {{^…}}) is never closed"
        case .invalidSetDelimiter: return "syntax error: malformed set-delimiter tag"
        case .transformAppliedToInheritanceSection: return "syntax error: transform applied to an inherited section"
        case .illegalTokenInsideInheritSection: return "syntax error: only blocks may appear inside a partial with inheritance"
        case .textInsideInheritSection: return "syntax error: text inside a partial with inheritance"
        case .invalidConfigVariableSyntax: return "syntax error: malformed {{% …}} tag"
        case .unrecognisedConfigVariable: return "syntax error: unknown {{% …}} setting"
        }
    }
}

/// One `{{> partial}}` of a template, for finding partials that include themselves
/// (Mustache would recurse until the stack overflows).
struct PartialInclude {
    var name: String
    var line: Int

    /// One step of a cycle: `template` includes the next step's template at `line`.
    struct Step: Equatable {
        var template: String
        var line: Int
    }

    /// The first cycle of `includes` (template name → its partials), in sorted order
    /// of the templates, or nil when there is none.
    static func firstCycle(in includes: [String: [PartialInclude]]) -> [Step]? {
        var finished = Set<String>()
        var path: [Step] = []
        var onPath = Set<String>()
        func visit(_ template: String) -> [Step]? {
            if finished.contains(template) { return nil }
            onPath.insert(template)
            for include in includes[template] ?? [] {
                path.append(Step(template: template, line: include.line))
                if onPath.contains(include.name) {
                    return Array(path.drop { $0.template != include.name })
                }
                if let cycle = visit(include.name) { return cycle }
                path.removeLast()
            }
            onPath.remove(template)
            finished.insert(template)
            return nil
        }
        for template in includes.keys.sorted() {
            if let cycle = visit(template) { return cycle }
        }
        return nil
    }
}
