import Foundation

/// A grid of already-encoded PNG images with captions, embedded as data URIs
/// in rows and columns.
public struct ImageGrid: Sendable, Equatable {
    /// Prefix of every id in the SVG.
    public var id: String
    public var title: String
    /// Whether the title is drawn in the figure (it is always the SVG `<title>`); turn it
    /// off when the page shows the title as a caption.
    public var showsTitle: Bool
    /// The SVG `<desc>`; `nil` writes one from the captions.
    public var summary: String?
    public var images: [GridImage]
    public var columns: Int
    /// Displayed width of each image in px; the height keeps the image's aspect ratio.
    public var cellWidth: Double
    /// Scale small images up with hard pixel edges (to show pixel-level artifacts).
    public var pixelated: Bool
    public var notes: [String]

    public init(id: String, title: String, summary: String? = nil, images: [GridImage], columns: Int = 5,
                cellWidth: Double = 150, pixelated: Bool = true, notes: [String] = [], showsTitle: Bool = true) {
        self.id = id
        self.title = title
        self.showsTitle = showsTitle
        self.summary = summary
        self.images = images
        self.columns = columns
        self.cellWidth = cellWidth
        self.pixelated = pixelated
        self.notes = notes
    }
}

/// One image of an ``ImageGrid``.
public struct GridImage: Sendable, Equatable {
    /// The PNG file's bytes.
    public var png: Data
    /// Caption under the image; "\n" starts a new line, long lines wrap.
    public var caption: String
    /// Text alternative (a `<title>` of the image); the caption when `nil`.
    public var alternative: String?

    public init(png: Data, caption: String, alternative: String? = nil) {
        self.png = png
        self.caption = caption
        self.alternative = alternative
    }

    /// Width and height from the PNG header, or nil when the bytes are not a PNG.
    var pixelSize: (width: Int, height: Int)? {
        let bytes = [UInt8](png.prefix(24))
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count == 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            return nil
        }
        func be32(_ offset: Int) -> Int { bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let width = be32(16)
        let height = be32(20)
        guard width > 0, height > 0 else { return nil }
        return (width, height)
    }
}

extension ImageGrid {
    /// The grid as a standalone SVG document; identical input gives identical bytes.
    public func render() -> String {
        let figureID = FigureID.sanitize(id)
        let margin = FigureParts.margin
        let gap = 14.0
        let columnCount = max(1, min(columns, max(images.count, 1)))
        let cell = cellWidth.isFinite && cellWidth >= 16 ? cellWidth : 150
        let captions = images.map { TextMetrics.wrap($0.caption, maxWidth: cell, size: ChartTheme.tickSize, maxLines: 4) }
        let imageHeights = images.map { image -> Double in
            guard let size = image.pixelSize else { return cell }
            return min(cell * Double(size.height) / Double(size.width), 4 * cell)
        }
        let rowCount = (images.count + columnCount - 1) / columnCount
        var rowTops: [Double] = []
        var top = margin + FigureParts.titleHeight(visibleTitle)
        for row in 0..<rowCount {
            rowTops.append(top)
            let members = (row * columnCount)..<min((row + 1) * columnCount, images.count)
            let imageHeight = members.map { imageHeights[$0] }.max() ?? cell
            let captionLines = members.map { captions[$0].count }.max() ?? 0
            top += imageHeight + 6 + Double(captionLines) * AxisRenderer.lineHeight + gap
        }
        let width = max(2 * margin + Double(columnCount) * cell + Double(columnCount - 1) * gap, 200)
        let noteLines = FigureParts.noteLines(notes, width: width - 2 * margin)
        let height = top + Double(noteLines.count) * FigureParts.noteLineHeight + margin

        var style = StyleSheet(figureID: figureID)
        style.add(" .frame", "fill:none", StyleSheet.themed("stroke", "grid", ChartTheme.grid))
        if pixelated { style.add(" image", "image-rendering:pixelated", "image-rendering:crisp-edges") }

        var svg = SVGBuilder()
        FigureDocument.begin(&svg, id: figureID, width: width, height: height, title: title,
                             description: summary ?? describe(), style: style)
        FigureParts.drawTitle(&svg, visibleTitle, centerX: width / 2, width: width)
        let c = NumberFormatting.coordinate
        for (index, image) in images.enumerated() {
            let row = index / columnCount
            let column = index % columnCount
            let x = margin + Double(column) * (cell + gap)
            let y = rowTops[row]
            let members = (row * columnCount)..<min((row + 1) * columnCount, images.count)
            let rowImageHeight = members.map { imageHeights[$0] }.max() ?? cell
            let h = imageHeights[index]
            if image.pixelSize != nil {
                svg.open("image", [("x", c(x)), ("y", c(y)), ("width", c(cell)), ("height", c(h)),
                                   ("preserveAspectRatio", "xMidYMid meet"),
                                   ("href", "data:image/png;base64," + image.png.base64EncodedString())])
                svg.element("title", text: image.alternative ?? image.caption)
                svg.close()
            } else {
                svg.element("rect", [("class", "frame"), ("x", c(x)), ("y", c(y)), ("width", c(cell)), ("height", c(h))])
                svg.element("text", [("class", "muted"), ("x", c(x + cell / 2)), ("y", c(y + h / 2)),
                                     ("text-anchor", "middle")], text: "not a PNG image")
            }
            svg.element("rect", [("class", "frame"), ("x", c(x)), ("y", c(y)), ("width", c(cell)), ("height", c(h))])
            if !captions[index].isEmpty {
                svg.open("g", [("text-anchor", "middle")])
                for (line, text) in captions[index].enumerated() {
                    svg.element("text", [("x", c(x + cell / 2)),
                                         ("y", c(y + rowImageHeight + 6 + ChartTheme.tickSize
                                                 + Double(line) * AxisRenderer.lineHeight))],
                                text: text)
                }
                svg.close()
            }
        }
        FigureParts.drawNotes(&svg, noteLines, x: margin, y: top - gap + 8)
        svg.close()
        return svg.finish()
    }

    private func describe() -> String {
        "Grid of \(images.count) images in \(max(columns, 1)) columns. "
            + images.enumerated().map { index, image in
                "Image \(index + 1): \(image.caption.replacingOccurrences(of: "\n", with: ", "))."
            }.joined(separator: " ")
    }
}
