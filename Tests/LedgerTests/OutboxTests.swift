import Channels
import Testing
@testable import Ledger

@Suite struct OutboxTests {
    func entry(_ id: String, channel: String = "群", destination: String = "群", at: Int64 = 0) -> OutboxEntry {
        OutboxEntry(
            id: id,
            channel: channel,
            channelKind: "dingtalk-robot",
            destination: destination,
            recipient: "外科第二党支部群",
            noticeKey: "k/\(id)",
            noticeKind: "reminder",
            plan: "p",
            item: "i",
            period: "2026-11",
            summary: "提醒 \(id)",
            body: Array(#"{"msgtype":"text","text":{"content":"党建"}}"#.utf8),
            createdAt: at
        )
    }

    @Test func writtenOnceKeepsTheBytesAndTheOrder() throws {
        let ledger = try Ledger.inMemory()
        #expect(try ledger.enqueueOutbox([entry("b", at: 1), entry("a", at: 2)]) == ["b", "a"])
        // A tick run again after a crash: nothing new.
        #expect(try ledger.enqueueOutbox([entry("a", at: 3), entry("c", at: 3)]) == ["c"])
        let queued = try ledger.outboxEntries(channel: "群", state: .queued)
        #expect(queued.map(\.id) == ["b", "a", "c"])
        #expect(queued[0].body == Array(#"{"msgtype":"text","text":{"content":"党建"}}"#.utf8))
        #expect(queued[1].createdAt == 2)
        #expect(try ledger.outboxContains("c"))
        #expect(try !ledger.outboxContains("d"))
    }

    @Test func aClaimIsTakenOnce() throws {
        let ledger = try Ledger.inMemory()
        try ledger.enqueueOutbox([entry("a")])
        #expect(try ledger.claimOutbox("a", at: 10))
        #expect(try !ledger.claimOutbox("a", at: 11))
        let sending = try ledger.outboxEntries(channel: "群", state: .sending)
        #expect(sending.map(\.attempts) == [1] && sending.first?.claimedAt == 10)
        try ledger.markOutboxSent("a", at: 12, answer: "errcode 0 (ok)")
        let sent = try ledger.outboxEntries(channel: "群", state: .sent)
        #expect(sent.first?.sentAt == 12 && sent.first?.answer == "errcode 0 (ok)")
        #expect(try ledger.outboxSends(channel: "群", since: 0).map(\.at) == [12])
        #expect(try ledger.outboxSends(channel: "群", since: 13).isEmpty)
    }

    @Test func retriesWaitsFailuresAndCounts() throws {
        let ledger = try Ledger.inMemory()
        try ledger.enqueueOutbox([entry("a"), entry("b"), entry("c", destination: "other"), entry("x", channel: "另一个")])
        #expect(try ledger.claimOutbox("a", at: 0))
        try ledger.requeueOutbox("a", nextAttempt: 30, reason: "refused", failedAt: 0, attemptsDelta: 0)
        #expect(try ledger.claimOutbox("b", at: 0))
        // A wait is not an attempt and not a failure.
        try ledger.requeueOutbox("b", nextAttempt: 600, reason: "too fast", failedAt: nil, attemptsDelta: -1)
        try ledger.postponeOutbox(channel: "群", destination: "群", until: 600)
        let queued = Dictionary(
            uniqueKeysWithValues: try ledger.outboxEntries(channel: "群", state: .queued).map { ($0.id, $0) }
        )
        #expect(queued["a"]?.attempts == 1 && queued["a"]?.firstFailure == 0 && queued["a"]?.nextAttempt == 600)
        #expect(queued["b"]?.attempts == 0 && queued["b"]?.firstFailure == nil && queued["b"]?.lastReason == "too fast")
        #expect(queued["c"]?.nextAttempt == nil)  // another destination is not held
        try ledger.markOutboxFailed("c", at: 5, reason: "310000")
        #expect(try ledger.claimOutbox("a", at: 600))
        try ledger.markOutboxUncertain("a", reason: "interrupted")
        let counts = try ledger.outboxCounts()
        #expect(counts.map(\.channel) == ["另一个", "群"])
        let group = try #require(counts.last)
        #expect(group[.queued] == 1 && group[.failed] == 1 && group[.uncertain] == 1 && group[.sent] == 0)
        #expect(group.nextAttempt == 600)
        #expect(try ledger.requeueOutbox(channel: "群", from: .uncertain) == 1)
        #expect(try ledger.outboxEntries(channel: "群", state: .queued).map(\.id).sorted() == ["a", "b"])
    }
}
