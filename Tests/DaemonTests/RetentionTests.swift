import Config
import Daemon
import Diagnostics
import Foundation
import Ledger
import Logging
import PlankeeperTestSupport
import Spool
import Testing
import Vocabulary
import WorkCalendar

@testable import Daemon

/// `retention:`: how long the sent-notice audit trail is kept, and the
/// daemon pruning it once a day without touching records.
@Suite struct RetentionTests {
    @Test(arguments: [("730d", 730), ("2y", 730), ("31d", 31), ("keep", nil)] as [(String, Int?)])
    func acceptedValues(text: String, days: Int?) {
        let (config, diagnostics) = DaemonConfig.parse(
            Array("retention: \(text)\n".utf8),
            path: "/etc/plankeeper/plankeeper.yaml"
        )
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(config?.retentionDays == days)
    }

    @Test(arguments: ["30d", "0d", "2m", "forever", "101y", "-5d"])
    func refusedValuesAreErrorsAtTheValue(text: String) throws {
        let (config, diagnostics) = DaemonConfig.parse(
            Array("timezone: UTC\nretention: \(text)\n".utf8),
            path: "c.yaml"
        )
        #expect(config == nil)
        let error = try #require(diagnostics.first)
        #expect(error.location.line == 2 && error.location.column == 12, "\(error)")
        #expect(error.message.en.contains("retention must be"))
    }

    @Test func withoutTheKeyNothingIsPruned() {
        let (config, _) = DaemonConfig.parse(Array("timezone: UTC\n".utf8), path: "c.yaml")
        #expect(config?.retentionDays == nil)
    }

    @Test func theDaemonPrunesOldSentNoticesOnceADayAndKeepsRecords() throws {
        let scratch = try Scratch()
        var config = DaemonConfig()
        config.state = scratch.path + "/state"
        config.spool = scratch.path + "/spool"
        config.retentionDays = 100
        let ledger = try Ledger.open(folder: config.state)
        _ = try ledger.addRecord(
            NewRecord(
                plan: "p",
                item: "i",
                period: "2025-01",
                doneOn: "2025-01-20",
                by: "王五",
                note: nil,
                recordedAt: 1_737_000_000
            )
        )
        func row(_ key: String, _ day: String) -> HandledNoticeRow {
            HandledNoticeRow(
                key: key,
                plan: "p",
                item: "i",
                period: "2026",
                kind: "reminder",
                recipient: "a@b.example",
                scheduledFor: day,
                disposition: .sent,
                handledAt: 1_780_000_000
            )
        }
        try ledger.markHandled([row("old", "2026-01-10"), row("edge", "2026-03-08"), row("new", "2026-06-01")])
        let tick = TickRunner(
            config: config,
            ledger: ledger,
            spool: try Spool(directory: config.spool),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        let today = try #require(CivilDate(iso: "2026-06-16"))  // 100 days back: 2026-03-08
        #expect(tick.applyRetention(today: today) == 1)
        #expect(try ledger.handledNoticeKeys() == ["edge", "new"])
        #expect(try ledger.records().count == 1)
        // Once a day: a second tick the same day does not prune again.
        try ledger.markHandled([row("old-again", "2026-01-11")])
        #expect(tick.applyRetention(today: today) == 0)
        #expect(try ledger.handledNoticeKeys().contains("old-again"))
        // The next day the window moves on: 2026-03-08 is now too old as well.
        #expect(tick.applyRetention(today: today.adding(days: 1)) == 2)
        #expect(try ledger.handledNoticeKeys() == ["new"])
    }
}
