import Foundation
import Logging
import Testing

@testable import Journal

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// End to end against a real systemd-journald: what the handler sends is
/// what `journalctl` reads back, field by field, bytes intact.
///
/// These need a journald of their own, which `scripts/journald-test.sh`
/// starts in a private mount namespace before running
/// `swift test --filter JournalIntegration` with `PLANKEEPER_JOURNAL_TEST=1`.
/// Without that variable the suite is reported as skipped (with the reason),
/// never as passed; with it, a missing journald is a failure.
@Suite(
    .enabled(
        if: JournalIntegration.isRequested,
        "needs a real journald: run scripts/journald-test.sh (sets PLANKEEPER_JOURNAL_TEST=1)"
    )
)
struct JournalIntegrationTests {
    /// A unique plan id per test run, so entries from earlier runs (or from
    /// the parallel tests here) never match.
    static func uniquePlan(_ tag: String) -> String {
        "integration-\(tag)-\(UUID().uuidString.lowercased())"
    }

    static let multiLineMessage = "第二季度支部党员大会提醒\n截止日期：2025-06-30（周一）\n\t请各支部按时在台账中登记。"

    static func logger() -> Logger {
        var logger = Logger(label: "plankeeper.integration") { JournalLogHandler(label: $0) }
        logger.logLevel = .trace
        return logger
    }

    @Test func entryArrivesWithEveryField() async throws {
        try #require(
            JournalDetection.journalAvailable(environment: [:]),
            "no journald socket at \(JournalDetection.socketPath)"
        )
        let plan = Self.uniquePlan("fields")
        let line: UInt = #line + 1
        Self.logger().warning(
            "\(Self.multiLineMessage)",
            metadata: [
                "plankeeper_plan": .string(plan),
                "plankeeper_item": "党员大会",
                "plankeeper_period": "2025-Q2",
                "plankeeper_kind": "reminder",
                "message_id": .string(MessageID.reminder),
                "plankeeper_note": "值也可以\n有多行",
            ]
        )
        let entry = try await JournalIntegration.entry(matching: "PLANKEEPER_PLAN=\(plan)")

        #expect(entry["MESSAGE"] == [Self.multiLineMessage])
        #expect(entry["PRIORITY"] == ["4"])
        #expect(entry["SYSLOG_IDENTIFIER"] == ["plankeeper"])
        #expect(entry["MESSAGE_ID"] == [MessageID.reminder])
        #expect(entry["PLANKEEPER_PLAN"] == [plan])
        #expect(entry["PLANKEEPER_ITEM"] == ["党员大会"])
        #expect(entry["PLANKEEPER_PERIOD"] == ["2025-Q2"])
        #expect(entry["PLANKEEPER_KIND"] == ["reminder"])
        #expect(entry["PLANKEEPER_NOTE"] == ["值也可以\n有多行"])
        #expect(entry["CODE_LINE"] == [String(line)])
        #expect(entry["CODE_FUNC"] == ["entryArrivesWithEveryField()"])
        #expect(entry["CODE_FILE"]?.first?.hasSuffix("JournalIntegrationTests.swift") == true)
        #expect(entry["SWIFT_LOG_SOURCE"] == ["JournalTests"])
        // Trusted fields journald adds itself: it came from us, natively.
        #expect(entry["_TRANSPORT"] == ["journal"])
        #expect(entry["_PID"] == [String(getpid())])
    }

    @Test func priorityOverrideReachesTheJournal() async throws {
        let plan = Self.uniquePlan("priority")
        Self.logger().info("逾期", metadata: ["plankeeper_plan": .string(plan), "priority": "3"])
        let entry = try await JournalIntegration.entry(matching: "PLANKEEPER_PLAN=\(plan)")
        #expect(entry["PRIORITY"] == ["3"])
        #expect(entry["MESSAGE_ID"] == nil)
    }

    /// Past the socket's datagram size, libsystemd passes the entry in a
    /// memfd; it must still arrive whole.
    @Test func aLargeEntryArrivesWhole() async throws {
        let plan = Self.uniquePlan("large")
        let body = String(repeating: "党支部工作计划台账，", count: 30_000)  // ~900 KB of UTF-8
        Self.logger().notice("\(body)", metadata: ["plankeeper_plan": .string(plan)])
        let entry = try await JournalIntegration.entry(matching: "PLANKEEPER_PLAN=\(plan)")
        #expect(entry["MESSAGE"]?.first?.utf8.count == body.utf8.count)
        #expect(entry["MESSAGE"] == [body])
    }

    /// `journalctl -x` shows the catalog entry for the MESSAGE_ID, with the
    /// entry's fields substituted; in Chinese under a zh_CN locale. Needs the
    /// catalog database the script builds from systemd/plankeeper.catalog.
    @Test func catalogExplainsTheEntry() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard environment["PLANKEEPER_JOURNAL_CATALOG"] == "1" else {
            print("note: catalogExplainsTheEntry not checked: PLANKEEPER_JOURNAL_CATALOG is not 1 (the script sets it)")
            return
        }
        let plan = Self.uniquePlan("catalog")
        Self.logger().notice(
            "提醒",
            metadata: [
                "plankeeper_plan": .string(plan), "plankeeper_item": "党员大会", "plankeeper_period": "2025-Q2",
                "plankeeper_due": "2025-06-30", "plankeeper_recipient": "wang@example.org",
                "message_id": .string(MessageID.reminder),
            ]
        )
        _ = try await JournalIntegration.entry(matching: "PLANKEEPER_PLAN=\(plan)")

        let english = try JournalIntegration.journalctl(["-x", "-o", "short", "PLANKEEPER_PLAN=\(plan)"], locale: nil)
        #expect(english.contains("Subject: Reminder sent: 党员大会 (2025-Q2) is due 2025-06-30"), "\(english)")
        #expect(english.contains("to wang@example.org."), "\(english)")

        if let localeDirectory = environment["PLANKEEPER_JOURNAL_LOCPATH"] {
            let chinese = try JournalIntegration.journalctl(
                ["-x", "-o", "short", "PLANKEEPER_PLAN=\(plan)"],
                locale: ("zh_CN.UTF-8", localeDirectory)
            )
            #expect(chinese.contains("Subject: 已发送提醒：党员大会（2025-Q2）截止日期 2025-06-30"), "\(chinese)")
        } else {
            print("note: zh_CN catalog text not checked: no zh_CN.UTF-8 locale (PLANKEEPER_JOURNAL_LOCPATH unset)")
        }
    }

    /// sd_notify really reaches `$NOTIFY_SOCKET`: the script points it at a
    /// path this test binds, and sets `WATCHDOG_USEC`.
    @Test func notifierReachesTheNotifySocket() throws {
        let path = try #require(ProcessInfo.processInfo.environment["NOTIFY_SOCKET"], "the script sets NOTIFY_SOCKET")
        let receiver = try DatagramReceiver(path: path)
        defer { receiver.dispose() }

        let notifier = SystemdNotifier()
        #expect(notifier.isEnabled)
        #expect(notifier.ready())
        #expect(try receiver.receive() == "READY=1")
        #expect(notifier.status("已加载 3 个计划\n下一次提醒 09:00"))
        #expect(try receiver.receive() == "STATUS=已加载 3 个计划 下一次提醒 09:00")
        #expect(notifier.reloading())
        #expect(try receiver.receive().hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(notifier.stopping())
        #expect(try receiver.receive() == "STOPPING=1")
        #expect(notifier.watchdog())
        #expect(try receiver.receive() == "WATCHDOG=1")

        if let usec = ProcessInfo.processInfo.environment["WATCHDOG_USEC"], let value = Int64(usec) {
            #expect(notifier.watchdogInterval() == .microseconds(value / 2))
        }
    }
}

