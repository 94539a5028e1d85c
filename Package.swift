// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nnreport",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "nnreport", targets: ["nnreport"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: C shims (module map + header only; each imported by exactly one module)
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(name: "CFloatingPoint"),
        // Counts malloc calls so `nnreport bench` can prove a training step allocates nothing.
        .target(name: "CAllocationCounter"),
        // libxml2, imported only by MarkupValidation (well-formedness checks of SVG and HTML).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        // MARK: Libraries
        .target(
            name: "Engine",
            dependencies: ["COpenBLAS", "CFloatingPoint"]
        ),
        // SVG figures; Foundation only, knows nothing of training.
        .target(name: "Charts"),
        .target(name: "MarkupValidation", dependencies: ["CLibXML2"]),

        // MARK: Executable
        .executableTarget(
            name: "nnreport",
            dependencies: [
                "Engine",
                "Charts",
                "CAllocationCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "MarkupValidation"], exclude: ["Snapshots"]),
        .testTarget(name: "MarkupValidationTests", dependencies: ["MarkupValidation"]),
    ]
)
