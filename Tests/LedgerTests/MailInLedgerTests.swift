import Foundation
import GRDB
import PlankeeperTestSupport
import Records
import Testing
import Vocabulary

@testable import Ledger

/// Ledger v4 (record provenance and evidence) and v5 (received mail, sent digests).
@Suite struct MailInLedgerTests {
    static let photo = RecordEvidence(
        name: "签到表.jpg",
        type: "image/jpeg",
        size: 332,
        sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    )

    func mailRecord(doneOn: String = "2026-02-25", evidence: [RecordEvidence] = [photo]) -> NewRecord {
        NewRecord(
            plan: "surgery-2-2026",
            item: "committee",
            period: "2026-02",
            doneOn: doneOn,
            by: "王五",
            note: "7 人参加",
            recordedAt: 1_772_000_000,
            source: .mail,
            byAddress: "wangwu@hospital.example",
            evidence: evidence
        )
    }

    @Test func aRecordKeepsItsSourceAddressAndEvidence() throws {
        let ledger = try Ledger.inMemory()
        let added = try ledger.addRecord(mailRecord())
        let listed = try ledger.records()
        #expect(listed == [added])
        #expect(listed[0].source == .mail)
        #expect(listed[0].byAddress == "wangwu@hospital.example")
        #expect(listed[0].evidence == [Self.photo])
        #expect(try ledger.records(for: listed[0].key) == [added])
        // Records of the command line have none.
        let cli = try ledger.addRecord(Sample.record(period: "2026-03", doneOn: "2026-03-25"))
        #expect(cli.source == .cli && cli.evidence.isEmpty)
        #expect(try ledger.records().map(\.evidence.count) == [1, 0])
    }