/// Helpers for the suite above.
enum JournalIntegration {
    static var isRequested: Bool {
        ProcessInfo.processInfo.environment["PLANKEEPER_JOURNAL_TEST"] == "1"
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The one entry matching `match`, as field → values, polling for up to
    /// five seconds: journald writes asynchronously.
    static func entry(matching match: String) async throws -> [String: [String]] {
        let deadline = ContinuousClock.now + .seconds(5)
        var lastOutput = ""
        while true {
            // --all: without it, values over 4 KiB are printed as null.
            lastOutput = try journalctl(["-o", "json", "--all", match], locale: nil)
            let lines = lastOutput.split(separator: "\n").filter { !$0.isEmpty }
            if let line = lines.first {
                #expect(lines.count == 1, "one entry expected for \(match), got \(lines.count)")
                return try decode(Data(line.utf8))
            }
            if ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "no journal entry with \(match) after 5 s; journalctl said: \(lastOutput)")
    }

    /// journalctl's JSON: a value is a string, or an array of byte values when
    /// it is not printable UTF-8, or an array of those when a field repeats.
    static func decode(_ json: Data) throws -> [String: [String]] {
        guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw Failure(description: "not a JSON object")
        }
        func text(_ value: Any) -> String? {
            if let string = value as? String { return string }
            if let bytes = value as? [Int] {
                return String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
            }
            return nil
        }
        var result: [String: [String]] = [:]
        for (name, value) in object {
            if let single = text(value) {
                result[name] = [single]
            } else if let many = value as? [Any] {
                result[name] = many.compactMap(text)
            }
        }
        return result
    }

    /// Runs journalctl and returns its standard output; throws on a non-zero
    /// exit. `locale` sets `LC_ALL` and `LOCPATH` (for the catalog language).
    static func journalctl(_ arguments: [String], locale: (name: String, path: String)?) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["journalctl", "--no-pager", "--quiet"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SYSTEMD_COLORS"] = "0"
        environment["SYSTEMD_PAGER"] = "cat"
        if let locale {
            environment["LC_ALL"] = locale.name
            environment["LOCPATH"] = locale.path
        } else {
            environment["LC_ALL"] = "C.UTF-8"
        }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "journalctl \(arguments) exited \(process.terminationStatus): "
                    + String(decoding: errorData, as: UTF8.self)
            )
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A bound AF_UNIX datagram socket standing in for systemd's notify socket.
struct DatagramReceiver {
    let descriptor: Int32
    let path: String

    init(path: String) throws {
        unlink(path)
        #if canImport(Glibc)
        let type = Int32(SOCK_DGRAM.rawValue)
        #else
        let type = SOCK_DGRAM
        #endif
        descriptor = socket(AF_UNIX, type, 0)
        guard descriptor >= 0 else { throw JournalIntegration.Failure(description: "socket: errno \(errno)") }
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw JournalIntegration.Failure(description: "path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw JournalIntegration.Failure(description: "bind \(path): errno \(errno)") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram as text; throws after five seconds without one.
    func receive() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw JournalIntegration.Failure(description: "recv: errno \(errno)") }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    func dispose() {
        close(descriptor)
        unlink(path)
    }
}
