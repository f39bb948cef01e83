import Foundation
import GRDB
import PlankeeperTestSupport
import Testing

@testable import Ledger
import Vocabulary

/// Shared sample values, so each test says only what it is about.
enum Sample {
    static func record(
        plan: String = "surgery-2-2026",
        item: String = "committee",
        period: String = "2026-02",
        doneOn: String = "2026-02-25",
        by: String? = "王五",
        note: String? = nil,
        at: Int64 = 1_772_000_000
    ) -> NewRecord {
        NewRecord(plan: plan, item: item, period: period, doneOn: doneOn, by: by, note: note, recordedAt: at)
    }

    static func notice(
        _ key: String,
        plan: String = "surgery-2-2026",
        disposition: NoticeDisposition = .sent,
        scheduledFor: String = "2026-02-18",
        at: Int64 = 1_771_400_000
    ) -> HandledNoticeRow {
        HandledNoticeRow(
            key: key,
            plan: plan,
            item: "committee",
            period: "2026-02",
            kind: "reminder",
            recipient: "wangwu@hospital.example",
            scheduledFor: scheduledFor,
            disposition: disposition,
            handledAt: at
        )
    }
}

@Suite struct SchemaTests {
    @Test func migrationsCreateTheTablesIndexesAndColumns() throws {
        let ledger = try Ledger.inMemory()
        try ledger.writer.read { db in
            #expect(try db.tableExists("record"))
            #expect(try db.tableExists("handled_notice"))
            #expect(try db.tableExists("state"))
            #expect(
                try db.columns(in: "record").map(\.name)
                    == ["id", "plan", "item", "period", "done_on", "by", "note", "recorded_at", "source", "by_address"]
            )
            #expect(
                try db.columns(in: "handled_notice").map(\.name)
                    == [
                        "key", "plan", "item", "period", "kind", "recipient", "scheduled_for", "disposition",
                        "handled_at",
                    ]
            )
            #expect(try db.columns(in: "state").map(\.name) == ["key", "value"])
            #expect(try db.primaryKey("handled_notice").columns == ["key"])
            #expect(try db.primaryKey("state").columns == ["key"])
            let recordIndexes = try db.indexes(on: "record").map(\.columns)
            #expect(recordIndexes.contains(["plan", "item", "period"]))
            let noticeIndexes = try db.indexes(on: "handled_notice").map(\.columns)
            #expect(noticeIndexes.contains(["plan"]))
            #expect(
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") == [
                    "v1", "v2", "v3", "v4", "v5",
                ]
            )
            #expect(try db.primaryKey("notice_mark").columns == ["id"])
            #expect(
                try db.columns(in: "notice_mark").map(\.name) == [
                    "id", "plan", "item", "period", "stream", "through", "day", "rank",
                ]
            )
        }
    }

    @Test func marksFromBeforeV3CoverEveryKind() throws {
        // A ledger written by a version that kept only dates: its marks keep their meaning.
        let queue = try DatabaseQueue()
        try Ledger.migrator.migrate(queue, upTo: "v2")
        try queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO notice_mark (id, plan, item, period, stream, through, day) VALUES (1, 'p', 'i', '2026-11', 'staff', '2026-11-18', 20410)"
            )
        }
        let ledger = try Ledger(writer: queue)
        let marks = try ledger.noticeMarks()
        #expect(marks.count == 1 && marks[0].day == 20410 && marks[0].rank == 3)
    }

    @Test func initWithAWriterRunsMigrationsAndIsIdempotent() throws {
        let queue = try DatabaseQueue()
        _ = try Ledger(writer: queue)
        let again = try Ledger(writer: queue)
        #expect(try again.records().isEmpty)
        #expect(try queue.read { db in try Ledger.migrator.hasCompletedMigrations(db) })
    }

    @Test func aFileMigratedByANewerVersionIsRefusedClearly() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        _ = try Ledger.open(folder: folder.path)
        let file = folder.path + "/" + Ledger.fileName
        let raw = try DatabaseQueue(path: file)
        try raw.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99')") }

        let error = #expect(throws: LedgerError.self) { try Ledger.open(folder: folder.path) }
        #expect(error?.code == .newerSchema)
        #expect(error?.description.contains(file) == true)
    }
}

