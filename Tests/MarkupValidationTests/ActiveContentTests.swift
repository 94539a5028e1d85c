import MarkupValidation
import Testing
import TestSupport

/// The no-JavaScript check, on documents parsed by libxml2: each way of running
/// code is refused with its line; links, fragments and images the report uses pass.
@Suite struct ActiveContentTests {
    private static let svgOpen = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"

    private func htmlFindings(_ body: String) -> [ActiveContent] {
        ActiveContentPolicy.findings(in: MarkupValidator.htmlElements("<!DOCTYPE html>\n<html><body>\n" + body + "\n</body></html>"))
    }

    private func svgFindings(_ body: String) throws -> [ActiveContent] {
        let (elements, errors) = MarkupValidator.xmlElements(Self.svgOpen + body + "\n</svg>")
        #expect(errors.isEmpty, "\(errors)")
        return ActiveContentPolicy.findings(in: elements)
    }

    /// Markup that runs code (or loads a page) once opened, and a word of the message naming it.
    static let hostileHTML: [(String, String)] = [
        ("<script>alert(1)</script>", "<script> element"),
        ("<SCRIPT SRC=x.js></SCRIPT>", "<script> element"),
        ("<iframe src=\"page.html\"></iframe>", "<iframe> element"),
        ("<object data=\"x.swf\"></object>", "<object> element"),
        ("<embed src=\"x.swf\">", "<embed> element"),
        ("<img src=\"x.png\" onerror=\"alert(1)\" alt=\"\">", "onerror=…>: an event handler"),
        ("<p OnClick=\"alert(1)\">x</p>", "an event handler"),
        ("<svg onload=\"alert(1)\"></svg>", "onload=…>: an event handler"),
        ("<a href=\"javascript:alert(1)\">x</a>", "a javascript: URL"),
        ("<a href=\" JaVa&#9;Script&#x3A;alert(1)\">x</a>", "a javascript: URL"),
        ("<a href=\"&#106;avascript:alert(1)\">x</a>", "a javascript: URL"),
        ("<a href=\"vbscript:x\">x</a>", "a vbscript: URL"),
        ("<img src=\"data:text/html,<script>x</script>\" alt=\"\">", "a data: URL"),
        ("<form action=\"javascript:x\"><button formaction=\"javascript:y\">b</button></form>", "a javascript: URL"),
        ("<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>", "a javascript: URL"),
        ("<svg><foreignObject><div>html</div></foreignObject></svg>", "HTML inside SVG"),
        ("<svg><a href=\"#x\"><set attributeName=\"href\" to=\"javascript:alert(1)\"/></a></svg>", "an animation that changes a link"),
        ("<meta http-equiv=\"refresh\" content=\"0;url=javascript:x\">", "a page that moves on by itself"),
    ]

    @Test(.tags(.errors), arguments: hostileHTML) func hostileHTMLIsRefusedWithItsLine(_ body: String, _ expected: String) {
        let findings = htmlFindings(body)
        #expect(findings.first?.message.contains(expected) == true, "\(body): \(findings)")
        // The body starts on line 3 of the page.
        #expect(findings.first?.line == 3, "\(body): \(findings)")
    }

    static let hostileSVG: [(String, String)] = [
        ("<script>alert(1)</script>", "<script> element"),
        ("<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">x</svg:script>", "<script> element"),
        ("<g onmouseover=\"x()\"/>", "an event handler"),
        ("<a xlink:href=\"javascript:x\"><text>t</text></a>", "a javascript: URL"),
        ("<image href=\"data:text/html;base64,PHNjcmlwdD4=\"/>", "a data: URL"),
        ("<foreignObject><body xmlns=\"http://www.w3.org/1999/xhtml\">x</body></foreignObject>", "HTML inside SVG"),
        ("<animate attributeName=\"onload\" values=\"x\"/>", "an animation that changes a link or an event handler"),
        ("<handler>x</handler>", "<handler> element"),
    ]

    @Test(.tags(.errors), arguments: hostileSVG) func hostileSVGIsRefusedWithItsLine(_ body: String, _ expected: String) throws {
        let findings = try svgFindings(body)
        #expect(findings.first?.message.contains(expected) == true, "\(body): \(findings)")
        #expect(findings.first?.line == 2, "\(body): \(findings)")
    }

    @Test(.tags(.errors)) func anEntityThatHidesAURLIsRefused() {
        let svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY js \"javascript:x\">]>\n" + Self.svgOpen
            + "<a xlink:href=\"&js;\"><text>t</text></a>\n</svg>"
        let (elements, _) = MarkupValidator.xmlElements(svg)
        let findings = ActiveContentPolicy.findings(in: elements)
        #expect(!findings.isEmpty, "\(elements)")
    }

    @Test func linksFragmentsAndImagesOfAReportPass() throws {
        let page = """
            <a href="#q-6-2">q</a> <a href="figures/a%20b.svg">svg</a> <a href="../x/y.csv?v=1#top">csv</a>
            <a href="https://example.org/a:b">ext</a> <a href="http://x">x</a> <a href="mailto:a@b.c">mail</a>
            <img src="data:image/png;base64,iVBORw0KGgo=" alt="thumb"> <a href="results.json">json</a>
            <a href="./a/b:c">colon in a path</a> <p class="one" data-on="x" title="javascript: is words here">text</p>
            <link rel="stylesheet" href="style.css">
            """
        #expect(htmlFindings(page).isEmpty, "\(htmlFindings(page))")
        let svg = "<a xlink:href=\"#grid\"><text>t</text></a><image href=\"data:image/jpeg;base64,AA==\" width=\"1\" height=\"1\"/>"
            + "<foreignObject/>"
        #expect(try svgFindings(svg).isEmpty)
    }
}
