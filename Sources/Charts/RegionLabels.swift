/// Where class labels go on a decision map: at an interior point of each
/// region large enough to hold one.
///
/// Regions are the 4-connected components of equal class. Each cell's
/// chessboard distance to the nearest cell of another class (or the grid's
/// edge) is computed in two passes (Rosenfeld & Pfaltz 1966); a region's
/// candidate centres are its cells in decreasing distance (ties by index, so
/// the choice is deterministic). A label is placed at the first candidate
/// whose whole text box covers only cells of the region's class; the class
/// name is tried first, then the class id. Regions where neither fits get no
/// label (the legend still names them).
enum RegionLabels {
    struct Placement: Equatable {
        var classID: Int
        /// Centre of the label in cell units (x = column + 0.5, y = row + 0.5).
        var column: Double
        var row: Double
        var text: String
    }

    /// Labels for the regions of `grid`.
    ///
    /// - Parameters:
    ///   - texts: for each class id, the texts to try in order (name, then id).
    ///   - cellWidth, cellHeight: size of one cell in px.
    ///   - fontSize: label size in px.
    static func place(_ grid: ClassGrid, texts: [[String]], cellWidth: Double, cellHeight: Double,
                      fontSize: Double) -> [Placement] {
        guard grid.isUsable else { return [] }
        let w = grid.columns
        let h = grid.rows
        let n = w * h
        let ids = (0..<n).map { grid.classes[$0] < texts.count ? grid.classes[$0] : -1 }
        let distance = chessboardDistance(ids, width: w, height: h)
        // Smallest region worth trying: a label box of one short text.
        let minimumCells = Int(fontSize * 1.2 * fontSize * 1.5 / (cellWidth * cellHeight))
        var component = [Int32](repeating: -1, count: n)
        var placements: [Placement] = []
        var queue: [Int] = []
        var componentCount: Int32 = 0
        for seed in 0..<n where component[seed] < 0 && ids[seed] >= 0 {
            let id = ids[seed]
            queue.removeAll(keepingCapacity: true)
            queue.append(seed)
            component[seed] = componentCount
            var head = 0
            while head < queue.count {
                let cell = queue[head]
                head += 1
                let column = cell % w
                for neighbour in [column > 0 ? cell - 1 : -1, column < w - 1 ? cell + 1 : -1, cell - w, cell + w]
                where neighbour >= 0 && neighbour < n && component[neighbour] < 0 && ids[neighbour] == id {
                    component[neighbour] = componentCount
                    queue.append(neighbour)
                }
            }
            componentCount += 1
            guard queue.count >= max(minimumCells, 4) else { continue }
            let candidates = queue.sorted { distance[$0] != distance[$1] ? distance[$0] > distance[$1] : $0 < $1 }.prefix(60)
            for text in texts[id] {
                // Cells the box reaches beyond the centre cell on each side.
                let halfWidth = (TextMetrics.width(text, size: fontSize) + 6) / 2
                let halfHeight = fontSize * 1.3 / 2
                let halfColumns = max(0, Int(((halfWidth - cellWidth / 2) / cellWidth).rounded(.up)))
                let halfRows = max(0, Int(((halfHeight - cellHeight / 2) / cellHeight).rounded(.up)))
                guard let cell = candidates.first(where: { cell in
                    // The distance bounds the largest square around the cell: a quick reject.
                    Int(distance[cell]) > min(halfColumns, halfRows)
                        && boxFits(ids, width: w, height: h, cell: cell, id: id, halfColumns: halfColumns, halfRows: halfRows)
                }) else { continue }
                placements.append(Placement(classID: id, column: Double(cell % w) + 0.5, row: Double(cell / w) + 0.5, text: text))
                break
            }
        }
        return placements
    }

    private static func boxFits(_ ids: [Int], width w: Int, height h: Int, cell: Int, id: Int,
                                halfColumns: Int, halfRows: Int) -> Bool {
        let column = cell % w
        let row = cell / w
        guard column - halfColumns >= 0, column + halfColumns < w, row - halfRows >= 0, row + halfRows < h else { return false }
        for r in (row - halfRows)...(row + halfRows) {
            for c in (column - halfColumns)...(column + halfColumns) where ids[r * w + c] != id {
                return false
            }
        }
        return true
    }

    /// Chessboard distance of each cell to the nearest cell of another class
    /// or beyond the grid's edge (1 for a cell on the border of its region).
    static func chessboardDistance(_ ids: [Int], width w: Int, height h: Int) -> [Int32] {
        var d = [Int32](repeating: 0, count: w * h)
        func neighbourDistance(_ r: Int, _ c: Int, _ id: Int) -> Int32 {
            guard r >= 0, r < h, c >= 0, c < w else { return 0 }
            let index = r * w + c
            return ids[index] == id ? d[index] : 0
        }
        for r in 0..<h {
            for c in 0..<w {
                let id = ids[r * w + c]
                let m = min(neighbourDistance(r - 1, c - 1, id), neighbourDistance(r - 1, c, id),
                            neighbourDistance(r - 1, c + 1, id), neighbourDistance(r, c - 1, id))
                d[r * w + c] = m + 1
            }
        }
        for r in stride(from: h - 1, through: 0, by: -1) {
            for c in stride(from: w - 1, through: 0, by: -1) {
                let id = ids[r * w + c]
                let m = min(neighbourDistance(r + 1, c + 1, id), neighbourDistance(r + 1, c, id),
                            neighbourDistance(r + 1, c - 1, id), neighbourDistance(r, c + 1, id))
                d[r * w + c] = min(d[r * w + c], m + 1)
            }
        }
        return d
    }
}
