import Foundation
import Testing

/// The module layering of STYLE.md, checked on the source: every `import` under
/// `Sources/` must be an edge of this matrix, so that dependencies keep pointing down:
/// C shims → Support → Images → Engine → Vision → Baselines → Datasets → Charts →
/// Study → Report → nnreport, with each C library imported by exactly one file.
@Suite struct LayeringTests {
    /// Modules every module may import: the platform's own.
    static let system: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin", "Synchronization"]

    /// For each module under `Sources/`, the modules of this package and of its
    /// dependencies it may import.
    static let allowed: [String: Set<String>] = [
        "Support": [],
        "Images": ["Support", "CPNG", "CJPEG"],
        "Engine": ["Support", "COpenBLAS", "CFloatingPoint", "CKernels"],
        "Vision": ["Engine", "Support", "CKernels"],
        "Baselines": ["CXGBoost", "CLinear"],
        "Datasets": ["Engine", "Images", "Support"],
        "Charts": [],
        "ChartGallery": ["Charts", "Support"],
        "MarkupValidation": ["CLibXML2"],
        "Study": ["Engine", "Vision", "Images", "Baselines", "Datasets", "Support", "Logging"],
        "Report": ["Study", "Charts", "MarkupValidation", "Support", "Mustache", "Logging"],
        "Bench": ["Engine", "Vision", "Support"],
        "Cluster": ["Study", "Support"],
        "nnreport": ["ArgumentParser", "Logging", "Report", "Study", "Cluster", "Bench", "ChartGallery", "Datasets", "Images", "Engine",
                     "Support", "CAllocationCounter"],
    ]

    /// The files allowed to import each C library: one per module that uses it.
    static let cLibraries: [String: [String]] = [
        "COpenBLAS": ["Engine/BLAS.swift"],
        "CFloatingPoint": ["Engine/FloatingPointMode.swift"],
        "CKernels": ["Engine/Kernels+C.swift", "Vision/ConvolutionKernels.swift"],
        "CPNG": ["Images/PNG.swift"],
        "CJPEG": ["Images/JPEG.swift"],
        "CXGBoost": ["Baselines/XGBoost.swift"],
        "CLinear": ["Baselines/LogisticRegression.swift"],
        "CLibXML2": ["MarkupValidation/MarkupValidator.swift"],
    ]

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources")
        .standardizedFileURL

    /// Every `import` line of every Swift file under `Sources/`: (module of the file, file, imported module).
    static func imports() throws -> [(module: String, file: String, imported: String)] {
        let pattern = try NSRegularExpression(pattern: #"^\s*(?:@\w+\s+)*(?:(?:public|internal|package|private|fileprivate)\s+)?import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#,
                                              options: .anchorsMatchLines)
        var found: [(String, String, String)] = []
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            let module = String(relative.prefix { $0 != "/" })
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                found.append((module, relative, String(text[Range(match.range(at: 1), in: text)!])))
            }
        }
        return found
    }

    @Test func everyImportIsAnAllowedEdge() throws {
        let imports = try Self.imports()
        #expect(imports.count > 100, "found only \(imports.count) imports under \(Self.sources.path)")
        for (module, file, imported) in imports where !Self.system.contains(imported) {
            guard let allowed = Self.allowed[module] else {
                if !module.hasPrefix("C") { Issue.record("\(module) is not in the layering matrix (\(file))") }
                continue
            }
            #expect(allowed.contains(imported), "\(file) imports \(imported): not an edge of the layering")
        }
        // Every module of the matrix still exists.
        let modules = Set(imports.map(\.module))
        for module in Self.allowed.keys { #expect(modules.contains(module), "\(module) has no sources") }
    }

    @Test func eachCLibraryIsImportedByOneFile() throws {
        let imports = try Self.imports().filter { Self.cLibraries[$0.imported] != nil }
        for (library, files) in Self.cLibraries {
            #expect(imports.filter { $0.imported == library }.map(\.file).sorted() == files.sorted(), "\(library)")
        }
    }

    /// The matrix itself has no cycle, so "downward" means something.
    @Test func theMatrixIsAcyclic() {
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        func visit(_ module: String, path: [String]) {
            if state[module] == 2 { return }
            if state[module] == 1 { Issue.record("cycle: \((path + [module]).joined(separator: " → "))"); return }
            state[module] = 1
            for next in Self.allowed[module] ?? [] { visit(next, path: path + [module]) }
            state[module] = 2
        }
        for module in Self.allowed.keys.sorted() { visit(module, path: []) }
    }
}
