// libFuzzer target: the whole template path of `render --templates`
// (Sources/Report/TemplateSet.swift with the Mustache parser, then rendering and
// the output checks of SiteChecks.swift with libxml2) on arbitrary bytes, given
// as the page layout and as a partial of a small templates folder. Any input must
// be refused with a ReportError or render a page, never crash; a page rendered
// from an accepted template never holds the context's hostile text unescaped.

import Foundation

/// Text the context holds that must come out escaped, whatever the template does.
private let hostile = "<b class=\"fuzz-hostile\" onclick=\"x()\">"

private let context: [String: Any] = [
    "title": hostile, "lead": "javascript:alert(1) & \"quoted\"", "stylesheet": "style.css",
    "parts": [[
        "anchor": "part-6", "label": "Part 6", "title": hostile, "intro": "<svg onload=x()>",
        "sections": [[
            "anchor": "q-a", "label": "6.1", "title": hostile, "status": "computed", "statusClass": "computed",
            "template": "sections/a", "findings": [hostile, "two"],
            "svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\"><rect width=\"1\" height=\"1\"/></svg>",
        ] as [String: Any]],
    ] as [String: Any]],
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplateLoading(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let files: [String: [UInt8]] = [
        "report.mustache": bytes,
        "partials/input.mustache": bytes,
        "sections/a.mustache": Array("<p>{{title}}</p>{{{svg}}}{{> partials/input}}\n".utf8),
    ]
    let templates: TemplateSet
    do {
        templates = try TemplateSet.load(files: files, stylesheet: Data("p {}".utf8), displayPath: "Templates", sectionIDs: ["a"])
    } catch {
        precondition(error is ReportError && "\(error)".hasPrefix("Templates/"), "\(error)")
        // Names and lines from the template are echoed cut to about 80 (a line to 160) characters.
        precondition("\(error)".count <= 1_000, "a message of \("\(error)".count) characters: \("\(error)".prefix(200))…")
        return 0
    }
    let page = templates.render(context, template: TemplateSet.layoutName)
    if !String(decoding: bytes, as: UTF8.self).contains("fuzz-hostile") {
        precondition(!page.contains(hostile), "the context's text was inserted unescaped")
    }
    do {
        try SiteChecks.check(file: "index.html", text: page, present: ["index.html", "style.css"])
    } catch {
        precondition(error is ReportError, "\(error)")
    }
    return 0
}
