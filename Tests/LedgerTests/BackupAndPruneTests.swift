import Foundation
import GRDB
import PlankeeperTestSupport
import Testing

@testable import Ledger

/// `plankeeper backup` and `prune` at the ledger's level: a copy that opens
/// on its own and holds every row, even while another connection writes;
/// pruning that removes only old sent-notice rows.
@Suite struct BackupTests {
    @Test func theCopyIsOneFileThatOpensAndHoldsEveryRecord() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let ledger = try Ledger.open(folder: folder.path + "/state")
        for n in 1...40 {
            _ = try ledger.addRecord(Sample.record(item: "item-\(n)"))
        }
        try ledger.markHandled((1...25).map { Sample.notice("k\($0)") })
        let target = folder.path + "/backup.sqlite"
        let summary = try ledger.backup(to: target)
        #expect(summary.records == 40 && summary.handledNotices == 25)
        #expect(summary.bytes > 0)
        // No -wal beside it, no partial file left: one file to carry away.
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["backup.sqlite", "state"])
        // It opens as a ledger of its own, read by a separate connection.
        let copy = try DatabaseQueue(path: target)
        let mode = try copy.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "delete")
        let reopened = try Ledger(writer: copy)
        #expect(Set(try reopened.records().map(\.item)) == Set((1...40).map { "item-\($0)" }))
        #expect(try reopened.handledNoticeKeys().count == 25)
    }

    @Test func anExistingFileIsNeverOverwritten() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let ledger = try Ledger.open(folder: folder.path + "/state")
        let target = folder.path + "/backup.sqlite"
        try Data("the admin's file".utf8).write(to: URL(fileURLWithPath: target))
        #expect(throws: LedgerError.self) { try ledger.backup(to: target) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "the admin's file")
    }

    @Test func aBackupTakenWhileAnotherProcessWritesIsConsistent() async throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let ledger = try Ledger.open(folder: folder.path + "/state")
        let writerLedger = try Ledger.open(folder: folder.path + "/state")  // a second connection, as the daemon's
        for n in 1...200 {
            _ = try ledger.addRecord(Sample.record(item: "before-\(n)"))
        }
        // Another connection keeps inserting while the backups run.
        let writing = Task.detached {
            for n in 1...2_000 {
                try writerLedger.markHandled([Sample.notice("during-\(n)")])
            }
        }
        var copies: [Ledger.BackupSummary] = []
        for n in 1...5 {
            copies.append(try ledger.backup(to: folder.path + "/copy-\(n).sqlite"))
        }
        try await writing.value
        for summary in copies {
            // Every record made before the backup, and a prefix of the
            // concurrent inserts: a snapshot, never a torn copy.
            let copy = try Ledger(writer: try DatabaseQueue(path: summary.path))
            #expect(try copy.records().count == 200)
            let keys = try copy.handledNoticeKeys()
            #expect(keys.count == summary.handledNotices)
            #expect(keys == Set((0..<keys.count).map { "during-\($0 + 1)" }))
        }
    }
}

@Suite struct PruneTests {
    @Test func onlySentNoticeRowsBeforeTheDayGo() throws {
        let ledger = try Ledger.inMemory()
        _ = try ledger.addRecord(Sample.record(doneOn: "2024-02-25"))
        let days = ["2024-01-10", "2024-12-31", "2025-01-01", "2025-06-30", "2026-02-18"]
        try ledger.markHandled(days.enumerated().map { Sample.notice("k\($0.offset)", scheduledFor: $0.element) })
        try ledger.setValue("2026-02-18", forKey: "last-tick")
        #expect(try ledger.countHandledNotices(before: "2025-01-01") == 2)
        let deleted = try ledger.pruneHandledNotices(before: "2025-01-01", today: "2026-02-18", batch: 2)
        #expect(deleted == 2)
        #expect(try ledger.handledNotices().map(\.scheduledFor) == ["2025-01-01", "2025-06-30", "2026-02-18"])
        #expect(try ledger.records().count == 1, "records are never pruned")
        #expect(try ledger.value(forKey: "last-tick") == "2026-02-18")
        #expect(try ledger.pruneHandledNotices(before: "2025-01-01", today: "2026-02-18") == 0, "idempotent")
    }

    @Test func aDayAfterTodayIsRefused() throws {
        let ledger = try Ledger.inMemory()
        try ledger.markHandled([Sample.notice("today", scheduledFor: "2026-02-18")])
        #expect(throws: LedgerError.self) {
            try ledger.pruneHandledNotices(before: "2026-02-19", today: "2026-02-18")
        }
        #expect(throws: LedgerError.self) { try ledger.pruneHandledNotices(before: "2026-2-1", today: "2026-02-18") }
        #expect(try ledger.handledNoticeKeys() == ["today"])
    }

    @Test func anEmptyTrailPrunesNothing() throws {
        let ledger = try Ledger.inMemory()
        #expect(try ledger.pruneHandledNotices(before: "2026-01-01", today: "2026-02-18") == 0)
    }
}
