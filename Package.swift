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
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
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

        // MARK: Libraries
        .target(
            name: "Engine",
            dependencies: ["COpenBLAS", "CFloatingPoint"]
        ),

        .target(name: "Datasets", dependencies: ["Engine"]),
        .target(
            name: "Study",
            dependencies: ["Engine", "Datasets", .product(name: "Logging", package: "swift-log")]
        ),

        // MARK: Executable
        .executableTarget(
            name: "nnreport",
            dependencies: [
                "Engine",
                "Datasets",
                "Study",
                "CAllocationCounter",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "EngineTests", dependencies: ["Engine", "CAllocationCounter"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets"]),
        .testTarget(name: "StudyTests", dependencies: ["Study", "Datasets", "Engine"]),
        // Runs the built executable: exit codes, messages, interruption and resume.
        .testTarget(name: "CLITests"),
    ]
)
