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

        // MARK: Libraries
        .target(
            name: "Engine",
            dependencies: ["COpenBLAS", "CFloatingPoint"]
        ),
        .target(
            name: "Vision",
            dependencies: ["Engine", "CPNG", "CJPEG"]
        ),

        // MARK: Executable
        .executableTarget(
            name: "nnreport",
            dependencies: [
                "Engine",
                "Vision",
                "CAllocationCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(
            name: "VisionTests",
            dependencies: ["Vision", "Engine"],
            exclude: ["Reference"]  // the numpy script that wrote ReferenceValues.swift
        ),
    ]
)
