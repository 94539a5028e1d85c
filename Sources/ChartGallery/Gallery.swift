import Charts
import Foundation

/// One file of the gallery.
public struct GalleryFile: Sendable, Equatable {
    /// File name, e.g. "line-log.svg".
    public var name: String
    public var contents: String
}

/// One figure of the gallery.
public struct GalleryFigure: Sendable, Equatable {
    /// File name, e.g. "decision-map.svg".
    public var name: String
    /// What the figure shows, for the index page.
    public var caption: String
    public var svg: String
}

/// Built-in example data for every chart kind, so a person can look at all of
/// them at once.
enum GalleryExamples {}

/// One SVG of each chart kind, drawn from small built-in example data, and an
/// `index.html` that shows them all inline.
///
/// Deterministic: the same bytes on every call. The decision map is drawn at
/// the study's full size (300×300 grid, 33 classes, 5,000 of 12,500 points).
public enum Gallery {
    /// Encodes `width × height` 8-bit RGB pixels (3 bytes each, rows from the top) as
    /// PNG. Charts uses only Foundation, so the caller supplies the encoder (the
    /// command line passes libpng's, through Images).
    public typealias PNGWriter = (_ width: Int, _ height: Int, _ rgb: [UInt8]) throws -> Data

    /// The gallery's figures: file name, a caption and the SVG.
    public static func figures(pngWriter: PNGWriter) throws -> [GalleryFigure] {
        let list: [(String, String, String)] = [
            ("line-log-diverged.svg", "Line chart, logarithmic y, a run that diverged (6.1.2-q1).",
             GalleryExamples.learningRates().render()),
            ("line-marked-epochs.svg", "Named points on a curve (6.1.2-q2).",
             GalleryExamples.markedEpochs().render()),
            ("line-bands.svg", "Mean and 95% interval over seeds as bands (--seeds 5).",
             GalleryExamples.seedBands().render()),
            ("line-gradients-zeros.svg", "Logarithmic y with exact zeros shown on their own row (6.2-q5).",
             GalleryExamples.gradients().render()),
            ("line-iterations-downsampled.svg",
             "Per-iteration losses on log-log axes: smoothed, raw drawn faintly, min/max downsampled (6.1.2-q4).",
             GalleryExamples.iterationLosses().render()),
            ("metric-vs-depth.svg", "Metric against a numeric setting (6.2-q3).",
             GalleryExamples.accuracyVersusDepth().render()),
            ("metric-vs-width.svg", "Metric against a categorical setting (6.2-q4).",
             GalleryExamples.accuracyVersusWidth().render()),
            ("bars-grouped.svg", "Grouped bars with value labels and error bars (7.1-summary).",
             GalleryExamples.methods().render()),
            ("decision-map.svg", "Decision map: 300×300 grid, 33 classes, 5,000 of 12,500 test points (6.2-q1).",
             GalleryExamples.decisionMap().render()),
            ("image-grid.svg", "PNG images with captions, embedded as data URIs (7.2).",
             try GalleryExamples.samples(pngWriter: pngWriter).render()),
        ]
        return list.map { GalleryFigure(name: $0.0, caption: $0.1, svg: $0.2) }
    }

    /// Every file: the SVGs and `index.html`.
    public static func files(pngWriter: PNGWriter) throws -> [GalleryFile] {
        let figures = try figures(pngWriter: pngWriter)
        var files = figures.map { GalleryFile(name: $0.name, contents: StandaloneSVG.document($0.svg)) }
        files.append(GalleryFile(name: "index.html", contents: indexPage(figures)))
        return files
    }

    /// An HTML page with every figure inline, a link to each SVG file, and a
    /// dark-mode stylesheet that restyles the charts through their CSS custom
    /// properties.
    static func indexPage(_ figures: [GalleryFigure]) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>nnreport chart gallery</title>
            <style>
            body { margin: 2rem auto; max-width: 1000px; padding: 0 1rem; font-family: system-ui, sans-serif;
                   background: #ffffff; color: #222222; }
            figure { margin: 2rem 0; }
            figure svg { max-width: 100%; height: auto; }
            figcaption { font-size: 0.95rem; color: #595959; }
            a { color: #0072B2; }
            @media (prefers-color-scheme: dark) {
              body { background: #16181c; color: #e8e8e8; }
              figcaption { color: #a8a8a8; }
              a { color: #56B4E9; }
              :root { --nn-bg: #16181c; --nn-fg: #e8e8e8; --nn-muted: #a8a8a8; --nn-grid: #3a3d44;
                      --nn-series-1: #56B4E9; --nn-series-7: #e8e8e8; --nn-region-opacity: 0.6; }
            }
            @media print {
              :root { --nn-grid: #d0d0d0; }
              figure { break-inside: avoid; }
            }
            </style>
            </head>
            <body>
            <h1>nnreport chart gallery</h1>
            <p>One figure of each kind, drawn from built-in example data by <code>nnreport gallery</code>.
            Colours follow the page's light or dark scheme through CSS custom properties.</p>

            """
        for figure in figures {
            html += "<figure>\n" + figure.svg
            html += "<figcaption>" + XMLEscaping.text(figure.caption) + " <a href=\""
                + XMLEscaping.attribute(figure.name) + "\">" + XMLEscaping.text(figure.name) + "</a> ("
                + NumberFormatting.count(figure.svg.utf8.count) + " bytes)</figcaption>\n</figure>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }
}
