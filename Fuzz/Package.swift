// swift-tools-version:6.1
import PackageDescription

/// libFuzzer target over the plan, roster and template readers and the
/// schedule expander. A package of its own that depends on the main one by
/// path, so that normal builds and tests never need the fuzzer's flags.
/// Build and run it with Tests/fuzz/run.sh (see docs/fuzzing.md).
let package = Package(
    name: "plankeeper-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "plankeeper", path: "..")],
    targets: [
        .executableTarget(
            name: "PlanFuzzer",
            dependencies: ["FuzzMain", .product(name: "PlankeeperCore", package: "plankeeper")],
            // libFuzzer brings its own main(); the Swift file must not make one.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        /// The entry point SwiftPM's link expects (see FuzzMain.c).
        .target(name: "FuzzMain"),
        /// libFuzzer target over the reading of a received reply (`plankeeper mail-in`).
        .executableTarget(
            name: "MailFuzzer",
            dependencies: ["MailFuzzMain", .product(name: "PlankeeperMail", package: "plankeeper")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .target(name: "MailFuzzMain"),
    ]
)
