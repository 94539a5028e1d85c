/// Outlines of the class regions of a grid, as SVG path data.
///
/// Each class's region is the union of its cells. Its boundary edges (cell
/// sides whose neighbour is another class or outside the grid) are directed
/// with the region on their left (y up), so outer outlines run
/// counter-clockwise and holes clockwise, and the path fills correctly with
/// the default nonzero rule. The edges are then walked into closed loops
/// (turning left first where two loops touch at a corner) and written as
/// runs of `h`/`v` commands in cell units: one subpath per loop, one path per
/// class, never one element per cell. Loops start at their lowest vertex in
/// row-major order, so the output is deterministic.
enum RegionTracing {
    /// Path data per class id in `0..<classCount` (empty for a class with no
    /// cell), in cell units with x = column and y = row (row 0 at the bottom).
    static func paths(_ grid: ClassGrid, classCount: Int) -> [String] {
        let w = grid.columns
        let h = grid.rows
        guard grid.isUsable, classCount > 0 else { return Array(repeating: "", count: max(classCount, 0)) }
        func classAt(_ column: Int, _ row: Int) -> Int {
            let id = grid.classID(column: column, row: row)
            return id < classCount ? id : -1
        }
        // Cells of each class, in row-major order (a counting sort).
        var cellsOf = [[Int32]](repeating: [], count: classCount)
        for row in 0..<h {
            for column in 0..<w {
                let id = classAt(column, row)
                if id >= 0 { cellsOf[id].append(Int32(row * w + column)) }
            }
        }
        let stride = w + 1
        // Outgoing boundary edges per vertex: bit d for direction d
        // (0: +x, 1: +y, 2: −x, 3: −y).
        var mask = [UInt8](repeating: 0, count: (w + 1) * (h + 1))
        let step = [1, stride, -1, -stride]
        var result: [String] = []
        result.reserveCapacity(classCount)
        for id in 0..<classCount {
            var touched: [Int] = []
            for cell in cellsOf[id] {
                let column = Int(cell) % w
                let row = Int(cell) / w
                let v = row * stride + column
                if classAt(column, row - 1) != id { mask[v] |= 1; touched.append(v) }
                if classAt(column + 1, row) != id { mask[v + 1] |= 2; touched.append(v + 1) }
                if classAt(column, row + 1) != id { mask[v + stride + 1] |= 4; touched.append(v + stride + 1) }
                if classAt(column - 1, row) != id { mask[v + stride] |= 8; touched.append(v + stride) }
            }
            touched.sort()
            var d = ""
            var previous = -1
            for start in touched where start != previous {
                previous = start
                while mask[start] != 0 {
                    d += traceLoop(from: start, mask: &mask, step: step, stride: stride)
                }
            }
            result.append(d)
        }
        return result
    }

    /// Walks one closed loop from `start`, clearing its edges, and returns it
    /// as "M x y" followed by h/v runs and "z".
    private static func traceLoop(from start: Int, mask: inout [UInt8], step: [Int], stride: Int) -> String {
        var direction = 0
        while mask[start] & (1 << direction) == 0 { direction += 1 }
        var out = "M\(start % stride) \(start / stride)"
        var vertex = start
        var runDirection = direction
        var runLength = 0
        var runs: [(direction: Int, length: Int)] = []
        while true {
            mask[vertex] &= ~(1 << direction)
            vertex += step[direction]
            if direction == runDirection {
                runLength += 1
            } else {
                runs.append((runDirection, runLength))
                runDirection = direction
                runLength = 1
            }
            // Left turn first, then straight on, then right.
            let choices = [(direction + 1) & 3, direction, (direction + 3) & 3]
            guard let next = choices.first(where: { mask[vertex] & (1 << $0) != 0 }) else { break }
            direction = next
        }
        runs.append((runDirection, runLength))
        // The last run ends where the loop started: "z" draws it.
        for run in runs.dropLast() {
            switch run.direction {
            case 0: out += "h\(run.length)"
            case 1: out += "v\(run.length)"
            case 2: out += "h-\(run.length)"
            default: out += "v-\(run.length)"
            }
        }
        return out + "z"
    }
}
