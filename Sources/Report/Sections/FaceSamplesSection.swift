import Charts
import Foundation
import Study

/// 7.2: test images one run classifies correctly and another gets wrong (the best
/// method against the worst, and each method's two best runs), shown from the
/// thumbnails in the manifest with both runs' probabilities of "fake".
enum FaceSamplesSection {
    typealias SampleComparison = FaceSamplesAnalysis.Comparison

    static func content(_ context: SectionContext<FaceRun>, _ analysis: FaceSamplesAnalysis) -> SectionContent {
        let figures = analysis.comparisons.compactMap { figure(context, $0) }
        var content = SectionContent(figures: figures, tables: tables(context, analysis), findings: findings(context, analysis))
        if context.hasSeeds {
            content.caveat = "Images and probabilities come from each run's first seed (seed \(context.manifest.seeds[0])); "
                + "the other seeds may get other images right."
        }
        if analysis.comparisons.isEmpty {
            content.findings.append("There is nothing to compare: fewer than two methods, and no method with two trained runs.")
        }
        return content
    }

    /// `7.2-best-vs-worst`, `7.2-finetune-two-best`.
    static func figureName(_ context: SectionContext<FaceRun>, _ comparison: SampleComparison) -> String {
        switch comparison.kind {
        case .bestAgainstWorstMethod: return context.name("best-vs-worst")
        case .twoBestOfMethod:
            let method = context.group(comparison.better)?.method.rawValue ?? Anchor.make(comparison.better)
            return context.name("\(method)-two-best")
        }
    }

    /// `fake` or `real`.
    static func className(_ label: Int32) -> String { label == 1 ? "fake" : "real" }

    /// `0.91`, or `0.504` where two decimals would show 0.50 and hide which side of
    /// one half decided the class.
    static func probabilityText(_ probability: Float) -> String {
        let short = NumberText.fixed(Double(probability), 2)
        return short == "0.50" && probability != 0.5 ? NumberText.fixed(Double(probability), 3) : short
    }

    /// `0.91 → fake`.
    static func prediction(_ probability: Float) -> String {
        probabilityText(probability) + " → " + className(probability > 0.5 ? 1 : 0)
    }

    /// The file name of a test image (its last path component), at most 20 characters.
    static func shortName(_ name: String) -> String {
        let last = name.split(separator: "/").last.map(String.init) ?? name
        return last.count <= 20 ? last : String(last.prefix(19)) + "…"
    }

    static func figure(_ context: SectionContext<FaceRun>, _ comparison: SampleComparison) -> Figure? {
        let manifest = context.manifest
        let images = comparison.samples.compactMap { sample -> GridImage? in
            guard let png = manifest.thumbnailPNG(sample.index) else { return nil }
            let name = manifest.testNames.indices.contains(sample.index) ? manifest.testNames[sample.index] : "test image \(sample.index + 1)"
            let caption = [shortName(name), "true: " + className(sample.label), "better: " + prediction(sample.betterProbability),
                           "worse: " + prediction(sample.worseProbability)].joined(separator: "\n")
            let alternative = "\(name): \(className(sample.label)); \(comparison.better) gives p(fake) "
                + NumberText.fixed(Double(sample.betterProbability), 3) + ", \(comparison.worse) gives "
                + NumberText.fixed(Double(sample.worseProbability), 3)
            return GridImage(png: png, caption: caption, alternative: alternative)
        }
        guard !images.isEmpty else { return nil }
        let name = figureName(context, comparison)
        let grid = ImageGrid(id: "f-" + Anchor.make(name), title: "\(comparison.better) right, \(comparison.worse) wrong",
                             images: images, columns: 5, cellWidth: 120, pixelated: manifest.imageSize < 120,
                             showsTitle: false)
        let shown = images.count == comparison.candidates ? "all \(images.count)" : "\(images.count) of \(comparison.candidates)"
        return FigureHelpers.figure(name,
                                    caption: "Test images that \(comparison.better) (better) classifies correctly and \(comparison.worse) "
                                        + "(worse) gets wrong: \(shown), the worse run's most confident mistakes first. Under each image: "
                                        + "its file, its true class, and each run's probability of fake with the class it implies.",
                                    svg: grid.render())
    }

