import Foundation
import PlankeeperTestSupport
import Testing

/// `ics --config` reads the ledger (issue 15, item 8): what was recorded done
/// stays in the calendar, ticked off and silent, and the UIDs carry the
/// configured mail domain.
@Suite(.serialized) struct ICSCommandTests {
    @Test func doneOccurrencesAreTickedOffAndUIDsUseTheMailDomain() throws {
        let folder = try TickStartUpTests.Folder()
        let done = try Binary.run([
            "done", "surgery-2-2026", "committee", "2026-10", "--date", "2026-10-20", "--config", folder.config,
        ])
        #expect(done.status == 0, "\(done.stderr)")
        let r = try Binary.run(["ics", "--config", folder.config, "--now", "2026-11-18"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = r.stdout.replacingOccurrences(of: "\r\n ", with: "")
        let events = text.components(separatedBy: "BEGIN:VEVENT").dropFirst()
        #expect(events.count == 12)
        let october = try #require(
            events.first { $0.contains("UID:surgery-2-2026/committee/2026-10@hospital.example") }
        )
        #expect(october.contains("SUMMARY:✓ 外科第二党支部 · 支部委员会会议（2026-10）"))
        #expect(october.contains("已完成：2026-10-20"))
        #expect(!october.contains("VALARM"))
        let november = try #require(
            events.first { $0.contains("UID:surgery-2-2026/committee/2026-11@hospital.example") }
        )
        #expect(november.contains("BEGIN:VALARM") && november.contains("提前 7 天"))
        #expect(!text.contains("plankeeper done") && !text.contains("@plankeeper\r\n"))
    }
}
