import GRDB

extension Ledger {
    /// The state key under which the tracking start is kept once known.
    public static let trackingStartKey = "tracking-start"

    /// When the first notice was handled (Unix seconds), or nil for a ledger
    /// that never ticked: the tracking start of a ledger written before the
    /// start was recorded.
    public func firstHandledAt() throws(LedgerError) -> Int64? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(handled_at) FROM handled_notice")
        }
    }

    /// Per recipient, the latest day (`YYYY-MM-DD`) before `day` on which a
    /// notice of `kind` was handled: each supervisor's previous digest, for
    /// what is new since.
    public func lastHandledDays(kind: String, before day: String) throws(LedgerError) -> [String: String] {
        try read { db in
            var out: [String: String] = [:]
            let rows = try Row.fetchAll(
                db, sql: "SELECT recipient, MAX(scheduled_for) AS day FROM handled_notice WHERE kind = ? AND scheduled_for < ? GROUP BY recipient",
                arguments: [kind, day])
            for row in rows {
                if let recipient: String = row["recipient"], let last: String = row["day"] { out[recipient] = last }
            }
            return out
        }
    }
}