    /// Images only `a` gets right and images only `b` gets right (first seed of each).
    static func disagreements(_ a: RunGroup<FaceRun>, _ b: RunGroup<FaceRun>, labels: [Int32]) -> (onlyA: Int, onlyB: Int) {
        let n = min(a.testProbabilities.count, b.testProbabilities.count, labels.count)
        var onlyA = 0, onlyB = 0
        for index in 0..<n {
            let rightA = (a.testProbabilities[index] > 0.5 ? 1 : 0) == labels[index]
            let rightB = (b.testProbabilities[index] > 0.5 ? 1 : 0) == labels[index]
            if rightA && !rightB { onlyA += 1 }
            if rightB && !rightA { onlyB += 1 }
        }
        return (onlyA, onlyB)
    }

    static func tables(_ context: SectionContext<FaceRun>, _ analysis: FaceSamplesAnalysis) -> [Table] {
        let labels = context.manifest.testLabels
        let pairs = analysis.comparisons.map { comparison -> [Table.Cell] in
            let reverse = context.group(comparison.better).flatMap { better in
                context.group(comparison.worse).map { disagreements(better, $0, labels: labels).onlyB }
            }
            return [.text(kindText(comparison.kind)), .text(comparison.better), .text(comparison.worse),
                    .integer(comparison.candidates), .integer(reverse), .integer(comparison.samples.count)]
        }
        let comparisons = Table(name: context.name("comparisons"), caption: "Test images that separate two runs",
                                columns: [Table.Column("Comparison", numeric: false), Table.Column("Better run", numeric: false),
                                          Table.Column("Worse run", numeric: false), Table.Column("Right only with the better"),
                                          Table.Column("Right only with the worse"), Table.Column("Shown")],
                                rows: pairs,
                                notes: ["Counted on the \(NumberText.count(labels.count)) test images, from each run's first seed."])
        var rows: [[Table.Cell]] = []
        for comparison in analysis.comparisons {
            for sample in comparison.samples {
                let name = context.manifest.testNames.indices.contains(sample.index) ? context.manifest.testNames[sample.index] : ""
                rows.append([.text(comparison.better), .text(comparison.worse), .integer(sample.index + 1), .text(name),
                             .text(className(sample.label)), .number(Double(sample.betterProbability), decimals: 3),
                             .number(Double(sample.worseProbability), decimals: 3)])
            }
        }
        guard !rows.isEmpty else { return [comparisons] }
        let samples = Table(name: context.name("samples"), caption: "The images shown",
                            columns: [Table.Column("Better run", numeric: false), Table.Column("Worse run", numeric: false),
                                      Table.Column("Test image"), Table.Column("File", numeric: false),
                                      Table.Column("True class", numeric: false), Table.Column("P(fake), better"),
                                      Table.Column("P(fake), worse")],
                            rows: rows, notes: ["Test image: position in the test set, from 1."])
        return [comparisons, samples]
    }

    static func kindText(_ kind: SampleComparison.Kind) -> String {
        switch kind {
        case .bestAgainstWorstMethod: "best method against worst"
        case .twoBestOfMethod: "two best runs of a method"
        }
    }

    static func findings(_ context: SectionContext<FaceRun>, _ analysis: FaceSamplesAnalysis) -> [String] {
        let labels = context.manifest.testLabels
        return analysis.comparisons.map { comparison in
            let counts = context.group(comparison.better).flatMap { better in
                context.group(comparison.worse).map { disagreements(better, $0, labels: labels) }
            }
            let subject: String
            switch comparison.kind {
            case .bestAgainstWorstMethod:
                subject = "The best method's best run (\(comparison.better)) against the worst method's (\(comparison.worse))"
            case .twoBestOfMethod:
                let method = context.group(comparison.better)?.method.displayName ?? "One method"
                subject = "\(method)'s two best runs, \(FaceSummarySection.runName(comparison.better)) against "
                    + FaceSummarySection.runName(comparison.worse)
            }
            guard comparison.candidates > 0 else {
                var sentence = subject + ": no test image is right with the first and wrong with the second"
                if let counts {
                    sentence += counts.onlyB == 0 ? "; the two runs put every test image in the same class"
                        : "; \(NumberText.count(counts.onlyB)) " + (counts.onlyB == 1 ? "is" : "are") + " right only with the second"
                }
                return sentence + "."
            }
            var sentence = subject + ": \(NumberText.count(comparison.candidates)) of the \(NumberText.count(labels.count)) test images "
                + (comparison.candidates == 1 ? "is" : "are") + " right with the first and wrong with the second"
            if let counts {
                sentence += ", and \(NumberText.count(counts.onlyB)) the other way round"
            }
            if let first = comparison.samples.first {
                sentence += "; the second's most confident mistake gives p(fake) "
                    + probabilityText(first.worseProbability) + " to a \(className(first.label)) image"
            }
            return sentence + "."
        }
    }
}
