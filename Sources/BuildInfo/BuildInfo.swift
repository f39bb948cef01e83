/// The version and commit this binary was built from, for `--version` and
/// the package: written at build time by the `BuildInfoPlugin` (from
/// `scripts/version`: `0.2.0+g42.1a2b3c4d5e6f`, a Debian version).
public enum BuildInfo {
    /// The Debian package version, e.g. `0.2.0+g42.1a2b3c4d5e6f`.
    public static var version: String { generatedVersion }

    /// The git commit (12 hex digits, `+dirty` for uncommitted changes), or `unknown`.
    public static var commit: String { generatedCommit }

    /// What `plankeeper --version` prints.
    public static var versionLine: String { "plankeeper \(version) (commit \(commit))" }
}