    @Test func removingARecordRemovesItsEvidenceRows() throws {
        let ledger = try Ledger.inMemory()
        let added = try ledger.addRecord(mailRecord())
        #expect(try ledger.removeRecord(id: added.id) == added)
        #expect(try ledger.removeRecord(id: added.id) == nil)
        #expect(try ledger.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM evidence") } == 0)
        // undo (latest of a key) does the same.
        _ = try ledger.addRecord(mailRecord())
        #expect(
            try ledger.removeLatestRecord(plan: "surgery-2-2026", item: "committee", period: "2026-02")?.evidence
                == [Self.photo]
        )
        #expect(try ledger.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM evidence") } == 0)
    }

    @Test func evidenceWithABadDigestIsRefused() throws {
        let ledger = try Ledger.inMemory()
        var bad = Self.photo
        bad.sha256 = "../../etc/passwd"
        #expect(throws: LedgerError.self) { try ledger.addRecord(mailRecord(evidence: [bad])) }
        #expect(try ledger.records().isEmpty)
    }

    @Test func recordsFromBeforeV4AreTheCommandLines() throws {
        let queue = try DatabaseQueue()
        try Ledger.migrator.migrate(queue, upTo: "v3")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO record (plan, item, period, done_on, "by", note, recorded_at)
                    VALUES ('p', 'i', '2026-11', '2026-11-18', 'root', NULL, 1)
                    """
            )
        }
        let ledger = try Ledger(writer: queue)
        let records = try ledger.records()
        #expect(records.count == 1 && records[0].source == .cli && records[0].byAddress == nil)
    }

    @Test func aMessageIsHandledOnceWithItsChanges() throws {
        let ledger = try Ledger.inMemory()
        var runs = 0
        func handle() throws -> InboundHandling<Int64> {
            try ledger.handleInbound(key: "k1") { transaction in
                runs += 1
                let record = try transaction.addRecord(mailRecord())
                let row = InboundMessageRow(
                    key: "",
                    messageID: "m1@x",
                    token: "t",
                    fromAddress: "wangwu@hospital.example",
                    outcome: "recorded",
                    answerName: "answer-1",
                    answer: Array("Subject: ok\r\n\r\n".utf8),
                    receivedAt: 10
                )
                return (record.id, row)
            }
        }
        guard case .handled(let id, let row) = try handle() else {
            Issue.record("not handled")
            return
        }
        #expect(row.key == "k1")
        guard case .alreadyHandled(let stored) = try handle() else {
            Issue.record("handled twice")
            return
        }
        #expect(runs == 1)
        #expect(stored.answer == Array("Subject: ok\r\n\r\n".utf8))
        #expect(stored.answerName == "answer-1")
        #expect(try ledger.inboundMessage(key: "k1") == stored)
        #expect(try ledger.records().map(\.id) == [id])
    }

    @Test func aFailureInsideLeavesNeitherRecordsNorTheRow() throws {
        struct Boom: Error {}
        let ledger = try Ledger.inMemory()
        #expect(throws: LedgerError.self) {
            _ = try ledger.handleInbound(key: "k2") { transaction -> (Int, InboundMessageRow) in
                _ = try transaction.addRecord(mailRecord())
                throw Boom()
            }
        }
        #expect(try ledger.records().isEmpty)
        #expect(try ledger.inboundMessage(key: "k2") == nil)
    }

    @Test func answersAreCountedPerAddressForTheLoopBrake() throws {
        let ledger = try Ledger.inMemory()
        for (n, answered) in [(1, true), (2, true), (3, false)] {
            _ = try ledger.handleInbound(key: "k\(n)") { _ in
                (
                    (),
                    InboundMessageRow(
                        key: "",
                        messageID: nil,
                        token: nil,
                        fromAddress: "WangWu@hospital.example",
                        outcome: "help",
                        answerName: answered ? "a\(n)" : nil,
                        answer: nil,
                        receivedAt: Int64(100 * n)
                    )
                )
            }
        }
        let count = try ledger.handleInbound(key: "probe") { transaction in
            (
                try transaction.answersSent(to: "wangwu@hospital.example", since: 150),
                InboundMessageRow(key: "", messageID: nil, token: nil, fromAddress: nil, outcome: "x", receivedAt: 0)
            )
        }
        guard case .handled(let n, _) = count else {
            Issue.record("not handled")
            return
        }
        #expect(n == 1)
    }

    @Test func sentDigestsKeepTheirNumberedLinesOnce() throws {
        let ledger = try Ledger.inMemory()
        let digest = SentDigest(
            id: 0xABCD_EF01_2345,
            recipient: "office@hospital.example",
            kind: "overdue-digest",
            sentOn: "2026-11-20",
            lines: [
                1: OccurrenceKey(plan: "p1", item: "i", period: "2026-10"),
                2: OccurrenceKey(plan: "p2", item: "j", period: "2026-Q3"),
            ]
        )
        try ledger.recordSentDigest(digest, at: 1)
        var again = digest
        again.lines = [1: OccurrenceKey(plan: "other", item: "x", period: "2026")]
        try ledger.recordSentDigest(again, at: 2)
        #expect(try ledger.sentDigest(id: digest.id) == digest)
        #expect(try ledger.sentDigest(id: 7) == nil)
        #expect(throws: LedgerError.self) {
            try ledger.recordSentDigest(SentDigest(id: 1 << 48, recipient: "", kind: "", sentOn: "", lines: [:]), at: 0)
        }
    }

    @Test func aLockedLedgerMakesHandlingFailAsBusy() throws {
        let folder = try Scratch("plankeeper-ledger-tests")
        defer { folder.remove() }
        let ledger = try Ledger.open(folder: folder.path, busyTimeout: .milliseconds(100))
        let other = try DatabaseQueue(path: ledger.path ?? "")
        var caught: LedgerError?
        try other.write { db in
            try db.execute(sql: "INSERT INTO state (key, value) VALUES ('holder', 'x')")
            caught = #expect(throws: LedgerError.self) {
                _ = try ledger.handleInbound(key: "k") { _ in
                    (
                        (),
                        InboundMessageRow(
                            key: "",
                            messageID: nil,
                            token: nil,
                            fromAddress: nil,
                            outcome: "x",
                            receivedAt: 0
                        )
                    )
                }
            }
        }
        #expect(caught?.code == .busy)
        #expect(try ledger.inboundMessage(key: "k") == nil)
    }
}
