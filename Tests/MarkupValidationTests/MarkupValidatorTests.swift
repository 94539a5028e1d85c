import MarkupValidation
import Testing
import TestSupport

@Suite struct MarkupValidatorTests {
    @Test func wellFormedSVGPasses() throws {
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" role="img">\
            <title>t &amp; u</title><path d="M0 0h10"/></svg>
            """
        try MarkupValidator.validateXML(svg, name: "good.svg")
        #expect(MarkupValidator.xmlErrors(svg).isEmpty)
    }

    @Test(.tags(.errors), arguments: [
        ("<svg><g></svg>", "mismatched tag"),
        ("<svg><text>a < b</text></svg>", "unescaped <"),
        ("<svg><text>AT&T</text></svg>", "unescaped &"),
        ("<svg width=\"1></svg>", "unterminated attribute"),
        ("<svg></svg><svg></svg>", "two roots"),
        ("<svg xlink:href=\"x\"/>", "undeclared namespace prefix"),
        ("", "empty document"),
        ("<svg>\u{1}</svg>", "control character"),
    ])
    func malformedXMLFails(document: String, why: String) {
        let errors = MarkupValidator.xmlErrors(document, name: "bad.svg")
        #expect(!errors.isEmpty, "\(why) was accepted")
        #expect(throws: MarkupError.self) { try MarkupValidator.validateXML(document, name: "bad.svg") }
    }

    @Test(.tags(.errors)) func errorCarriesLibxml2MessageAndLine() {
        let errors = MarkupValidator.xmlErrors("<svg>\n<g>\n</svg>", name: "lines.svg")
        let first = errors.first
        #expect(first?.document == "lines.svg")
        #expect(first?.line == 3)
        #expect(first?.message.contains("mismatch") == true)
        #expect(first?.description.hasPrefix("lines.svg:3:") == true)
    }

    @Test func html5PageWithInlineSVGPasses() throws {
        let page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Report</title></head>
            <body><main><figure><svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 10 10">\
            <title>chart</title><path d="M0 0h10"/></svg><figcaption>A &amp; B</figcaption></figure></main>
            </body></html>
            """
        try MarkupValidator.validateHTML(page, name: "index.html")
    }

    @Test(.tags(.errors), arguments: [
        "<!DOCTYPE html><html><body><div>x</span></div></body></html>",
        "<!DOCTYPE html><html><body><p>a &; b</p></body></html>",
        "<!DOCTYPE html><html><body><a href=\"x>link</a></body></html>",
        "<!DOCTYPE html><html><body><p>x</p></body></html></html><div>",
    ])
    func brokenHTMLFails(page: String) {
        #expect(!MarkupValidator.htmlErrors(page, name: "broken.html").isEmpty, "accepted: \(page)")
    }
}