@Suite struct RecordTests {
    @Test func addListAndUndo() throws {
        let ledger = try Ledger.inMemory()
        let first = try ledger.addRecord(Sample.record(doneOn: "2026-02-24"))
        let second = try ledger.addRecord(Sample.record(doneOn: "2026-02-25", note: "补记"))
        let other = try ledger.addRecord(Sample.record(item: "branch-meeting", doneOn: "2026-02-10"))
        #expect(first.id != second.id)
        #expect(second.note == "补记")
        #expect(second.by == "王五")

        // Ordered by plan, item, period, id: branch-meeting before committee.
        #expect(try ledger.records() == [other, first, second])

        let undone = try ledger.removeLatestRecord(plan: "surgery-2-2026", item: "committee", period: "2026-02")
        #expect(undone == second)
        #expect(try ledger.records() == [other, first])

        #expect(try ledger.removeLatestRecord(plan: "surgery-2-2026", item: "committee", period: "2026-02") == first)
        #expect(try ledger.removeLatestRecord(plan: "surgery-2-2026", item: "committee", period: "2026-02") == nil)
        #expect(try ledger.records() == [other])
    }

    @Test func idsAreNeverReusedAfterUndo() throws {
        let ledger = try Ledger.inMemory()
        let first = try ledger.addRecord(Sample.record())
        try ledger.removeLatestRecord(plan: first.plan, item: first.item, period: first.period)
        let next = try ledger.addRecord(Sample.record())
        #expect(next.id > first.id)
    }

    @Test func recordsFilterByPlanAndByKey() throws {
        let ledger = try Ledger.inMemory()
        let mine = try ledger.addRecord(Sample.record(plan: "a-2026"))
        _ = try ledger.addRecord(Sample.record(plan: "b-2026"))
        #expect(try ledger.records(plan: "a-2026") == [mine])
        #expect(try ledger.records(plan: "none").isEmpty)
        #expect(try ledger.records(for: mine.key) == [mine])
    }

    @Test func countsPerKeyIncludeEveryTimeAnItemWasDone() throws {
        let ledger = try Ledger.inMemory()
        // A "times: 2..3" item: one record per visit.
        for day in ["2026-04-03", "2026-07-01", "2026-10-12"] {
            _ = try ledger.addRecord(Sample.record(item: "red-education", period: "2026", doneOn: day))
        }
        _ = try ledger.addRecord(Sample.record(item: "committee", period: "2026-02"))
        _ = try ledger.addRecord(Sample.record(plan: "other-2026", item: "committee", period: "2026-02"))

        let counts = try ledger.completionCounts()
        #expect(counts.count == 3)
        #expect(counts[OccurrenceKey(plan: "surgery-2-2026", item: "red-education", period: "2026")] == 3)
        #expect(counts[OccurrenceKey(plan: "surgery-2-2026", item: "committee", period: "2026-02")] == 1)
        #expect(counts[OccurrenceKey(plan: "surgery-2-2026", item: "committee", period: "2026-03")] == nil)
        #expect(try ledger.completionCounts(plan: "other-2026").count == 1)

        try ledger.removeLatestRecord(plan: "surgery-2-2026", item: "red-education", period: "2026")
        #expect(
            try ledger.completionCounts()[OccurrenceKey(plan: "surgery-2-2026", item: "red-education", period: "2026")]
                == 2
        )
    }

    @Test(arguments: ["2026-02-30", "2026-2-5", "2025-02-29", "26-02-05", "2026/02/05", "", "2026-13-01", "２０２６-02-05"])
    func aRecordWithAnInvalidDateIsRejectedAndNothingIsWritten(date: String) throws {
        let ledger = try Ledger.inMemory()
        let error = #expect(throws: LedgerError.self) { try ledger.addRecord(Sample.record(doneOn: date)) }
        #expect(error?.code == .invalidInput)
        #expect(error?.description.contains("YYYY-MM-DD") == true)
        #expect(try ledger.records().isEmpty)
    }

    @Test func leapDaysAreValid() throws {
        let ledger = try Ledger.inMemory()
        _ = try ledger.addRecord(Sample.record(doneOn: "2028-02-29"))
        _ = try ledger.addRecord(Sample.record(doneOn: "2000-02-29"))
        #expect(try ledger.records().count == 2)
    }

    @Test func aRecordWithAnEmptyKeyPartIsRejected() throws {
        let ledger = try Ledger.inMemory()
        let error = #expect(throws: LedgerError.self) { try ledger.addRecord(Sample.record(item: "")) }
        #expect(error?.code == .invalidInput)
        #expect(error?.en.contains("item") == true)
    }
}

