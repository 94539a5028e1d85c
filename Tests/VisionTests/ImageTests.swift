import Engine
import Foundation
import Support
import XCTest
@testable import Vision

final class ImageTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("nnreport-images-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
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
    private func smallImage(shift: Float = 0) -> Tensor {
        Tensor(shape: [3, 2, 3], values: (0..<18).map { Float($0 % 7) / 6 * (1 - shift) + shift })
    }

    func testPNGOfEveryColorTypeAndBitDepthDecodesToRGB() throws {
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
                XCTAssertEqual(image.shape, [3, height, width], "\(colorType) \(depth)")
                for pixel in 0..<(width * height) {
                    let expected: [Float]
                    switch colorType {
                    case .gray, .grayAlpha:
                        let v = Float(samples[pixel * colorType.samplesPerPixel]) / Float(maximum)
                        expected = [v, v, v]
                    case .rgb, .rgba:
                        expected = (0..<3).map { Float(samples[pixel * colorType.samplesPerPixel + $0]) / Float(maximum) }
                    case .palette:
                        let entry = palette[Int(samples[pixel])]
                        expected = [Float(entry.0) / 255, Float(entry.1) / 255, Float(entry.2) / 255]
                    }
                    for c in 0..<3 {
                        XCTAssertEqual(image[flat: c * width * height + pixel], expected[c], accuracy: 1e-6,
                                       "\(colorType) \(depth)-bit pixel \(pixel) channel \(c)")
                    }
                }
            }
        }
        XCTAssertThrowsError(try PNG.encode(samples: [0], width: 1, height: 1, colorType: .rgb, bitDepth: 4))
        XCTAssertThrowsError(try PNG.encode(samples: [4], width: 1, height: 1, colorType: .gray, bitDepth: 2))
    }

    func testPNGEncodingOfTensorsRoundTrips() throws {
        let image = smallImage()
        let decoded = try ImageDecoder.decode(try PNG.encode(image: image))
        for (a, b) in zip(decoded.scalars, image.scalars) { XCTAssertEqual(a, (b * 255).rounded() / 255, accuracy: 1e-6) }
        let gray = try ImageDecoder.decode(try PNG.encode(image: Tensor(repeating: 2, shape: [1, 2, 2])))
        XCTAssertEqual(gray.scalars, Array(repeating: 1, count: 12), "values clamped to 1, grey replicated")
        XCTAssertThrowsError(try PNG.encode(image: Tensor(zeros: [2, 2, 2])))
    }

    func testJPEGDecodesColourAndGrey() throws {
        let width = 16, height = 8
        let smooth = Tensor(shape: [3, height, width], values: (0..<(3 * width * height)).map { index in
            let c = index / (width * height), y = (index / width) % height, x = index % width
            return 0.2 + 0.6 * Float(x + y + 4 * c) / Float(width + height + 8)
        })
        let decoded = try ImageDecoder.decode(try JPEG.encode(image: smooth, quality: 95), source: "smooth.jpg")
        XCTAssertEqual(decoded.shape, [3, height, width])
        let worst = zip(decoded.scalars, smooth.scalars).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(worst, 0.05)

        let grey = try ImageDecoder.decode(try JPEG.encode(image: Tensor(repeating: 0.5, shape: [1, 4, 4])))
        XCTAssertEqual(grey.shape, [3, 4, 4])
        for value in grey.scalars { XCTAssertEqual(value, 128 / 255, accuracy: 2 / 255) }
    }

    func testCorruptAndUnreadableFilesAreErrorsNamingTheFile() throws {
        let png = try PNG.encode(image: smallImage())
        let jpeg = try JPEG.encode(image: Tensor(repeating: 0.3, shape: [3, 32, 32]))
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
            XCTAssertThrowsError(try ImageDecoder.decode(contentsOfFile: path), name) { error in
                XCTAssertEqual((error as? ImageError)?.kind, kind, "\(name): \(error)")
                XCTAssertTrue("\(error)".contains(path), "\(error)")
            }
        }
        XCTAssertThrowsError(try ImageDecoder.decode(contentsOfFile: folder + "/missing.png")) { error in
            XCTAssertEqual((error as? ImageError)?.kind, .unreadable)
            XCTAssertTrue("\(error)".contains("missing.png"))
        }
        // Many failures in a row leak nothing and leave the decoders usable.
        for _ in 0..<200 { _ = try? ImageDecoder.decode(Array(jpeg.prefix(jpeg.count / 3))) }
        XCTAssertEqual(try ImageDecoder.decode(jpeg).shape, [3, 32, 32])
    }

    func testImageFolderLoadsInDeterministicOrderAndCountsSkippedFiles() throws {
        for split in ["train", "val", "test"] {
            let real = split == "val" ? "real" : "0_real", fake = split == "val" ? "fake" : "1_fake"
            _ = try write(try PNG.encode(image: smallImage(shift: 0.1)), "\(split)/\(real)/b.png")
            _ = try write(try PNG.encode(image: smallImage(shift: 0.2)), "\(split)/\(real)/B.PNG")
            _ = try write(try JPEG.encode(image: Tensor(repeating: 0.5, shape: [3, 6, 4])), "\(split)/\(fake)/a.jpeg")
            _ = try write(Array("notes".utf8), "\(split)/\(fake)/readme.txt")
            _ = try write(try PNG.encode(image: smallImage()), "\(split)/\(fake)/.hidden.png")
        }
        let broken = try write(Array("broken".utf8), "train/1_fake/c.jpg")

        let items = try ImageFolder.items(root: folder, split: .train)
        XCTAssertEqual(items.map { ($0.path as NSString).lastPathComponent }, ["B.PNG", "b.png", "a.jpeg", "c.jpg"])
        XCTAssertEqual(items.map(\.label), [0, 0, 1, 1])

        let pipeline = ImagePipeline([.resize(height: 4, width: 4)])
        XCTAssertThrowsError(try ImageFolder.load(root: folder, split: .train, pipeline: pipeline)) { error in
            XCTAssertTrue("\(error)".contains(broken), "\(error)")
        }
        let train = try ImageFolder.load(root: folder, split: .train, pipeline: pipeline, skipUnreadable: true)
        XCTAssertEqual(train.images.shape, [3, 3, 4, 4])
        XCTAssertEqual(train.labels, [0, 0, 1])
        XCTAssertEqual(train.skipped.map(\.path), [broken])
        let single = try ImageFolder.load(root: folder, split: .train, pipeline: pipeline, skipUnreadable: true, cores: .single)
        XCTAssertEqual(single.images, train.images, "thread count does not change the result")
        let first = ImageTransforms.resize(try ImageDecoder.decode(contentsOfFile: items[0].path), height: 4, width: 4)
        XCTAssertEqual(Array(train.images.scalars.prefix(48)), first.scalars)

        let validation = try ImageFolder.load(root: folder, split: .val, pipeline: pipeline)
        XCTAssertEqual(validation.labels, [0, 0, 1], "real/ and fake/ are accepted too")
        XCTAssertTrue(validation.skipped.isEmpty)

        XCTAssertThrowsError(try ImageFolder.load(root: folder, split: .test, pipeline: ImagePipeline([]))) { error in
            XCTAssertTrue("\(error)".contains("a.jpeg"), "mixed sizes name the odd file: \(error)")
        }
        try FileManager.default.createDirectory(atPath: folder + "/test/real", withIntermediateDirectories: true)
        XCTAssertThrowsError(try ImageFolder.items(root: folder, split: .test)) { error in
            XCTAssertTrue("\(error)".contains("ambiguous"), "\(error)")
        }
        XCTAssertThrowsError(try ImageFolder.items(root: folder + "/nowhere", split: .val)) { error in
            XCTAssertTrue("\(error)".contains("nowhere/val"), "\(error)")
        }
    }

    func testGatheringBatches() {
        let images = Tensor(shape: [3, 1, 1, 2], values: [0, 1, 2, 3, 4, 5])
        var batch = Tensor(zeros: [0])
        images.gatherItems([2, 0], into: &batch)
        XCTAssertEqual(batch.shape, [2, 1, 1, 2])
        XCTAssertEqual(batch.scalars, [4, 5, 0, 1])
    }
}
