/// Finds the tags of a Mustache template that the loader checks: partials
/// (`{{> name}}`, `{{< name}}`, dynamic `{{>*name}}`), raw insertions
/// (`{{{name}}}`, `{{& name}}`), delimiter changes (`{{=<% %>=}}`) and pragmas
/// (`{{% CONTENT_TYPE: TEXT}}`), each with its 1-based line.
///
/// Every `{{` outside a comment starts a tag to check, even one inside what looks
/// like another tag: the Mustache parser may end a malformed tag sooner than at its
/// first `}}` (after a `{{` followed by a line break, it outputs the rest of the
/// line as text and reads the `{{{x}}}` that follows as a tag), so a raw insertion
/// hidden in such a tag is still found. A delimiter change ends the scan: the tags after
/// it are written with other delimiters, which is why the loader refuses it.
enum TemplateScanner {
    struct Tag: Equatable {
        enum Kind: Equatable {
            case partial(String)
            /// `{{>*name}}`: the partial named by the value of `name` at render time.
            case dynamicPartial(String)
            case raw(String)
            /// `{{=<% %>=}}`: later tags use other delimiters.
            case setDelimiters
            /// `{{% NAME: value}}`, e.g. `CONTENT_TYPE: TEXT`, which turns escaping off.
            case pragma(String)
        }

        var kind: Kind
        var line: Int
    }

    static func tags(in text: String) -> [Tag] {
        var tags: [Tag] = []
        let characters = Array(text)
        var index = 0
        var line = 1
        func name(from start: Int, until end: Int) -> String {
            String(characters[start..<end]).trimmingCharacters(in: .whitespaces)
        }
        while index < characters.count {
            if characters[index] == "\n" { line += 1 }
            guard characters[index] == "{", index + 1 < characters.count, characters[index + 1] == "{" else {
                index += 1
                continue
            }
            let tagLine = line
            let start = index + 2
            guard start < characters.count else { break }
            let triple = characters[start] == "{"
            let closing: [Character] = triple ? ["}", "}", "}"] : ["}", "}"]
            var end = start
            while end + closing.count <= characters.count && Array(characters[end..<(end + closing.count)]) != closing {
                end += 1
            }
            guard end + closing.count <= characters.count else { break }
            let sigil = characters[start]
            switch sigil {
            case "{": tags.append(Tag(kind: .raw(name(from: start + 1, until: end)), line: tagLine))
            case "&": tags.append(Tag(kind: .raw(name(from: start + 1, until: end)), line: tagLine))
            case ">", "<":
                let partial = name(from: start + 1, until: end)
                if partial.hasPrefix("*") {
                    let variable = String(partial.dropFirst()).trimmingCharacters(in: .whitespaces)
                    tags.append(Tag(kind: .dynamicPartial(variable), line: tagLine))
                } else {
                    tags.append(Tag(kind: .partial(partial), line: tagLine))
                }
            case "=":
                tags.append(Tag(kind: .setDelimiters, line: tagLine))
                return tags
            case "%":
                tags.append(Tag(kind: .pragma(name(from: start + 1, until: end)), line: tagLine))
            case "!":
                // A comment runs to its first closing braces: whatever it holds is not a tag.
                line += characters[start..<end].filter { $0 == "\n" }.count
                index = end + closing.count
                continue
            default: break
            }
            // On past the opening braces only: the tag's own text is scanned too (and its lines counted there).
            index = start
        }
        return tags
    }
}

import Foundation
