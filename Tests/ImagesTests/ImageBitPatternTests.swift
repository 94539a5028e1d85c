import Support
import Testing
import TestSupport
@testable import Images

/// SHA-256 of the shape and the float bit patterns that each transform and decoder
/// gives, recorded with the Tensor-based image code still in Vision (commit 687a112,
/// this test then in Tests/VisionTests): moving the code to Images and its own
/// `Image` type changed no bit. The inputs come from integer formulas. The 8-bit
/// PNG digests were re-recorded once, when decoding began to divide samples by 255
/// as torchvision's `ToTensor` does instead of multiplying by 1/255 (half of the
/// levels moved by one float32 ulp); the 16-bit one did not move. "resize grey
/// 4x30" was re-recorded when resizing took Pillow 13's pass order (columns first
/// when the height shrinks by more than twice as many pixels as the width). "png
/// 16-bit" was re-recorded when 16-bit PNGs began to be reduced to 8 bits as Pillow
/// reduces them (the high byte of RGB samples) instead of being divided by 65535.
@Suite(.tags(.numerics)) struct ImageBitPatternTests {
    /// `[3, 10, 13]`, the reference script's image.
    let small = Image(channels: 3, height: 10, width: 13, pixels: formulaValues(390, 29, 71, 70, 0))
    /// `[3, 37, 53]` with values in `[-0.1, 0.9]`, some below 0 for the encoder's clamping.
    let odd = Image(channels: 3, height: 37, width: 53, pixels: formulaValues(3 * 37 * 53, 113, 251, 250, -0.1))
    /// `[3, 120, 90]`, portrait.
    let portrait = Image(channels: 3, height: 120, width: 90, pixels: formulaValues(3 * 120 * 90, 7919, 65_521, 65_520, 0))
    /// `[1, 9, 11]`, one channel.
    let grey = Image(channels: 1, height: 9, width: 11, pixels: formulaValues(99, 17, 23, 22, 0))

    static let expected: [String: String] = [
        "crop odd 36x52": "7751bcb8540451c6596968d670ae8ee6867afa5a29b865737f5621036af30683",
        "crop odd 40x60": "4d0cde4f5cd9a872e6e217dda4a4641aff911e0098634fc20bb91419a0850e18",
        "crop small 12x15": "d9ea60edbea27e429647743410591a1e1f626617de515de06b27984f899e6ff9",
        "crop small 6x6": "010df5c4f31ac095d91fd2445c9c80a468c58d8dbc5142c0b1e8a2f1743ebb71",
        "crop small 7x8": "97dd8de70487af228082369b4f9df6ba20214f7118cb58f44e1c07ec7419b08b",
        "normalize batch": "90ec20cd04b0e0a8e2cefc4b309f1d77e39bd7e33083b28d1e4ee7faebe8d7d0",
        "normalize grey": "925841a40f8dd6664ca7616ed6e45c412e192998ef955e71d3ed905743f84ac1",
        "normalize odd": "89cdb016b9dd611a4176cd117929638bfb8723b090d4a0e893a82f5c6165666b",
        "normalize small": "ac144b11203a968321c46cfaa90eba5ccadd93b2a67db274f53cd321acadb367",
        "png 16-bit": "cb68442ae7d9b0056e5374b121e1d02953178fd56c48d9547ff30f2e2c279d01",
        "png grey": "7b1bb5d1d5203eeed1d4245201aeb94bf9998646104e751f90b9260faebe4a91",
        "png odd": "c7f914c6ba677a48f16712a5282c553aa3eac15e20f91cfbfaf83a67bd5d9c06",
        "png palette": "8d0f21272f22eec438e5f13a041d01f6ccfb995295fc4cc4371ebed1bc922f42",
        "pretrained 224 portrait": "4d60a724e7ab89c65d3150926d199b54a420b63ed76c8e3f987f1f6312a8d8bf",
        "pretrained 64 odd": "9e9c0e7b66217a16c23dd1996a18673908dd85d4fbd30d5f8c2e40af588f2a52",
        "pretrained 64 portrait": "858f4c125a94698abb8bd000f36e423350595721d5b18b59368a76e72335d1b7",
        "resize grey 4x30": "eb1dbc0b5e4096caad285f5599f18b23fb19b4c637c16b84f498ba814a57b41b",
        "resize odd 5x7": "e71fdd9bbb2e6dbc98314d1b3f4652b50bbdedc8e0910ca8b337c249fdd087c5",
        "resize odd 64x64": "55436f2df47f6841524181451de94af6cc196fe91fd82cf2eadd2225c1a700da",
        "resize odd height only": "b9dc22d8f6566ae77bfe7da146ae549ac2d6d70ee5e3f6538e83fbbe43ac2c71",
        "resize odd width only": "e5d21640f6067c41ac90dd9cf235eb1c1c9081282c81b6aae5475d761bc7ffba",
        "resize small 13x20": "ab960af08934f3f28e0ad4780b4c7d483f9ac022849fb1a0a23330e18137067a",
        "resize small 17x9": "747691877152cc8ca018267f8596c68788cb36bcd23998cdcae50e162b2cce52",
        "resize small 4x6": "9ec43ad5f8d6544085534d5f01f4de00b0ff8733d9d50827bb6aca52f7d16d97",
        "scratch 32 portrait": "62a1890a1d3664f3445cf7e9d06cb9776030cc45b849161714965659b9302d2b",
        "scratch 64 odd": "55436f2df47f6841524181451de94af6cc196fe91fd82cf2eadd2225c1a700da",
        "shorter side odd 73": "b4d8426403791e9c2cdaad5bbf0dd7caff09fe7b8b05375f7df826e23e10c662",
        "shorter side portrait 73": "779632f0a8b870922c4313426544f594927b9bf97c4065b3d0b469bdf75e6854",
        "shorter side small 7": "de910e8ab993e100411122d8bfe7c91ee5bc5d61ea13d30eb64401abede0b9bd",
    ]

    /// SHA-256 of `[C, H, W]` (as text) and of the values' little-endian bit patterns,
    /// the digest the Tensor-based test took of a tensor of that shape.
    func digest(shape: [Int], _ pixels: [Float]) -> String {
        var hasher = SHA256()
        hasher.update(Array("\(shape)".utf8))
        pixels.withUnsafeBufferPointer { hasher.update(floats: $0) }
        return hasher.finalizeHex()
    }

    func digest(_ image: Image) -> String { digest(shape: image.shape, image.pixels) }

    @Test func transforms() {
        let results: [(String, Image)] = [
            ("resize small 4x6", ImageTransforms.resize(small, height: 4, width: 6)),
            ("resize small 17x9", ImageTransforms.resize(small, height: 17, width: 9)),
            ("resize small 13x20", ImageTransforms.resize(small, height: 13, width: 20)),
            ("resize odd 5x7", ImageTransforms.resize(odd, height: 5, width: 7)),
            ("resize odd 64x64", ImageTransforms.resize(odd, height: 64, width: 64)),
            ("resize odd width only", ImageTransforms.resize(odd, height: 37, width: 20)),
            ("resize odd height only", ImageTransforms.resize(odd, height: 90, width: 53)),
            ("resize grey 4x30", ImageTransforms.resize(grey, height: 4, width: 30)),
            ("shorter side small 7", ImageTransforms.resizeShorterSide(small, to: 7)),
            ("shorter side odd 73", ImageTransforms.resizeShorterSide(odd, to: 73)),
            ("shorter side portrait 73", ImageTransforms.resizeShorterSide(portrait, to: 73)),
            ("crop small 6x6", ImageTransforms.centerCrop(small, height: 6, width: 6)),
            ("crop small 7x8", ImageTransforms.centerCrop(small, height: 7, width: 8)),
            ("crop small 12x15", ImageTransforms.centerCrop(small, height: 12, width: 15)),
            ("crop odd 36x52", ImageTransforms.centerCrop(odd, height: 36, width: 52)),
            ("crop odd 40x60", ImageTransforms.centerCrop(odd, height: 40, width: 60)),
            ("normalize small", ImageTransforms.normalize(small)),
            ("normalize odd", ImageTransforms.normalize(odd, mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 2])),
            ("normalize grey", ImageTransforms.normalize(grey, mean: [0.3], std: [0.7])),
            ("pretrained 64 portrait", ImagePipeline.pretrained(size: 64).apply(portrait)),
            ("pretrained 64 odd", ImagePipeline.pretrained(size: 64).apply(odd)),
            ("pretrained 224 portrait", ImagePipeline.pretrained(size: 224).apply(portrait)),
            ("scratch 32 portrait", ImagePipeline.scratch(size: 32).apply(portrait)),
            ("scratch 64 odd", ImagePipeline.scratch(size: 64).apply(odd)),
        ]
        for (name, image) in results { #expect(digest(image) == Self.expected[name], "\(name)") }
    }

    /// Normalisation of a batch `[2, 3, 10, 13]` in place, as Datasets does for tensors.
    @Test func batchNormalisation() {
        var batch = small.pixels + small.pixels.reversed()
        batch.withUnsafeMutableBufferPointer { values in
            ImageTransforms.normalize(values, channels: 3, planeSize: 10 * 13)
        }
        #expect(digest(shape: [2, 3, 10, 13], batch) == Self.expected["normalize batch"])
    }

    @Test func losslessDecoding() throws {
        let png = try ImageDecoder.decode(try PNG.encode(image: odd))
        let sixteen = try ImageDecoder.decode(try PNG.encode(
            samples: (0..<(3 * 7 * 5)).map { UInt16($0 * 4099 % 65_536) }, width: 5, height: 7, colorType: .rgb, bitDepth: 16))
        let palette = try ImageDecoder.decode(try PNG.encode(
            samples: (0..<(6 * 4)).map { UInt16($0 % 3) }, width: 6, height: 4, colorType: .palette, bitDepth: 2,
            palette: [(10, 20, 30), (200, 100, 0), (1, 254, 128)]))
        let greyPNG = try ImageDecoder.decode(try PNG.encode(image: grey))
        for (name, image) in [("png odd", png), ("png 16-bit", sixteen), ("png palette", palette), ("png grey", greyPNG)] {
            #expect(digest(image) == Self.expected[name], "\(name)")
        }
    }
}
