import Foundation
import Testing
@testable import ChartGallery
@testable import Charts

@Suite struct DecisionMapTests {
    /// Signed area (shoelace formula) of path data made of "M x y", h/v runs
    /// and "z": outer outlines count positive (counter-clockwise, y up), holes
    /// negative.
    private func area(_ d: String) -> Int {
        let bytes = Array(d.utf8)
        var index = 0
        var twice = 0
        var (x, y, startX, startY) = (0, 0, 0, 0)
        func number() -> Int {
            var sign = 1
            if bytes[index] == UInt8(ascii: "-") {
                sign = -1
                index += 1
            }
            var value = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
            }
            return sign * value
        }
        func segment(to nx: Int, _ ny: Int) {
            twice += x * ny - nx * y
            (x, y) = (nx, ny)
        }
        while index < bytes.count {
            let command = bytes[index]
            index += 1
            switch command {
            case UInt8(ascii: "M"):
                x = number()
                index += 1  // the space
                y = number()
                (startX, startY) = (x, y)
            case UInt8(ascii: "h"): segment(to: x + number(), y)
            case UInt8(ascii: "v"): segment(to: x, y + number())
            case UInt8(ascii: "z"): segment(to: startX, startY)
            default: Issue.record("unexpected path command \(command)")
            }
        }
        return twice / 2
    }

    @Test func tracedOutlinesCoverExactlyTheCellsOfEachClass() {
        for seed in UInt64(0)..<40 {
            var random = ExampleRandom(seed: seed)
            let columns = 3 + random.below(20)
            let rows = 3 + random.below(20)
            let classCount = 1 + random.below(5)
            // Blobs with diagonal pinches, holes and single cells.
            var classes = (0..<(columns * rows)).map { _ in random.below(classCount) }
            for _ in 0..<2 {
                classes = classes.indices.map { i in random.uniform() < 0.6 ? classes[i] : classes[(i + 1) % classes.count] }
            }
            let grid = ClassGrid(columns: columns, rows: rows, classes: classes, xRange: 0...1, yRange: 0...1)
            let paths = RegionTracing.paths(grid, classCount: classCount)
            for id in 0..<classCount {
                let cells = classes.filter { $0 == id }.count
                #expect(area(paths[id]) == cells, "seed \(seed), class \(id): outline area \(area(paths[id])) ≠ \(cells) cells")
            }
        }
    }

    @Test func smallGridHasOnePathPerClassAndAHole() {
        let paths = RegionTracing.paths(ExampleData.smallGrid, classCount: 4)
        #expect(paths[3].isEmpty)
        // Class 0 surrounds the block of class 2: two loops, the hole clockwise.
        #expect(paths[0].filter { $0 == "M" }.count == 2)
        #expect(area(paths[0]) == ExampleData.smallGrid.classes.filter { $0 == 0 }.count)
    }

    @Test func regionLabelsSitInsideTheirRegion() {
        let grid = ExampleData.smallGrid
        let labels = RegionLabels.place(grid, texts: [["North", "0"], ["East", "1"], ["South", "2"], ["Empty", "3"]],
                                        cellWidth: 30, cellHeight: 25, fontSize: 11)
        #expect(Set(labels.map(\.classID)) == [0, 1, 2])
        for label in labels {
            let column = Int(label.column)
            let row = Int(label.row)
            #expect(grid.classID(column: column, row: row) == label.classID)
        }
        // Too small for any text: no label.
        #expect(RegionLabels.place(grid, texts: [["North"], ["East"], ["South"], ["Empty"]],
                                   cellWidth: 2, cellHeight: 2, fontSize: 11).isEmpty)
    }

    @Test func fullSizeMapStaysWithinItsBudget() {
        let map = GalleryExamples.decisionMap()
        #expect(map.grid.columns == 300 && map.grid.rows == 300 && map.classNames.count == 33)
        #expect(map.points.count == 12_500)
        let svg = map.render()
        print("Gallery decision map (300×300, 33 classes, 5,000 points): \(svg.utf8.count) bytes")
        #expect(svg.utf8.count <= 300_000, "decision map is \(svg.utf8.count) bytes")
        #expect(svg.contains("Showing 5,000 of 12,500 test points"))
        // One region path per class with cells, never one element per cell.
        let regionPaths = svg.components(separatedBy: "<path class=\"c").count - 1
        let present = Set(map.grid.classes).count
        #expect(regionPaths == present)
        #expect(svg.components(separatedBy: "<rect").count - 1 < 60)
        // Exactly 5,000 coloured dots.
        let dots = svg.split(separator: "\n").filter { $0.hasPrefix("<path class=\"dot ") }
            .map { $0.components(separatedBy: "h0").count - 1 }.reduce(0, +)
        #expect(dots == 5000)
        assertWellFormed(svg, name: "gallery-map.svg")
    }

    /// A rough map: every border cell jittered at random, far more ragged than a
    /// trained network's regions, still within 300 KB with 5,000 points.
    @Test func raggedMapStaysWithinItsBudget() {
        var random = ExampleRandom(seed: 33)
        let centres = (0..<33).map { _ in (random.uniform(0, 300), random.uniform(0, 300)) }
        var classes: [Int] = []
        for row in 0..<300 {
            for column in 0..<300 {
                let x = Double(column) + random.uniform(-2, 2)
                let y = Double(row) + random.uniform(-2, 2)
                classes.append(centres.indices.min { a, b in
                    let (ax, ay) = centres[a], (bx, by) = centres[b]
                    return (x - ax) * (x - ax) + (y - ay) * (y - ay) < (x - bx) * (x - bx) + (y - by) * (y - by)
                }!)
            }
        }
        let points = (0..<6000).map { i in
            LabeledPoint(x: random.uniform(-10, 40), y: random.uniform(35, 71), trueClass: i % 33, predictedClass: (i * 7) % 33)
        }
        let map = DecisionMap(id: "ragged", title: "Ragged", grid: ClassGrid(columns: 300, rows: 300, classes: classes,
                              xRange: -10...40, yRange: 35...71), classNames: (0..<33).map { "Class name \($0)" },
                              points: points)
        let svg = map.render()
        print("Ragged decision map (300×300, 33 classes, 5,000 points): \(svg.utf8.count) bytes")
        #expect(svg.utf8.count <= 300_000, "ragged decision map is \(svg.utf8.count) bytes")
        #expect(svg.contains("Showing 5,000 of 6,000 points"))
        assertWellFormed(svg, name: "ragged.svg")
    }

    @Test func classPaletteHasFortyDistinctColours() {
        #expect(Palette.classes.count >= 40)
        #expect(Set(Palette.classes).count == Palette.classes.count)
        #expect(Palette.classes.allSatisfy { $0.count == 7 && $0.hasPrefix("#") })
    }
}
