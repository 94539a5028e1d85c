// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nnreport",
    platforms: [.macOS(.v15)],
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
        // The engine's hottest small kernels in C, built for SSE2 and AVX2 alike (CKernels.h).
        .target(name: "CKernels"),
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
        // Hashing, atomic files and the core budget: the bottom of the tool, Foundation only.
        .target(name: "Support"),
        // PNG and JPEG codecs (the only importer of CPNG and CJPEG), torchvision's
        // transforms and the face folders, on its own image type: knows nothing of Engine.
        .target(name: "Images", dependencies: ["Support", "CPNG", "CJPEG"]),
        .target(
            name: "Engine",
            dependencies: ["Support", "COpenBLAS", "CFloatingPoint", "CKernels"]
        ),
        .target(name: "Vision", dependencies: ["Engine", "Support", "CKernels"]),
        // Gradient-boosted trees (XGBoost) and logistic regression (LIBLINEAR) on plain arrays.
        .target(name: "Baselines", dependencies: ["CXGBoost", "CLinear"]),

        .target(name: "Datasets", dependencies: ["Engine", "Images", "Support"]),
        .target(
            name: "Study",
            dependencies: ["Engine", "Vision", "Images", "Baselines", "Datasets", "Support", .product(name: "Logging", package: "swift-log")]
        ),
        // SVG figures; Foundation only, knows nothing of training.
        .target(name: "Charts"),
        // Example data that draws one figure of each chart kind (`nnreport gallery`).
        .target(name: "ChartGallery", dependencies: ["Charts", "Support"]),
        .target(name: "MarkupValidation", dependencies: ["CLibXML2"]),
        // The report: view models, findings, tables, Mustache rendering, publishing. Reads results only.
        .target(
            name: "Report",
            dependencies: [
                "Study",
                "Charts",
                "MarkupValidation",
                "Support",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The study's plan on a Slurm cluster: batch scripts, sbatch, squeue (`nnreport slurm`).
        .target(name: "Cluster", dependencies: ["Study", "Support"]),
        // Speed measurements of the engine (`nnreport bench`): not part of the study.
        .target(name: "Bench", dependencies: ["Engine", "Vision", "Support"]),

        // MARK: Executable
        .executableTarget(
            name: "nnreport",
            dependencies: [
                "Bench",
                "ChartGallery",
                "Cluster",
                "Engine",
                "Vision",
                "Images",
                "Datasets",
                "Study",
                "Support",
                "Report",
                "CAllocationCounter",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        // Golden-file comparison shared by the Charts and Report tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "Bench", "CAllocationCounter", "TestSupport"],
            exclude: ["Reference"]  // the PyTorch script that wrote TorchReferenceValues.swift
        ),
        .testTarget(name: "SupportTests", dependencies: ["Support", "TestSupport"]),
        .testTarget(name: "ClusterTests", dependencies: ["Cluster", "TestSupport"]),
        // Reads every import under Sources/ and fails on an edge outside the layering.
        .testTarget(name: "LayeringTests"),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Images", "Engine", "Support", "TestSupport"]),
        .testTarget(name: "BaselinesTests", dependencies: ["Baselines", "TestSupport"]),
        // The quick study, trained once per test process and shared by the study, report and CLI tests.
        .target(name: "StudyFixtures", dependencies: ["Study", "Support", "TestSupport"], path: "Tests/StudyFixtures"),
        .testTarget(name: "StudyTests", dependencies: ["Study", "StudyFixtures", "Datasets", "Images", "Engine", "Vision", "Support", "TestSupport"]),
        // Images only for libpng's encoder, to make the example images.
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "ChartGallery", "MarkupValidation", "Images", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "MarkupValidationTests", dependencies: ["MarkupValidation", "TestSupport"]),
        .testTarget(
            name: "ReportTests",
            dependencies: ["Report", "Study", "Datasets", "Engine", "MarkupValidation", "TestSupport"],
            exclude: ["Snapshots"]
        ),
        // Runs the built executable: exit codes, messages, interruption and resume.
        .testTarget(name: "CLITests", dependencies: ["Study", "StudyFixtures", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(
            name: "ImagesTests",
            dependencies: ["Images", "Support", "TestSupport"],
            exclude: ["Reference"]  // the reference scripts, PIL's fixtures and their expected tensors
        ),
        .testTarget(
            name: "VisionTests",
            dependencies: ["Vision", "Engine", "Support", "TestSupport"],
            exclude: ["Reference"]  // the reference scripts, .pth fixtures and torchvision's values
        ),
    ]
)
