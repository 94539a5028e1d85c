/// Square 8-bit RGB images tiled into one image, for looking at generated data.
public struct ContactSheet: Sendable {
    public let width: Int
    public let height: Int
    /// `width · height · 3` bytes, RGB interleaved row by row.
    public let rgb: [UInt8]

    /// Tiles `images` (each `side · side · 3` bytes, interleaved) row by row,
    /// `columns` per row, each pixel drawn as `zoom x zoom`, with `gap` pixels of
    /// white between and around the tiles.
    public init(images: [[UInt8]], side: Int, columns: Int, zoom: Int = 1, gap: Int = 2) {
        precondition(side > 0 && columns > 0 && zoom > 0 && gap >= 0, "bad contact sheet geometry")
        let rows = max(1, (images.count + columns - 1) / columns)
        let tile = side * zoom
        width = columns * tile + (columns + 1) * gap
        height = rows * tile + (rows + 1) * gap
        var rgb = [UInt8](repeating: 255, count: width * height * 3)
        for (number, image) in images.enumerated() {
            precondition(image.count == side * side * 3, "image \(number) has \(image.count) bytes, not \(side)x\(side) RGB")
            let left = gap + (number % columns) * (tile + gap), top = gap + (number / columns) * (tile + gap)
            for y in 0..<tile {
                for x in 0..<tile {
                    let source = 3 * ((y / zoom) * side + x / zoom), target = 3 * ((top + y) * width + left + x)
                    rgb[target] = image[source]
                    rgb[target + 1] = image[source + 1]
                    rgb[target + 2] = image[source + 2]
                }
            }
        }
        self.rgb = rgb
    }
}
