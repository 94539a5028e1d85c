import Charts
import Foundation

/// Built-in example image grid for the gallery.
extension GalleryExamples {
    /// Five procedural 64×64 "faces" (an ellipse with eyes and a mouth on a
    /// gradient); the ones labelled fake carry a faint 2-pixel checkerboard, the
    /// kind of upsampling trace the study's synthetic fakes have.
    static func samples(pngWriter: Gallery.PNGWriter) throws -> ImageGrid {
        var random = ExampleRandom(seed: 72)
        let captions = [
            "real\nbest: real ✓\nworst: fake ✗", "fake\nbest: fake ✓\nworst: real ✗",
            "real\nbest: real ✓\nworst: fake ✗", "fake\nbest: fake ✓\nworst: real ✗",
            "fake\nbest: fake ✓\nworst: real ✗",
        ]
        let images = try captions.enumerated().map { index, caption in
            GridImage(png: try face(random: &random, fake: caption.hasPrefix("fake"), pngWriter: pngWriter), caption: caption,
                      alternative: "Test image \(index + 1), \(caption.split(separator: "\n").first ?? "")")
        }
        return ImageGrid(id: "gallery-images", title: "Test images the best method gets right and the worst gets wrong",
                         images: images, columns: 5, cellWidth: 128,
                         notes: ["Best: fine-tuning; worst: XGBoost (example captions)."])
    }

    private static func face(random: inout ExampleRandom, fake: Bool, pngWriter: Gallery.PNGWriter) throws -> Data {
        let size = 64
        let skin = [random.uniform(170, 235), random.uniform(120, 190), random.uniform(90, 160)]
        let background = [random.uniform(40, 200), random.uniform(40, 200), random.uniform(40, 200)]
        let faceWidth = random.uniform(17, 22)
        let faceHeight = random.uniform(22, 27)
        var rgb = [UInt8](repeating: 0, count: size * size * 3)
        for y in 0..<size {
            for x in 0..<size {
                let fx = (Double(x) - 32) / faceWidth
                let fy = (Double(y) - 34) / faceHeight
                var color = background.map { $0 * (0.75 + 0.5 * Double(y) / 64) }
                if fx * fx + fy * fy < 1 { color = skin }
                for eye in [-8.0, 8.0] {
                    let ex = Double(x) - 32 - eye
                    let ey = Double(y) - 28
                    if ex * ex + 2 * ey * ey < 7 { color = [40, 30, 30] }
                }
                let my = Double(y) - 44
                if abs(Double(x) - 32) < 7 && my * my < 2 { color = [150, 60, 60] }
                if fake && (x / 2 + y / 2) % 2 == 0 { color = color.map { $0 + 14 } }
                for channel in 0..<3 {
                    let value = color[channel] + 6 * random.normal()
                    rgb[(y * size + x) * 3 + channel] = UInt8(min(max(value, 0), 255))
                }
            }
        }
        return try pngWriter(size, size, rgb)
    }
}
