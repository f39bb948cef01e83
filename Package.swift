// swift-tools-version:6.1
import PackageDescription

/// plankeeper: a pure core (plans, calendar, schedules, notice policy) with no
/// I/O and no clock, and thin edges (CLI, daemon, journal, spool, ledger).
let package = Package(
    name: "plankeeper",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "plankeeper", targets: ["plankeeper"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // MARK: Pure core
        .target(name: "Diagnostics"),
        .target(name: "YAMLSource", dependencies: ["Diagnostics", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "WorkCalendar",
            dependencies: ["Diagnostics", "YAMLSource"],
            resources: [
                .embedInCode("Holidays/cn-2024.yaml"),
                .embedInCode("Holidays/cn-2025.yaml"),
                .embedInCode("Holidays/cn-2026.yaml"),
            ]
        ),
        .target(name: "PlanFormat", dependencies: ["Diagnostics", "YAMLSource", "WorkCalendar"]),
        .target(name: "Scheduling", dependencies: ["PlanFormat", "WorkCalendar"]),
        .target(name: "TextLayout"),

        // MARK: Edges
        .target(
            name: "PlankeeperCLI",
            dependencies: [
                "Diagnostics", "WorkCalendar", "PlanFormat", "Scheduling", "TextLayout",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "plankeeper", dependencies: ["PlankeeperCLI"]),

        // MARK: Tests
        .testTarget(name: "WorkCalendarTests", dependencies: ["WorkCalendar"]),
        .testTarget(
            name: "PlanFormatTests",
            dependencies: ["PlanFormat", "Scheduling"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling", "PlanFormat", "WorkCalendar"]),
        .testTarget(name: "TextLayoutTests", dependencies: ["TextLayout"]),
        .testTarget(name: "CLITests", dependencies: []),
    ]
)
