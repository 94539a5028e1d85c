import Engine

extension FacePortrait {
    /// Paints the composition at `size x size` pixels, back to front, with a fake's
    /// `flaws` (none for a real image); `rng` draws the textures (background, skin,
    /// hair), whose scale is tied to the image, not the pixel.
    func render(size: Int, flaws: GenerationFlaws = .none, rng: inout RNG) -> Canvas {
        let backgroundNoise = NoiseField(size: size, coarsest: 2, octaves: 4, rng: &rng)
        let skinNoise = NoiseField(size: size, coarsest: 6, octaves: 3, rng: &rng)
        let hairNoise = NoiseField(size: size, coarsest: 5, octaves: 3, stretch: 3, rng: &rng)
        let skinTexture = rng.uniform(0.01, 0.035) * flaws.textureFactor
        let backgroundTexture = self.backgroundTexture * flaws.textureFactor
        let hairTexture = 0.12 * flaws.textureFactor

        let gradient = SIMD2(cos(backgroundAngle), sin(backgroundAngle))
        var canvas = Canvas(size: size) { p, index in
            let t = min(max(((p - 0.5) * gradient).sum() + 0.5, 0), 1)
            let vignette = 1 - 0.25 * (length(p - 0.5) * 1.4) * (length(p - 0.5) * 1.4)
            return mix(backgroundTop, backgroundBottom, t) * vignette * (1 + backgroundTexture * backgroundNoise[index])
        }
        for blob in bokeh {
            canvas.fill(blob.shape, color: blob.color, opacity: blob.opacity, softness: Float(size) * 0.04)
        }
        for droplet in flaws.droplets { paint(droplet, tint: flaws.oddColor, on: &canvas) }

        let hairPaint = { (p: SIMD2<Float>, index: Int) -> SIMD3<Float> in
            hair * (1 + hairTexture * hairNoise[index]) * shade(p, amount: 0.6)
        }
        let skinPaint = { (p: SIMD2<Float>, index: Int) -> SIMD3<Float> in
            skin * (1 + skinTexture * skinNoise[index]) * shade(p, amount: 1)
        }

        // Behind the head: long hair, shoulders, neck, ears.
        if hairStyle == .long {
            canvas.fill(Intersection(first: ellipse(SIMD2(0, 0.35), SIMD2(1.02, 1.35)),
                                     second: HalfPlane(origin: point(SIMD2(0, 1.5)), normal: rotated(SIMD2(0, 1), by: tilt))),
                        paint: hairPaint)
        }
        canvas.fill(Ellipse(center: point(SIMD2(0, 1.2)) + SIMD2(0, 1.15 * scale), radii: SIMD2(1.9, 0.95) * scale)) { p, _ in
            clothing * (1 - 0.25 * max(0, ((p - center) * light).sum() / scale) * shading)
        }
        canvas.fill(Box(center: point(SIMD2(0, 1.05)), halfSize: SIMD2(0.34, 0.5) * scale, angle: tilt, rounding: 0.1 * scale)) {
            p, index in skinPaint(p, index) * 0.82
        }
        for side: Float in [-1, 1] {
            canvas.fill(ellipse(SIMD2(side * 0.77, 0.06), SIMD2(0.12, 0.2)), paint: skinPaint)
        }

        // The head, shaded as a rounded solid, then its hair.
        canvas.fill(ellipse(SIMD2(0, 0), SIMD2(0.76, 1))) { p, index in
            let q = local(p)
            let rim = max(0, (q * q / SIMD2(0.58, 1)).sum() - 0.55)
            return skinPaint(p, index) * (1 - 0.35 * rim)
        }
        for side: Float in [-1, 1] {
            canvas.fill(ellipse(turned(SIMD2(side * 0.42, 0.3)), SIMD2(0.17, 0.12)), color: lip, opacity: 0.18,
                        softness: max(2, Float(size) * 0.05 * scale))
        }
        if hairStyle != .bald {
            canvas.fill(hairCap(outer: ellipse(SIMD2(0, -0.1), SIMD2(0.86, 1.02))), paint: hairPaint)
        }
        if beard {
            let jaw = Intersection(first: ellipse(SIMD2(0, 0.05), SIMD2(0.74, 0.98)),
                                   second: HalfPlane(origin: point(SIMD2(0, max(0.42, mouthHeight - 0.12))),
                                                     normal: rotated(SIMD2(0, -1), by: tilt)))
            canvas.fill(jaw, opacity: 0.85, paint: hairPaint)
        }

        if flaws.hairBleed > 0 {
            // Beside the head's upper half, reaching out into the background.
            let angle = Float.pi * (1.05 + 0.9 * flaws.bleedAngle / (2 * .pi))
            let spot = SIMD2(cos(angle) * 0.95, sin(angle) * 0.85 - 0.15)
            canvas.fill(ellipse(spot, SIMD2(0.38, 0.26), angle: angle), opacity: flaws.hairBleed,
                        softness: Float(size) * 0.05, paint: hairPaint)
        }

        drawEyes(on: &canvas, flaws: flaws)
        drawEarrings(on: &canvas, flaws: flaws)
        drawNoseAndMouth(on: &canvas)

        canvas.map { color, _ in color * tint * exposure }
        return canvas
    }

