// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nnreport",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "nnreport", targets: ["nnreport"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Vision", targets: ["Vision"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // MARK: C shims (module map + header only; each imported by exactly one module)
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(name: "CFloatingPoint"),
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        .systemLibrary(
            name: "CJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"])]
        ),
        // Counts malloc calls so `nnreport bench` can prove a training step allocates nothing.
        .target(name: "CAllocationCounter"),
        // libxml2, imported only by MarkupValidation (well-formedness checks of SVG and HTML).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // XGBoost and LIBLINEAR, each imported by one file of Baselines.
        .systemLibrary(
            name: "CXGBoost",
            pkgConfig: "xgboost",
            providers: [.apt(["libxgboost-dev"])]
        ),
        .systemLibrary(name: "CLinear", providers: [.apt(["liblinear-dev"])]),

        // MARK: Libraries
        .target(
            name: "Engine",
            dependencies: ["COpenBLAS", "CFloatingPoint"]
        ),
        .target(
            name: "Vision",
            dependencies: ["Engine", "CPNG", "CJPEG"]
        ),
        // Gradient-boosted trees (XGBoost) and logistic regression (LIBLINEAR) on plain arrays.
        .target(name: "Baselines", dependencies: ["CXGBoost", "CLinear"]),

        .target(name: "Datasets", dependencies: ["Engine", "Vision"]),
        .target(
            name: "Study",
            dependencies: ["Engine", "Vision", "Baselines", "Datasets", .product(name: "Logging", package: "swift-log")]
        ),
        // SVG figures; Foundation only, knows nothing of training.
        .target(name: "Charts"),
        .target(name: "MarkupValidation", dependencies: ["CLibXML2"]),
        // The report: view models, findings, tables, Mustache rendering, publishing. Reads results only.
        .target(
            name: "Report",
            dependencies: [
                "Study",
                "Charts",
                "MarkupValidation",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Executable
        .executableTarget(
            name: "nnreport",
            dependencies: [
                "Engine",
                "Vision",
                "Datasets",
                "Study",
                "Charts",
                "Report",
                "CAllocationCounter",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        // Golden-file comparison shared by the Charts and Report tests.
        .target(name: "GoldenFiles", path: "Tests/GoldenFiles"),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "CAllocationCounter"],
            exclude: ["Reference"]  // the PyTorch script that wrote TorchReferenceValues.swift
        ),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Vision", "Engine"]),
        .testTarget(name: "BaselinesTests", dependencies: ["Baselines"]),
        .testTarget(name: "StudyTests", dependencies: ["Study", "Datasets", "Engine", "Vision"]),
        // Vision only for libpng's encoder, to make the example images.
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "MarkupValidation", "Vision", "GoldenFiles"], exclude: ["Snapshots"]),
        .testTarget(name: "MarkupValidationTests", dependencies: ["MarkupValidation"]),
        .testTarget(
            name: "ReportTests",
            dependencies: ["Report", "Study", "Datasets", "Engine", "MarkupValidation", "GoldenFiles"],
            exclude: ["Snapshots"]
        ),
        // Runs the built executable: exit codes, messages, interruption and resume.
        .testTarget(name: "CLITests"),
        .testTarget(
            name: "VisionTests",
            dependencies: ["Vision", "Engine"],
            exclude: ["Reference"]  // the numpy script that wrote ReferenceValues.swift
        ),
    ]
)
