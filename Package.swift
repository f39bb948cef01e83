// swift-tools-version:6.1
import PackageDescription

/// plankeeper: a pure core (plans, calendar, schedules, notice policy) with no
/// I/O and no clock, and thin edges (CLI, daemon, journal, spool, ledger).
let package = Package(
    name: "plankeeper",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "plankeeper", targets: ["plankeeper"]),
        /// The pure core as a library, for the fuzzing package in Fuzz/ (a separate
        /// package, so that normal builds never need the fuzzer's toolchain flags).
        .library(
            name: "PlankeeperCore",
            targets: ["Vocabulary", "Diagnostics", "YAMLSource", "WorkCalendar", "PlanFormat", "Scheduling"]
        ),
        /// The reading of received replies, for the mail fuzzer in Fuzz/.
        .library(name: "PlankeeperMail", targets: ["InboundMail", "WorkCalendar", "Vocabulary"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    ],
    targets: [
        // MARK: Pure core
        /// libyaml, the C parser (Debian's libyaml-dev; libyaml-0-2 at run time). It does no I/O of its
        /// own: YAMLSource hands it bytes.
        .systemLibrary(name: "CLibYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        /// The words every module shares: Language, bilingual Message, Address,
        /// StableHash, NoticeKind, OccurrenceKey, Period and PeriodLabel. Imports nothing.
        .target(name: "Vocabulary"),
        .target(name: "Diagnostics", dependencies: ["Vocabulary"]),
        /// YAML to positioned nodes, read event by event with libyaml.
        .target(name: "YAMLSource", dependencies: ["Diagnostics", "Vocabulary", "CLibYAML"]),
        .target(
            name: "WorkCalendar",
            dependencies: ["Diagnostics", "YAMLSource", "Vocabulary"],
            resources: [
                .embedInCode("Holidays/cn-2024.yaml"),
                .embedInCode("Holidays/cn-2025.yaml"),
                .embedInCode("Holidays/cn-2026.yaml"),
            ]
        ),
        .target(name: "PlanFormat", dependencies: ["Diagnostics", "YAMLSource", "WorkCalendar", "Vocabulary"]),
        .target(name: "Scheduling", dependencies: ["PlanFormat", "WorkCalendar", "Vocabulary"]),
        /// Display width, CJK-aware text tables.
        .target(name: "TextLayout"),
        /// Which notice goes out when, to whom: pure, driven by an explicit "now".
        .target(name: "Notices", dependencies: ["Scheduling", "PlanFormat", "WorkCalendar", "Vocabulary"]),
        /// Subjects, bodies and RFC 5322 / RFC 2047 encoding of notices: pure.
        .target(name: "MailFormat", dependencies: ["WorkCalendar", "TextLayout", "Vocabulary"]),
        /// Status, agenda, period reports (月督导、季评比、年表彰) and iCalendar: pure.
        .target(
            name: "Reports",
            dependencies: ["Scheduling", "PlanFormat", "WorkCalendar", "TextLayout", "Vocabulary", "Records"]
        ),
        /// The daemon's configuration file, validated like plans.
        .target(name: "Config", dependencies: ["Diagnostics", "YAMLSource", "Vocabulary", "Tokens"]),
        /// Every outgoing message composed from the core's decisions (notices,
        /// digests, report mail): channel-neutral first, then rendered as mail.
        /// Pure: the caller spools, logs and formats the date.
        .target(
            name: "Outbox",
            dependencies: [
                "Vocabulary", "Config", "MailFormat", "Notices", "PlanFormat", "Reports", "Scheduling", "WorkCalendar",
                "Tokens", "Records", "InboundMail", "TextLayout",
            ]
        ),
        /// Signed, expiring tokens (reply addresses, sign-in links, feeds): HMAC-SHA256, keys passed in.
        .target(name: "Tokens", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        /// Ways to reach people besides mail (企业微信, 钉钉): rendering within the services' limits,
        /// rate limits, signatures, what each answer means. Pure: HTTP, clock and secrets are passed in.
        .target(
            name: "Channels",
            dependencies: ["Diagnostics", "Vocabulary", .product(name: "Crypto", package: "swift-crypto")]
        ),
        /// A received reply read for mail-in: RFC 5322/MIME, Chinese charsets (iconv), automatic-mail
        /// detection, the reply's own text and the command in it.
        .target(name: "InboundMail", dependencies: ["WorkCalendar", "Vocabulary"]),
        /// The rules every front door applies to a record (date window, duplicates, `times`, undo): pure.
        .target(name: "Records", dependencies: ["Scheduling", "WorkCalendar"]),

        // MARK: Edges
        .target(name: "CPlatform"),
        /// A global executor for Swift concurrency that sleeps when idle (libdispatch's wakes every second), for `run`.
        .target(name: "CQuietExecutor"),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        /// libcurl's SMTP client, for the `smtp` transport (STARTTLS, AUTH) without hand-written SMTP.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        /// swift-log handler writing structured fields to the systemd journal, and sd_notify.
        .target(name: "Journal", dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")]),
        /// The records ledger (台账) and the notices already handled: SQLite via GRDB.
        .target(
            name: "Ledger",
            dependencies: ["Vocabulary", "Records", "WorkCalendar", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        /// The file-system steps the spool and the delivery queue share: a rename that never
        /// replaces (renameat2 through CPlatform), atomic writes, directory fsync, capped reads.
        .target(name: "FileOps", dependencies: ["CPlatform"]),
        /// Maildir-layout mail spool with atomic, crash-safe, exactly-once writes.
        .target(name: "Spool", dependencies: ["FileOps"]),
        /// Hands spooled mail to the MTA (sendmail or SMTP), with retries and give-up.
        .target(
            name: "Delivery",
            dependencies: [
                "Spool", "FileOps", "Journal", "CCurl", "Channels", "Config", "Vocabulary",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Reading plan files, folders, rosters and the admin's holiday lists, the
        /// parse cache and the last good plans in force, and the local clock: what
        /// every command uses to read plans, without the daemon.
        .target(
            name: "PlanFiles",
            dependencies: ["Diagnostics", "PlanFormat", "Scheduling", "WorkCalendar", "Vocabulary"]
        ),
        /// The token key file (`<state>/token-keys`, 0600): created on first use, rotated on request.
        .target(name: "Secrets", dependencies: ["Tokens"]),
        /// Evidence files (minutes, sign-in photos) by content under `<state>/evidence/`, written atomically.
        .target(name: "Evidence", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        /// `plankeeper mail-in`: a reply read, checked, recorded with its evidence, and answered once.
        .target(
            name: "MailGate",
            dependencies: [
                "Config", "Diagnostics", "Evidence", "InboundMail", "Journal", "Ledger", "Outbox", "PlanFiles",
                "PlanFormat", "Records", "Scheduling", "Secrets", "Spool", "Tokens", "Vocabulary", "WorkCalendar",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// `plankeeper run` and `tick`: the service loop that ties the core to the edges.
        .target(
            name: "Daemon",
            dependencies: [
                "Diagnostics", "WorkCalendar", "PlanFormat", "Scheduling", "Notices", "Config", "Outbox", "Vocabulary",
                "PlanFiles", "Journal", "Ledger", "Spool", "Delivery", "Reports", "CPlatform", "CQuietExecutor",
                "Secrets", "Tokens",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "PlankeeperCLI",
            dependencies: [
                "Diagnostics", "WorkCalendar", "PlanFormat", "Scheduling", "TextLayout", "Vocabulary",
                "Notices", "Config", "Ledger", "PlanFiles", "Daemon", "Reports", "Journal", "Spool", "Delivery",
                "BuildInfo",
                "MailGate", "Secrets", "Records", "Evidence", "Tokens", "Outbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "plankeeper", dependencies: ["PlankeeperCLI", "CQuietExecutor"]),
        /// The version and commit, written at build time by scripts/version (see BuildInfoPlugin).
        .target(name: "BuildInfo", plugins: ["BuildInfoPlugin"]),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),

        // MARK: Tests
        /// What several test targets share: scratch folders, the built binary, a clock moved by hand.
        .target(name: "PlankeeperTestSupport", path: "Tests/PlankeeperTestSupport"),
        .testTarget(name: "VocabularyTests", dependencies: ["Vocabulary"]),
        .testTarget(name: "WorkCalendarTests", dependencies: ["WorkCalendar", "Vocabulary", "Diagnostics"]),
        .testTarget(
            name: "PlanFormatTests",
            dependencies: ["PlanFormat", "Scheduling", "Diagnostics", "Vocabulary", "WorkCalendar", "YAMLSource"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SchedulingTests",
            dependencies: ["Scheduling", "PlanFormat", "WorkCalendar", "Vocabulary", "Diagnostics"]
        ),
        .testTarget(name: "TextLayoutTests", dependencies: ["TextLayout"]),
        .testTarget(
            name: "NoticesTests",
            dependencies: ["Notices", "Scheduling", "PlanFormat", "WorkCalendar", "Vocabulary", "Diagnostics"]
        ),
        .testTarget(
            name: "MailTests",
            dependencies: ["MailFormat", "Outbox", "Spool", "WorkCalendar", "Vocabulary", "PlankeeperTestSupport"]
        ),
        .testTarget(name: "JournalTests", dependencies: ["Journal", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "LedgerTests",
            dependencies: [
                "Ledger", "Vocabulary", "Records", "WorkCalendar", "PlankeeperTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "PlanFiles", "Outbox", "Config", "Notices", "Ledger", "Spool", "Delivery", "Vocabulary",
                "WorkCalendar", "PlanFormat", "Scheduling", "Journal", "Diagnostics", "CQuietExecutor", "Secrets",
                "Tokens",
                "PlankeeperTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: [
                "Reports", "Scheduling", "PlanFormat", "WorkCalendar", "Config", "MailFormat", "Outbox", "PlanFiles",
                "Daemon", "Spool", "Ledger", "Vocabulary", "Diagnostics", "Notices", "Records",
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery", "Spool", "Channels", "Config", "Vocabulary", "PlankeeperTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Runs the built binary: depends on it, so `swift test` never runs a stale one.
        .testTarget(name: "CLITests", dependencies: ["plankeeper", "PlankeeperTestSupport", "TextLayout"]),
        .testTarget(name: "TokensTests", dependencies: ["Tokens", "Secrets"]),
        .testTarget(name: "ChannelsTests", dependencies: ["Channels", "Diagnostics", "Vocabulary"]),
        .testTarget(
            name: "InboundMailTests",
            dependencies: ["InboundMail", "WorkCalendar", "Vocabulary"],
            exclude: ["make_fixtures.py"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "RecordsTests", dependencies: ["Records", "Scheduling", "WorkCalendar"]),
        .testTarget(name: "EvidenceTests", dependencies: ["Evidence"]),
        .testTarget(
            name: "MailGateTests",
            dependencies: [
                "MailGate", "Config", "Ledger", "Records", "Secrets", "Tokens", "Vocabulary", "Diagnostics",
                .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)

// Every Swift target: a member is visible only where its module is imported
// (SE-0444, as Hummingbird does), so an import the code relies on is written
// in the file and declared above, never borrowed from another file's imports.
for target in package.targets where [.regular, .test, .executable].contains(target.type) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