    /// A generator's "droplet": a small round blob with a bright core and a darker rim.
    private func paint(_ droplet: GenerationFlaws.Droplet, tint: SIMD3<Float>, on canvas: inout Canvas) {
        let radius = droplet.radius
        let body = Ellipse(center: droplet.center, radii: SIMD2(radius, radius * 0.85))
        canvas.fill(Outline(base: body, width: radius * 0.35), color: tint * 0.3, opacity: droplet.opacity * 0.8)
        canvas.fill(body, color: mix(tint, SIMD3(1, 1, 1), 0.45), opacity: droplet.opacity, softness: 1.5)
        canvas.fill(Ellipse(center: droplet.center - radius * 0.3, radii: SIMD2(radius, radius) * 0.35),
                    color: SIMD3(1, 1, 1), opacity: droplet.opacity)
    }

    /// Studs under both ears; a fake's accessory flaw changes the odd side's colour and
    /// size, or, when the portrait has none, puts one stud on that side only.
    private func drawEarrings(on canvas: inout Canvas, flaws: GenerationFlaws) {
        let mismatch = min(flaws.accessoryMismatch, 1)
        for side: Float in [-1, 1] {
            let odd = side == flaws.oddSide && mismatch > 0
            let position = SIMD2(side * 0.78, 0.3)
            if let (color, radius) = earrings {
                let r = odd ? radius * (1 + 0.8 * mismatch) : radius
                canvas.fill(ellipse(position, SIMD2(r, r)), color: odd ? mix(color, flaws.oddColor, mismatch) : color)
            } else if odd {
                canvas.fill(ellipse(position, SIMD2(0.07, 0.07)), color: flaws.oddColor, opacity: mismatch)
            }
        }
    }

    /// Brightness under the directional light: `1 ± amount · shading` across the head.
    private func shade(_ p: SIMD2<Float>, amount: Float) -> Float {
        1 + amount * shading * min(max(((p - center) * light).sum() / scale, -1.5), 1.5)
    }

