import Ledger
import PlankeeperTestSupport
import Testing
import Vocabulary
import WorkCalendar

/// Where tracking starts (issue 15): `track-from`, else the start kept in the
/// ledger, else its first handled notice, else the first tick — kept, so it
/// never moves.
@Suite struct TrackingStartTests {
    static func local(_ seconds: Int64) -> LocalTime { LocalTime(totalMinutes: Int(seconds / 60) + 8 * 60) }  // UTC+8
    let first = LocalTime(parsing: "2026-11-18 09:00")!
    let later = LocalTime(parsing: "2026-12-01 08:30")!

    @Test func theFirstTickIsKept() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let ledger = try Ledger.open(folder: folder.path)
        #expect(try ledger.trackingStart(trackFrom: nil, now: nil, record: false, local: Self.local) == nil)
        // A dry run does not keep it.
        #expect(try ledger.trackingStart(trackFrom: nil, now: first, record: false, local: Self.local) == first)
        #expect(try ledger.trackingStart(trackFrom: nil, now: later, record: true, local: Self.local) == later)
        #expect(try ledger.trackingStart(trackFrom: nil, now: first, record: true, local: Self.local) == later)
        #expect(try ledger.trackingStart(trackFrom: nil, now: nil, record: false, local: Self.local) == later)
    }

    @Test func trackFromWins() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let ledger = try Ledger.open(folder: folder.path)
        _ = try ledger.trackingStart(trackFrom: nil, now: later, record: true, local: Self.local)
        let from = CivilDate(iso: "2026-07-01")!
        #expect(
            try ledger.trackingStart(trackFrom: from, now: later, record: true, local: Self.local)
                == LocalTime(date: from, minute: 0)
        )
    }

    /// A ledger written before the start was kept: its first handled notice.
    @Test func anOlderLedgerStartsAtItsFirstHandledNotice() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let ledger = try Ledger.open(folder: folder.path)
        // 2026-03-02 09:00 +08:00.
        let handledAt: Int64 = 1_772_413_200
        try ledger.recordTick(
            handled: [
                HandledNoticeRow(
                    key: "k",
                    plan: "p",
                    item: "i",
                    period: "2026-03",
                    kind: "reminder",
                    recipient: "a@h.example",
                    scheduledFor: "2026-03-02",
                    disposition: .sent,
                    handledAt: handledAt
                )
            ],
            marks: [NoticeMarkRow]()
        )
        let start = try ledger.trackingStart(trackFrom: nil, now: later, record: true, local: Self.local)
        #expect(start == Self.local(handledAt))
        #expect(start?.description == "2026-03-02 09:00")
    }
}
