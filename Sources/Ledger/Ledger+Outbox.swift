import Channels
import Foundation
import GRDB

/// The outbox of the channels (see `OutboxEntry` for the states). Each
/// change is one short transaction; `claimOutbox` is the step that makes a
/// message "in flight" before its request, so a delivery killed mid-request
/// leaves a trace the next one finds.
extension Ledger: OutboxStore {
    /// Adds the entries whose id is not yet in the outbox, all or none;
    /// returns the ids that were new, in order (what `tick` logs).
    @discardableResult
    public func enqueueOutbox(_ entries: [OutboxEntry]) throws(LedgerError) -> [String] {
        if entries.isEmpty { return [] }
        return try write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO outbox
                        (id, channel, channel_kind, destination, recipient, notice_key, notice_kind, plan, item, period,
                         summary, body, state, created_at, attempts, next_attempt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, 0, ?)
                    """
            )
            var added: [String] = []
            for e in entries {
                try statement.execute(arguments: [
                    e.id, e.channel, e.channelKind, e.destination, e.recipient, e.noticeKey, e.noticeKind, e.plan,
                    e.item,
                    e.period, e.summary, Data(e.body), e.createdAt, e.nextAttempt,
                ])
                if db.changesCount > 0 { added.append(e.id) }
            }
            return added
        }
    }

    /// Whether an id is in the outbox, in any state.
    public func outboxContains(_ id: String) throws(LedgerError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM outbox WHERE id = ?)", arguments: [id]) ?? false
        }
    }

    /// A channel's entries in one state, oldest first (the order they were written).
    public func outboxEntries(channel: String, state: OutboxEntry.State) throws(LedgerError) -> [OutboxEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM outbox WHERE channel = ? AND state = ? ORDER BY created_at, rowid",
                arguments: [channel, state.rawValue]
            ).map(Self.entry)
        }
    }

    /// Every entry, or one notice's: for tests and audits.
    public func outboxEntries(noticeKey: String? = nil) throws(LedgerError) -> [OutboxEntry] {
        try read { db in
            if let noticeKey {
                return try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM outbox WHERE notice_key = ? ORDER BY created_at, rowid",
                    arguments: [noticeKey]
                ).map(Self.entry)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY created_at, rowid").map(Self.entry)
        }
    }

    /// queued → sending, only if still queued: false when another delivery took it.
    public func claimOutbox(_ id: String, at now: Int64) throws(LedgerError) -> Bool {
        try write { db in
            try db.execute(
                sql:
                    "UPDATE outbox SET state = 'sending', attempts = attempts + 1, claimed_at = ? WHERE id = ? AND state = 'queued'",
                arguments: [now, id]
            )
            return db.changesCount > 0
        }
    }

    /// The service took it.
    public func markOutboxSent(_ id: String, at now: Int64, answer: String) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'sent', sent_at = ?, answer = ?, next_attempt = NULL WHERE id = ?
                    """,
                arguments: [now, answer, id]
            )
        }
    }

    /// Back to the queue, not before `nextAttempt`. `failedAt` sets the first
    /// failure when there was none (a temporary failure); nil for a wait
    /// the service asked for, which is not a failure.
    /// `attempts` changes by `attemptsDelta`: -1 undoes the claim's count
    /// (a wait is not an attempt), +1 counts an attempt made without a
    /// claim (not tried because the service is down).
    public func requeueOutbox(
        _ id: String,
        nextAttempt: Int64?,
        reason: String?,
        failedAt: Int64?,
        attemptsDelta: Int = 0
    ) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET state = 'queued', next_attempt = ?, last_reason = COALESCE(?, last_reason),
                        first_failure = COALESCE(first_failure, ?), attempts = MAX(0, attempts + ?)
                    WHERE id = ?
                    """,
                arguments: [nextAttempt, reason, failedAt, attemptsDelta, id]
            )
        }
    }

    /// Given up: refused by the service, or failing past give-up-after.
    public func markOutboxFailed(_ id: String, at now: Int64, reason: String) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql:
                    "UPDATE outbox SET state = 'failed', last_reason = ?, next_attempt = NULL, first_failure = COALESCE(first_failure, ?) WHERE id = ?",
                arguments: [reason, now, id]
            )
        }
    }

    /// Found in flight by a later delivery: it may have arrived.
    public func markOutboxUncertain(_ id: String, reason: String) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'uncertain', last_reason = ? WHERE id = ?",
                arguments: [reason, id]
            )
        }
    }

    /// Moves a channel's entries in `from` (sending after a crash, or
    /// uncertain on request) back to the queue; returns how many.
    @discardableResult
    public func requeueOutbox(channel: String, from state: OutboxEntry.State) throws(LedgerError) -> Int {
        try write { db in
            try db.execute(
                sql: "UPDATE outbox SET state = 'queued' WHERE channel = ? AND state = ?",
                arguments: [channel, state.rawValue]
            )
            return db.changesCount
        }
    }

    /// Nothing of `channel` to `destination` (or to any, when nil) before
    /// `until`: the service asked to slow down, or is down.
    public func postponeOutbox(channel: String, destination: String?, until: Int64) throws(LedgerError) {
        try write { db in
            if let destination {
                try db.execute(
                    sql: """
                        UPDATE outbox SET next_attempt = ? WHERE channel = ? AND destination = ? AND state = 'queued'
                            AND (next_attempt IS NULL OR next_attempt < ?)
                        """,
                    arguments: [until, channel, destination, until]
                )
            } else {
                try db.execute(
                    sql: """
                        UPDATE outbox SET next_attempt = ? WHERE channel = ? AND state = 'queued' AND (next_attempt IS NULL OR next_attempt < ?)
                        """,
                    arguments: [until, channel, until]
                )
            }
        }
    }

    /// When messages of `channel` went out since `since`, per destination:
    /// what a new process's rate limiter starts from.
    public func outboxSends(channel: String, since: Int64) throws(LedgerError) -> [(destination: String, at: Int64)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT destination, sent_at FROM outbox WHERE channel = ? AND sent_at >= ? ORDER BY sent_at",
                arguments: [channel, since]
            ).map { ($0["destination"], $0["sent_at"]) }
        }
    }

    /// The channels with queued or in-flight entries.
    public func outboxChannelsWithWork() throws(LedgerError) -> Set<String> {
        try read { db in
            try String.fetchSet(db, sql: "SELECT DISTINCT channel FROM outbox WHERE state IN ('queued', 'sending')")
        }
    }

    /// Per channel: how many entries in each state, the next retry, the last send.
    public func outboxCounts() throws(LedgerError) -> [OutboxCounts] {
        try read { db in
            var byChannel: [String: OutboxCounts] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT channel, state, COUNT(*) AS n, MIN(CASE WHEN state = 'queued' THEN next_attempt END) AS next,
                           MAX(sent_at) AS last
                    FROM outbox GROUP BY channel, state
                    """
            ) {
                let channel: String = row["channel"]
                var c = byChannel[channel] ?? OutboxCounts(channel: channel)
                if let state = OutboxEntry.State(rawValue: row["state"]) { c.counts[state] = row["n"] }
                if let next: Int64 = row["next"] { c.nextAttempt = min(c.nextAttempt ?? next, next) }
                if let last: Int64 = row["last"] { c.lastSent = max(c.lastSent ?? last, last) }
                byChannel[channel] = c
            }
            return byChannel.keys.sorted().compactMap { byChannel[$0] }
        }
    }

    static func entry(_ row: Row) throws -> OutboxEntry {
        let body: [UInt8] = (row["body"] as Data?).map { [UInt8]($0) } ?? []
        return OutboxEntry(
            id: row["id"],
            channel: row["channel"],
            channelKind: row["channel_kind"],
            destination: row["destination"],
            recipient: row["recipient"],
            noticeKey: row["notice_key"],
            noticeKind: row["notice_kind"],
            plan: row["plan"],
            item: row["item"],
            period: row["period"],
            summary: row["summary"],
            body: body,
            state: OutboxEntry.State(rawValue: row["state"]) ?? .queued,
            createdAt: row["created_at"],
            attempts: row["attempts"],
            claimedAt: row["claimed_at"],
            firstFailure: row["first_failure"],
            nextAttempt: row["next_attempt"],
            lastReason: row["last_reason"],
            sentAt: row["sent_at"],
            answer: row["answer"]
        )
    }
}
