import Testing

/// The tiers of the test suite, so a developer can run one of them:
/// `make test-tier TIER=numerics` (or `golden`, `endToEnd`, `errors`). `swift test`
/// has no tag filter of its own, so `Tests/Scripts/tier-filter` turns the suites and
/// tests declared with a tier's tag into a `--filter` pattern.
extension Tag {
    /// Numerical correctness: gradients against finite differences, PyTorch and
    /// numpy reference values, kernels against naive loops.
    @Tag public static var numerics: Self
    /// Output compared with a golden file under `Snapshots/`.
    @Tag public static var golden: Self
    /// Trains real (small) models or runs the built executable end to end.
    @Tag public static var endToEnd: Self
    /// Bad input: errors that name the file and line, nothing lost or written.
    @Tag public static var errors: Self
}
