import Foundation
import Support
import Testing
import TestSupport
@testable import Images

/// Every value `value`: an image of one colour.
func filled(_ value: Float, channels: Int, height: Int, width: Int) -> Image {
    Image(channels: channels, height: height, width: width, pixels: Array(repeating: value, count: channels * height * width))
}

/// The codecs and the face folder layout, on files in a fresh temporary folder per test.
@Suite final class ImageTests {
    private let folder: String

    init() throws {
        folder = TestFolder.root
            .appendingPathComponent("nnreport-images-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func write(_ bytes: [UInt8], _ relative: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A 3x2 RGB gradient in [0, 1].
    private func smallImage(shift: Float = 0) -> Image {
        Image(channels: 3, height: 2, width: 3, pixels: (0..<18).map { Float($0 % 7) / 6 * (1 - shift) + shift })
    }

    @Test func pngOfEveryColorTypeAndBitDepthDecodesToRGB() throws {
        let width = 5, height = 3
        for colorType in PNG.ColorType.allCases {
            for depth in colorType.allowedBitDepths {
                let maximum = (1 << depth) - 1
                var palette: [(UInt8, UInt8, UInt8)] = []
                if colorType == .palette {
                    for entry in 0...maximum {
                        let red = UInt8(entry * 7 % 256), green = UInt8(entry * 13 % 256), blue = UInt8(255 - entry)
                        palette.append((red, green, blue))
                    }
                }
                let count = width * height * colorType.samplesPerPixel
                let samples = (0..<count).map { UInt16(($0 * 37 + 11) % (maximum + 1)) }
                let bytes = try PNG.encode(samples: samples, width: width, height: height, colorType: colorType,
                                           bitDepth: depth, palette: palette)
                let image = try ImageDecoder.decode(bytes, source: "\(colorType)-\(depth).png")
                #expect(image.shape == [3, height, width], "\(colorType) \(depth)")
                #expect(image.isEightBit, "\(colorType) \(depth)")
                // 16-bit samples are reduced to 8 bits as Pillow does (PILParityTests).
                func value(_ sample: UInt16) -> Float {
                    depth == 16 ? Float(PNG.eightBitLevel(of: sample, colorType: colorType)) / 255 : Float(sample) / Float(maximum)
                }
                for pixel in 0..<(width * height) {
                    let expected: [Float]
                    switch colorType {
                    case .gray, .grayAlpha:
                        let v = value(samples[pixel * colorType.samplesPerPixel])
                        expected = [v, v, v]
                    case .rgb, .rgba:
                        expected = (0..<3).map { value(samples[pixel * colorType.samplesPerPixel + $0]) }
                    case .palette:
                        let entry = palette[Int(samples[pixel])]
                        expected = [Float(entry.0) / 255, Float(entry.1) / 255, Float(entry.2) / 255]
                    }
                    for c in 0..<3 {
                        expectClose(image.pixels[c * width * height + pixel], expected[c], accuracy: 1e-6,
                                    "\(colorType) \(depth)-bit pixel \(pixel) channel \(c)")
                    }
                }
            }
        }
        #expect(throws: (any Error).self) { try PNG.encode(samples: [0], width: 1, height: 1, colorType: .rgb, bitDepth: 4) }
        #expect(throws: (any Error).self) { try PNG.encode(samples: [4], width: 1, height: 1, colorType: .gray, bitDepth: 2) }
    }

    @Test func pngEncodingOfImagesRoundTrips() throws {
        let image = smallImage()
        let decoded = try ImageDecoder.decode(try PNG.encode(image: image))
        for (a, b) in zip(decoded.pixels, image.pixels) { expectClose(a, (b * 255).rounded() / 255, accuracy: 1e-6) }
        let gray = try ImageDecoder.decode(try PNG.encode(image: filled(2, channels: 1, height: 2, width: 2)))
        #expect(gray.pixels == Array(repeating: 1, count: 12), "values clamped to 1, grey replicated")
        #expect(throws: (any Error).self) { try PNG.encode(image: Image(channels: 2, height: 2, width: 2)) }
    }

    @Test func jpegDecodesColourAndGrey() throws {
        let width = 16, height = 8
        let smooth = Image(channels: 3, height: height, width: width, pixels: (0..<(3 * width * height)).map { index in
            let c = index / (width * height), y = (index / width) % height, x = index % width
            return 0.2 + 0.6 * Float(x + y + 4 * c) / Float(width + height + 8)
        })
        let decoded = try ImageDecoder.decode(try JPEG.encode(image: smooth, quality: 95), source: "smooth.jpg")
        #expect(decoded.shape == [3, height, width])
        let worst = zip(decoded.pixels, smooth.pixels).map { abs($0 - $1) }.max()!
        #expect(worst < 0.05)

        let grey = try ImageDecoder.decode(try JPEG.encode(image: filled(0.5, channels: 1, height: 4, width: 4)))
        #expect(grey.shape == [3, 4, 4])
        for value in grey.pixels { expectClose(value, 128 / 255, accuracy: 2 / 255) }
    }

    @Test(.tags(.errors)) func corruptAndUnreadableFilesAreErrorsNamingTheFile() throws {
        let png = try PNG.encode(image: smallImage())
        let jpeg = try JPEG.encode(image: filled(0.3, channels: 3, height: 32, width: 32))
        let cases: [(String, [UInt8], ImageError.Kind)] = [
            ("empty.png", [], .unsupportedFormat),
            ("text.jpg", Array("not an image".utf8), .unsupportedFormat),
            ("half.png", Array(png.prefix(png.count / 2)), .corrupt),
            ("signature-only.png", PNG.signature, .corrupt),
            ("garbage.png", PNG.signature + Array(repeating: 0x41, count: 64), .corrupt),
            ("half.jpg", Array(jpeg.prefix(jpeg.count / 2)), .corrupt),
            ("header-only.jpg", Array(jpeg.prefix(3)), .corrupt),
        ]
        for (name, bytes, kind) in cases {
            let path = try write(bytes, name)
            if let error = #expect(throws: (any Error).self, "\(name)", performing: { try ImageDecoder.decode(contentsOfFile: path) }) {
                #expect((error as? ImageError)?.kind == kind, "\(name): \(error)")
                #expect("\(error)".contains(path), "\(error)")
            }
        }
        if let error = #expect(throws: (any Error).self, performing: { try ImageDecoder.decode(contentsOfFile: self.folder + "/missing.png") }) {
            #expect((error as? ImageError)?.kind == .unreadable)
            #expect("\(error)".contains("missing.png"))
        }
        // Many failures in a row leak nothing and leave the decoders usable.
        for _ in 0..<200 { _ = try? ImageDecoder.decode(Array(jpeg.prefix(jpeg.count / 3))) }
        #expect(try ImageDecoder.decode(jpeg).shape == [3, 32, 32])
    }

