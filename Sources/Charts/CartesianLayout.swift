/// The frame line and bar charts share: title on top, y axis on the left, x
/// axis below, the legend right of the plot or under the x axis, notes last.
struct CartesianLayout {
    let plot: Rect
    let xMap: ScaleMap
    let yMap: ScaleMap
    /// Tick label lines of the x axis (categories may wrap to two lines).
    let labelLines: [[String]]
    let legend: Legend?
    let legendOnRight: Bool
    let noteLines: [String]
    /// Height of the whole figure: the nominal height, or more for notes and a legend below.
    let height: Double
    private let width: Double
    private let legendBelowTop: Double
    private let notesTop: Double

    /// - Parameters:
    ///   - top: where the plot starts (below the title).
    ///   - reservedLabelLines: x tick label lines to plan for before the plot width is known.
    init(width: Double, height: Double, top: Double, xModel: AxisModel, yModel: AxisModel, reservedLabelLines: Int,
         legendTitle: String?, legendEntries: [LegendEntry], placement: LegendPlacement, notes: [String]) {
        let margin = FigureParts.margin
        self.width = width
        let left = margin + AxisRenderer.leftExtent(yModel)
        let plotHeight = max(height - top - AxisRenderer.bottomExtent(xModel, labelLineCount: reservedLabelLines) - margin, 80)
        let layout = Legend.layout(title: legendTitle, entries: legendEntries, placement: placement,
                                   figureWidth: width, plotHeight: plotHeight)
        let onRight = layout?.onRight ?? false
        legend = layout?.legend
        legendOnRight = onRight
        let right = layout.map { onRight ? $0.legend.width + 22 + margin : margin + 8 } ?? margin + 8
        plot = Rect(x: left, y: top, width: max(width - left - right, 80), height: plotHeight)
        xMap = xModel.map(from: plot.x, to: plot.maxX)
        yMap = yModel.map(from: plot.maxY, to: plot.y)
        labelLines = AxisRenderer.bottomLabelLines(xModel, map: xMap)
        let axisBottom = plot.maxY + AxisRenderer.bottomExtent(xModel, labelLineCount: labelLines.map(\.count).max() ?? 1)
        legendBelowTop = axisBottom + 8
        let legendBelowHeight = layout.map { onRight ? 0 : $0.legend.height + 8 } ?? 0
        let lines = FigureParts.noteLines(notes, width: width - 2 * margin)
        noteLines = lines
        notesTop = legendBelowTop + legendBelowHeight
        self.height = max(height, notesTop + Double(lines.count) * FigureParts.noteLineHeight + margin)
    }

    func drawLegendAndNotes(_ svg: inout SVGBuilder) {
        if let legend {
            if legendOnRight {
                legend.draw(&svg, x: plot.maxX + 22, y: plot.y)
            } else {
                // Centred under the plot, but never past the figure's right edge.
                let centred = plot.x + (plot.width - legend.width) / 2
                let x = max(FigureParts.margin, min(centred, width - FigureParts.margin - legend.width))
                legend.draw(&svg, x: x, y: legendBelowTop)
            }
        }
        FigureParts.drawNotes(&svg, noteLines, x: FigureParts.margin, y: notesTop)
    }
}
