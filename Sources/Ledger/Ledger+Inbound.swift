import Foundation
import GRDB
import Vocabulary
import Records

/// A message `mail-in` has handled, as the ledger keeps it (v5).
public struct InboundMessageRow: Sendable, Hashable {
    /// The idempotency key: a digest of the Message-ID (or, without one, of
    /// the bytes) and the token.
    public var key: String
    public var messageID: String?
    public var token: String?
    public var fromAddress: String?
    /// What became of it (`recorded`, `refused`, `help`, `ignored`, …), for the log and the admin.
    public var outcome: String
    /// The spool name and bytes of the answer, when one was sent.
    public var answerName: String?
    public var answer: [UInt8]?
    /// Unix seconds.
    public var receivedAt: Int64

    public init(
        key: String,
        messageID: String?,
        token: String?,
        fromAddress: String?,
        outcome: String,
        answerName: String? = nil,
        answer: [UInt8]? = nil,
        receivedAt: Int64
    ) {
        self.key = key
        self.messageID = messageID
        self.token = token
        self.fromAddress = fromAddress
        self.outcome = outcome
        self.answerName = answerName
        self.answer = answer
        self.receivedAt = receivedAt
    }
}

/// What `Ledger.handleInbound` did.
public enum InboundHandling<Result: Sendable>: Sendable {
    /// The message was new: `body` ran and its row was stored with its changes.
    case handled(Result, InboundMessageRow)
    /// The same message was handled before: nothing ran; here is what was stored.
    case alreadyHandled(InboundMessageRow)
}

/// The ledger as one `mail-in` transaction sees it: read records, add and
/// remove them, read a sent digest's lines. Everything done through it is
/// committed together with the message's row, or not at all.
public struct LedgerTransaction {
    let db: Database

    public func records(for key: OccurrenceKey) throws -> [Record] {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT * FROM record WHERE plan = ? AND item = ? AND period = ? ORDER BY id",
            arguments: [key.plan, key.item, key.period]
        )
        return try Ledger.withEvidence(try rows.map(Ledger.record), db)
    }

    public func addRecord(_ record: NewRecord) throws -> Record {
        try Ledger.validate(record)
        return try Ledger.insert(record, db)
    }

    @discardableResult
    public func removeRecord(id: Int64) throws -> Record? { try Ledger.remove(id: id, db) }

    /// The numbered lines of a sent digest, or nil when the ledger does not know it.
    public func digest(id: Int64) throws -> SentDigest? { try Ledger.digest(id: id, db) }

    /// How many answers went to `address` since `since` (Unix seconds): the
    /// brake on a mail loop with a robot that does not mark its mail.
    public func answersSent(to address: String, since: Int64) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM inbound_message
                WHERE from_address = ? COLLATE NOCASE AND received_at >= ? AND answer_name IS NOT NULL
                """,
            arguments: [address, since]
        ) ?? 0
    }
}

extension Ledger {
    /// The stored row of an already-handled message, or nil.
    public func inboundMessage(key: String) throws(LedgerError) -> InboundMessageRow? {
        try read { db in try Self.inbound(key: key, db) }
    }

    /// Handles one received message exactly once: in one write transaction,
    /// when no row has `key` yet, runs `body` (which may add or remove
    /// records through the transaction) and stores the row it returns;
    /// otherwise returns the stored row and runs nothing. A crash or an error
    /// leaves neither the changes nor the row.
    public func handleInbound<Result: Sendable>(
        key: String,
        _ body: (LedgerTransaction) throws -> (Result, InboundMessageRow)
    ) throws(LedgerError) -> InboundHandling<Result> {
        try write { db in
            if let row = try Self.inbound(key: key, db) { return .alreadyHandled(row) }
            let (result, row) = try body(LedgerTransaction(db: db))
            try db.execute(
                sql: """
                    INSERT INTO inbound_message
                        (key, message_id, token, from_address, outcome, answer_name, answer, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key, row.messageID, row.token, row.fromAddress, row.outcome, row.answerName,
                    row.answer.map { Data($0) }, row.receivedAt,
                ]
            )
            var stored = row
            stored.key = key
            return .handled(result, stored)
        }
    }

    static func inbound(key: String, _ db: Database) throws -> InboundMessageRow? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM inbound_message WHERE key = ?", arguments: [key])
        else { return nil }
        return InboundMessageRow(
            key: try row.decode(String.self, forColumn: "key"),
            messageID: try row.decode(String?.self, forColumn: "message_id"),
            token: try row.decode(String?.self, forColumn: "token"),
            fromAddress: try row.decode(String?.self, forColumn: "from_address"),
            outcome: try row.decode(String.self, forColumn: "outcome"),
            answerName: try row.decode(String?.self, forColumn: "answer_name"),
            answer: try row.decode(Data?.self, forColumn: "answer").map { Array($0) },
            receivedAt: try row.decode(Int64.self, forColumn: "received_at")
        )
    }
}