    @Test func imageFolderLoadsInDeterministicOrderAndCountsSkippedFiles() throws {
        for split in ["train", "val", "test"] {
            let real = split == "val" ? "real" : "0_real", fake = split == "val" ? "fake" : "1_fake"
            _ = try write(try PNG.encode(image: smallImage(shift: 0.1)), "\(split)/\(real)/b.png")
            _ = try write(try PNG.encode(image: smallImage(shift: 0.2)), "\(split)/\(real)/B.PNG")
            _ = try write(try JPEG.encode(image: filled(0.5, channels: 3, height: 6, width: 4)), "\(split)/\(fake)/a.jpeg")
            _ = try write(Array("notes".utf8), "\(split)/\(fake)/readme.txt")
            _ = try write(try PNG.encode(image: smallImage()), "\(split)/\(fake)/.hidden.png")
        }
        let broken = try write(Array("broken".utf8), "train/1_fake/c.jpg")

        let items = try ImageFolder.items(root: folder, split: .train)
        #expect(items.map { ($0.path as NSString).lastPathComponent } == ["B.PNG", "b.png", "a.jpeg", "c.jpg"])
        #expect(items.map(\.label) == [0, 0, 1, 1])

        let pipeline = ImagePipeline([.resize(height: 4, width: 4)])
        if let error = #expect(throws: (any Error).self, performing: { try ImageFolder.load(root: self.folder, split: .train, pipeline: pipeline) }) {
            #expect("\(error)".contains(broken), "\(error)")
        }
        let train = try ImageFolder.load(root: folder, split: .train, pipeline: pipeline, skipUnreadable: true)
        #expect(train.images.shape == [3, 3, 4, 4])
        #expect(train.labels == [0, 0, 1])
        #expect(train.skipped.map(\.path) == [broken])
        let single = try ImageFolder.load(root: folder, split: .train, pipeline: pipeline, skipUnreadable: true, cores: .single)
        #expect(single.images == train.images, "thread count does not change the result")
        let first = ImageTransforms.resize(try ImageDecoder.decode(contentsOfFile: items[0].path), height: 4, width: 4)
        #expect(Array(train.images.pixels.prefix(48)) == first.pixels)
        #expect(train.images[0] == first)

        let validation = try ImageFolder.load(root: folder, split: .val, pipeline: pipeline)
        #expect(validation.labels == [0, 0, 1], "real/ and fake/ are accepted too")
        #expect(validation.skipped.isEmpty)

        if let error = #expect(throws: (any Error).self, performing: { try ImageFolder.load(root: self.folder, split: .test, pipeline: ImagePipeline([])) }) {
            #expect("\(error)".contains("a.jpeg"), "mixed sizes name the odd file: \(error)")
        }
        try FileManager.default.createDirectory(atPath: folder + "/test/real", withIntermediateDirectories: true)
        if let error = #expect(throws: (any Error).self, performing: { try ImageFolder.items(root: self.folder, split: .test) }) {
            #expect("\(error)".contains("ambiguous"), "\(error)")
        }
        if let error = #expect(throws: (any Error).self, performing: { try ImageFolder.items(root: self.folder + "/nowhere", split: .val) }) {
            #expect("\(error)".contains("nowhere/val"), "\(error)")
        }
    }
}
