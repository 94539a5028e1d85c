import Testing
import TestSupport
@testable import Images

/// Transforms checked against numpy (Reference/generate_reference.py, which wrote
/// ReferenceValues.swift). The input is rebuilt here from the same formula.
@Suite(.tags(.numerics)) struct ReferenceValueTests {
    @Test func imageTransformsMatchNumpy() {
        let image = Image(channels: 3, height: 10, width: 13, pixels: formulaValues(390, 29, 71, 70, 0))
        expectClose(ImageTransforms.resize(image, height: 4, width: 6).pixels, ReferenceValues.resizeShrink4x6,
                    tolerance: 1e-6, "shrink")
        expectClose(ImageTransforms.resize(image, height: 17, width: 9).pixels, ReferenceValues.resizeMixed17x9,
                    tolerance: 1e-6, "grow height, shrink width")
        expectClose(ImageTransforms.resize(image, height: 13, width: 20).pixels, ReferenceValues.resizeGrow13x20,
                    tolerance: 1e-6, "grow")
        let shorter = ImageTransforms.resizeShorterSide(image, to: 7)
        #expect(shorter.shape == [3, 7, 9])
        expectClose(shorter.pixels, ReferenceValues.resizeShorterSide7, tolerance: 1e-6, "Resize(7)")
        #expect(ImageTransforms.resize(image, height: 10, width: 13) == image, "same size is the identity")
        expectClose(ImageTransforms.centerCrop(image, height: 6, width: 6).pixels, ReferenceValues.centerCrop6x6,
                    tolerance: 0, "crop, offset rounded half to even")
        expectClose(ImageTransforms.centerCrop(image, height: 7, width: 8).pixels, ReferenceValues.centerCrop7x8,
                    tolerance: 0, "crop 7x8")
        expectClose(ImageTransforms.centerCrop(image, height: 12, width: 15).pixels, ReferenceValues.centerCrop12x15,
                    tolerance: 0, "crop larger than the image pads with zeros")
        expectClose(ImageTransforms.normalize(image).pixels, ReferenceValues.normalized, tolerance: 1e-6, "normalize")
    }

    @Test func pipelinesAndOutputSizes() {
        #expect(ImageTransforms.shorterSideSize(height: 1024, width: 768, to: 256) == (341, 256))
        #expect(ImageTransforms.shorterSideSize(height: 500, width: 375, to: 73) == (97, 73))
        #expect(ImagePipeline.pretrained(size: 224).steps.first == .resizeShorterSide(256))
        #expect(ImagePipeline.pretrained(size: 64).steps.first == .resizeShorterSide(73))
        let image = filled(0.5, channels: 3, height: 120, width: 90)
        let out = ImagePipeline.pretrained(size: 64).apply(image)
        #expect(out.shape == [3, 64, 64])
        expectClose(out.pixels[0], (0.5 - 0.485) / 0.229, accuracy: 1e-5, "a flat image stays flat through resize")
        #expect(ImagePipeline.scratch(size: 32).apply(image).shape == [3, 32, 32])
    }
}
