/// Images of one size, one after another: the layout of a PyTorch batch
/// `[N, C, H, W]` (what `ImageFolder.load` returns).
public struct ImageBatch: Sendable, Equatable {
    /// `N`.
    public let count: Int
    /// `C`.
    public let channels: Int
    /// `H`.
    public let height: Int
    /// `W`.
    public let width: Int
    /// `N · C · H · W` values: image by image, each as `Image.pixels`.
    public private(set) var pixels: [Float]
    /// Whether every image stacked was `isEightBit` (and so are the images read back).
    public let isEightBit: Bool

    /// Stacks `images`, each of which must be `[channels, height, width]`.
    public init(channels: Int, height: Int, width: Int, images: [Image]) {
        let size = channels * height * width
        var pixels: [Float] = []
        pixels.reserveCapacity(images.count * size)
        for image in images {
            precondition(image.shape == [channels, height, width],
                         "stacking \(image.shape) into a batch of [\(channels), \(height), \(width)]")
            pixels += image.pixels
        }
        count = images.count
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
        isEightBit = !images.isEmpty && images.allSatisfy(\.isEightBit)
    }

    /// `[N, C, H, W]`.
    public var shape: [Int] { [count, channels, height, width] }

    /// Image `index`.
    public subscript(index: Int) -> Image {
        precondition(index >= 0 && index < count, "image \(index) of a batch of \(count)")
        let size = channels * height * width
        var image = Image(channels: channels, height: height, width: width,
                          pixels: Array(pixels[(index * size)..<((index + 1) * size)]))
        image.isEightBit = isEightBit
        return image
    }
}
