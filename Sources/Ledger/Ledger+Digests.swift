import GRDB
import Vocabulary

/// A digest mail sent with a reply token: who got it, and its numbered lines
/// (issue 16, item 4). A reply "完成 1 3" names lines by these numbers.
public struct SentDigest: Sendable, Hashable {
    /// The 48-bit id the reply token carries.
    public var id: Int64
    public var recipient: String
    /// `backlog` or `overdue-digest`.
    public var kind: String
    /// `YYYY-MM-DD`.
    public var sentOn: String
    /// Number → occurrence, numbers from 1 as the mail lists them.
    public var lines: [Int: OccurrenceKey]

    public init(id: Int64, recipient: String, kind: String, sentOn: String, lines: [Int: OccurrenceKey]) {
        self.id = id
        self.recipient = recipient
        self.kind = kind
        self.sentOn = sentOn
        self.lines = lines
    }
}

extension Ledger {
    /// Keeps a digest's numbered lines. The same id again (a tick retried
    /// after a crash composes the same digest) changes nothing.
    public func recordSentDigest(_ digest: SentDigest, at now: Int64) throws(LedgerError) {
        guard digest.id >= 0, digest.id < 1 << 48 else {
            throw LedgerError.invalid("摘要编号超出范围", "a digest id must fit in 48 bits")
        }
        try write { db in
            try db.execute(
                sql:
                    "INSERT OR IGNORE INTO sent_digest (id, recipient, kind, sent_on, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [digest.id, digest.recipient, digest.kind, digest.sentOn, now]
            )
            guard db.changesCount > 0 else { return }
            for (number, key) in digest.lines.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: "INSERT INTO sent_digest_line (digest_id, number, plan, item, period) VALUES (?, ?, ?, ?, ?)",
                    arguments: [digest.id, number, key.plan, key.item, key.period]
                )
            }
        }
    }

    /// A sent digest and its lines, or nil when the ledger does not know it.
    public func sentDigest(id: Int64) throws(LedgerError) -> SentDigest? {
        try read { db in try Self.digest(id: id, db) }
    }

    static func digest(id: Int64, _ db: Database) throws -> SentDigest? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sent_digest WHERE id = ?", arguments: [id]) else {
            return nil
        }
        var lines: [Int: OccurrenceKey] = [:]
        for line in try Row.fetchAll(
            db,
            sql: "SELECT * FROM sent_digest_line WHERE digest_id = ? ORDER BY number",
            arguments: [id]
        ) {
            lines[try line.decode(Int.self, forColumn: "number")] = OccurrenceKey(
                plan: try line.decode(String.self, forColumn: "plan"),
                item: try line.decode(String.self, forColumn: "item"),
                period: try line.decode(String.self, forColumn: "period")
            )
        }
        return SentDigest(
            id: id,
            recipient: try row.decode(String.self, forColumn: "recipient"),
            kind: try row.decode(String.self, forColumn: "kind"),
            sentOn: try row.decode(String.self, forColumn: "sent_on"),
            lines: lines
        )
    }
}