    private func drawEyes(on canvas: inout Canvas, flaws: GenerationFlaws) {
        let brow = hair * 0.7 + skin * 0.15
        let eyeMismatch = min(flaws.eyeMismatch, 1.5), accessoryMismatch = min(flaws.accessoryMismatch, 1)
        for side: Float in [-1, 1] {
            let oddEye = side == flaws.oddSide ? eyeMismatch : 0
            let oddRim = side == flaws.oddSide ? accessoryMismatch : 0
            let eye = turned(SIMD2(side * eyeSpacing, eyeHeight))
            let eyeRadii = flaws.eyeKind == .size ? self.eyeRadii * (1 + 0.4 * oddEye) : self.eyeRadii
            let gaze = flaws.eyeKind == .gaze ? self.gaze + SIMD2(-side * 0.06, 0.02) * oddEye : self.gaze
            let iris = flaws.eyeKind == .color ? mix(self.iris, flaws.oddColor, min(oddEye, 1)) : self.iris
            let browY = eyeHeight - browRaise
            canvas.fill(capsule(turned(SIMD2(side * (eyeSpacing - 0.13), browY + browTilt)),
                                turned(SIMD2(side * (eyeSpacing + 0.13), browY - browTilt + 0.02)), radius: browWidth),
                        color: brow, opacity: 0.9)
            if eyesClosed {
                canvas.fill(capsule(eye - SIMD2(eyeRadii.x, 0), eye + SIMD2(eyeRadii.x, 0), radius: 0.018),
                            color: skin * 0.45)
                continue
            }
            let white = ellipse(eye, eyeRadii)
            canvas.fill(white, color: SIMD3(0.93, 0.91, 0.88) * (0.8 + 0.2 * skin.x))
            let irisCenter = eye + gaze
            let irisRadius = eyeRadii.y * 1.05
            canvas.fill(Intersection(first: ellipse(irisCenter, SIMD2(irisRadius, irisRadius)), second: white), color: iris)
            canvas.fill(Intersection(first: ellipse(irisCenter, SIMD2(irisRadius, irisRadius) * 0.45), second: white),
                        color: SIMD3(0.03, 0.03, 0.03))
            canvas.fill(ellipse(irisCenter + SIMD2(0.02, -0.02), SIMD2(0.018, 0.018)), color: SIMD3(1, 1, 1), opacity: 0.8)
            // Upper lid line.
            canvas.fill(Intersection(first: Outline(base: white, width: 0.025 * scale),
                                     second: HalfPlane(origin: point(eye), normal: rotated(SIMD2(0, 1), by: tilt))),
                        color: skin * 0.35, opacity: 0.8)
            if let frame = glasses {
                canvas.fill(Outline(base: ellipse(eye, SIMD2(0.2, 0.15) * (1 + 0.3 * oddRim)), width: 0.035 * scale * (1 + oddRim)),
                            color: mix(frame, flaws.oddColor, oddRim))
            }
        }
        if let frame = glasses {
            canvas.fill(capsule(turned(SIMD2(-eyeSpacing + 0.2, eyeHeight - 0.02)),
                                turned(SIMD2(eyeSpacing - 0.2, eyeHeight - 0.02)), radius: 0.018), color: frame)
        }
    }

    private func drawNoseAndMouth(on canvas: inout Canvas) {
        let noseSide: Float = light.x > 0 ? -1 : 1
        let softness = max(1.5, Float(canvas.size) * 0.03 * scale)
        canvas.fill(capsule(turned(SIMD2(noseSide * 0.05, eyeHeight + 0.08), depth: 1.4),
                            turned(SIMD2(noseSide * 0.07, 0.3), depth: 1.4), radius: 0.03),
                    color: skin * 0.7, opacity: 0.35, softness: softness)
        canvas.fill(ellipse(turned(SIMD2(0, 0.34), depth: 1.5), SIMD2(0.1, 0.06)), color: skin * 0.8, opacity: 0.35,
                    softness: softness)
        for side: Float in [-1, 1] {
            canvas.fill(ellipse(turned(SIMD2(side * 0.055, 0.38), depth: 1.4), SIMD2(0.03, 0.018)),
                        color: skin * 0.35, opacity: 0.6)
        }

        let mouth = turned(SIMD2(0, mouthHeight), depth: 1.1)
        if mouthOpen > 0 {
            canvas.fill(ellipse(mouth + SIMD2(0, 0.01), SIMD2(mouthWidth * 0.8, mouthOpen)), color: SIMD3(0.25, 0.08, 0.08))
            canvas.fill(Intersection(first: ellipse(mouth + SIMD2(0, 0.01), SIMD2(mouthWidth * 0.8, mouthOpen)),
                                     second: HalfPlane(origin: point(mouth - SIMD2(0, mouthOpen * 0.3)),
                                                       normal: rotated(SIMD2(0, 1), by: tilt))),
                        color: SIMD3(0.92, 0.9, 0.85))
        }
        // Lips: two strokes from the corners to the middle, bent up by the smile.
        let middle = mouth + SIMD2(0, smile * 0.3)
        for side: Float in [-1, 1] {
            canvas.fill(capsule(mouth + SIMD2(side * mouthWidth, -smile), middle, radius: 0.035), color: lip)
        }
        canvas.fill(ellipse(middle + SIMD2(0, 0.045), SIMD2(mouthWidth * 0.55, 0.035)), color: lip * 1.05, opacity: 0.9)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
