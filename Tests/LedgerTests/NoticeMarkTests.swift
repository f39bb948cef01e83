import GRDB
import Testing

@testable import Ledger

@Suite struct NoticeMarkTests {
    func mark(_ id: Int64, _ day: Int32, through: String = "2026-11-18", rank: Int32 = 3) -> NoticeMarkRow {
        NoticeMarkRow(
            id: id,
            plan: "surgery-2-2026",
            item: "committee",
            period: "2026-11",
            stream: "staff",
            through: through,
            day: day,
            rank: rank
        )
    }

    @Test func aMarkKeepsTheLaterDateAndTheHigherKindOfTwo() throws {
        let ledger = try Ledger.inMemory()
        try ledger.recordTick(handled: [], marks: [mark(9, 200, through: "2026-07-20", rank: 0)])
        // An earlier date of a higher kind (a deadline moved before a sent reminder).
        try ledger.recordTick(handled: [], marks: [mark(9, 190, through: "2026-07-10", rank: 1)])
        var row = try #require(try ledger.noticeMarks().first { $0.id == 9 })
        #expect(row.day == 200 && row.rank == 1)
        // Neither older nor lower: nothing changes.
        try ledger.recordTick(handled: [], marks: [mark(9, 150, rank: 0)])
        row = try #require(try ledger.noticeMarks().first { $0.id == 9 })
        #expect(row.day == 200 && row.rank == 1)
        let through = try ledger.read { db in
            try String.fetchOne(db, sql: "SELECT through FROM notice_mark WHERE id = 9")
        }
        #expect(through == "2026-07-20")
    }

    @Test func marksOnlyMoveForwardAndTheTickIsOneTransaction() throws {
        let ledger = try Ledger.inMemory()
        try ledger.recordTick(handled: [Sample.notice("a")], marks: [mark(-5, 100), mark(7, 200)])
        #expect(try ledger.noticeMarks().map { "\($0.id):\($0.day)" }.sorted() == ["-5:100", "7:200"])
        // A later tick moves one mark forward; a stale one never moves it back.
        try ledger.recordTick(handled: [], marks: [mark(-5, 150), mark(7, 120)])
        #expect(try ledger.noticeMarks().map { "\($0.id):\($0.day)" }.sorted() == ["-5:150", "7:200"])
        #expect(try ledger.isHandled("a"))
        // An invalid notice rejects the whole tick: the marks stay as they were.
        #expect(throws: LedgerError.self) {
            try ledger.recordTick(handled: [Sample.notice("b", scheduledFor: "2026-13-01")], marks: [mark(-5, 300)])
        }
        #expect(try ledger.noticeMarks().first { $0.id == -5 }?.day == 150)
    }

    @Test func todaysKeysOfOneKindOnly() throws {
        let ledger = try Ledger.inMemory()
        try ledger.recordTick(
            handled: [
                Sample.notice("old", scheduledFor: "2026-11-17"), Sample.notice("today", scheduledFor: "2026-11-18"),
            ],
            marks: []
        )
        #expect(try ledger.handledNoticeKeys(kind: "reminder", scheduledFrom: "2026-11-18") == ["today"])
        #expect(try ledger.handledNoticeKeys(kind: "digest", scheduledFrom: "2026-11-01").isEmpty)
    }
}