@Suite struct HandledNoticeTests {
    @Test func markHandledIsIdempotentAndKeepsTheFirstMark() throws {
        let ledger = try Ledger.inMemory()
        let inserted = try ledger.markHandled([Sample.notice("n1", at: 100), Sample.notice("n2", at: 100)])
        #expect(inserted == ["n1", "n2"])

        // Again, as after a crash between spooling and marking: nothing new.
        let again = try ledger.markHandled([Sample.notice("n2", at: 200), Sample.notice("n3", at: 200)])
        #expect(again == ["n3"])
        #expect(try ledger.handledNoticeKeys() == ["n1", "n2", "n3"])
        let n2 = try ledger.handledNotices().first { $0.key == "n2" }
        #expect(n2?.handledAt == 100)
        #expect(try ledger.isHandled("n1"))
        #expect(try !ledger.isHandled("n4"))
        #expect(try ledger.markHandled([]) == [])
    }

    @Test func aBatchIsAllOrNothingWhenTheDatabaseFailsHalfWay() throws {
        let ledger = try Ledger.inMemory()
        // Make the database itself fail on the second row of the batch.
        try ledger.writer.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER fail_on_boom BEFORE INSERT ON handled_notice WHEN NEW.key = 'boom'
                    BEGIN SELECT RAISE(ABORT, 'boom refused'); END
                    """
            )
        }
        let error = #expect(throws: LedgerError.self) {
            try ledger.markHandled([Sample.notice("ok"), Sample.notice("boom"), Sample.notice("later")])
        }
        #expect(error?.code == .database)
        #expect(error?.underlying?.contains("boom refused") == true)
        #expect(try ledger.handledNoticeKeys().isEmpty)
        #expect(try !ledger.isHandled("ok"))
    }

    @Test func anInvalidNoticeAnywhereInABatchWritesNothing() throws {
        let ledger = try Ledger.inMemory()
        let error = #expect(throws: LedgerError.self) {
            try ledger.markHandled([Sample.notice("ok"), Sample.notice("bad", scheduledFor: "2026-02-31")])
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.zh.contains("bad") == true)
        #expect(try ledger.handledNoticeKeys().isEmpty)
    }

    @Test func keysAndNoticesFilterByPlan() throws {
        let ledger = try Ledger.inMemory()
        try ledger.markHandled([
            Sample.notice("a1", plan: "a", scheduledFor: "2026-03-02"),
            Sample.notice("a0", plan: "a", scheduledFor: "2026-03-01"),
            Sample.notice("b1", plan: "b", disposition: .backlog),
        ])
        #expect(try ledger.handledNoticeKeys(plan: "a") == ["a0", "a1"])
        #expect(try ledger.handledNoticeKeys(plan: "c").isEmpty)
        #expect(try ledger.handledNotices(plan: "a").map(\.key) == ["a0", "a1"])
        #expect(try ledger.handledNotices(plan: "b") == [Sample.notice("b1", plan: "b", disposition: .backlog)])
    }
}

@Suite struct StateTests {
    @Test func setReadOverwriteAndRemove() throws {
        let ledger = try Ledger.inMemory()
        #expect(try ledger.value(forKey: "last-tick") == nil)
        try ledger.setValue("1771400000", forKey: "last-tick")
        #expect(try ledger.value(forKey: "last-tick") == "1771400000")
        try ledger.setValue("1771403600", forKey: "last-tick")
        #expect(try ledger.value(forKey: "last-tick") == "1771403600")
        try ledger.setValue(nil, forKey: "last-tick")
        #expect(try ledger.value(forKey: "last-tick") == nil)
        try ledger.setValue(nil, forKey: "never-set")
    }

    @Test func anEmptyKeyIsRejected() throws {
        let ledger = try Ledger.inMemory()
        let error = #expect(throws: LedgerError.self) { try ledger.setValue("x", forKey: "") }
        #expect(error?.code == .invalidInput)
    }
}
