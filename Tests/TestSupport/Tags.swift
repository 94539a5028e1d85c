import Testing

/// The tiers of the test suite, so a developer can run one of them:
/// `swift test --filter` does not read tags, but `make test-numerics` (and the other
/// `test-*` targets of the Makefile) run `swift test` with `--filter` over the
/// suites of a tier; Xcode and `swift test list` show the tags too.
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
