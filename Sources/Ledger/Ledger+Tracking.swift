import GRDB
import WorkCalendar

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

    /// When tracking started (issue 15): `trackFrom` (the configuration's
    /// `track-from:`, at 00:00), else the start kept in the state table,
    /// else the first handled notice (a ledger from before the start was
    /// kept), turned into local time by `local`; else `now`, when given.
    /// With `record`, a start found this way is kept, so it never moves.
    /// `tick`, the daemon, `status`, `report`, `done --history` and the web
    /// desk all ask here; nil only for a ledger that never ticked, asked
    /// without `now`.
    public func trackingStart(
        trackFrom: WorkCalendar.CivilDate?,
        now: LocalTime?,
        record: Bool,
        local: (Int64) -> LocalTime
    ) throws(LedgerError) -> LocalTime? {
        if let trackFrom { return LocalTime(date: trackFrom, minute: 0) }
        if let kept = try value(forKey: Self.trackingStartKey), let start = LocalTime(parsing: kept) { return start }
        var start = now
        if let first = try firstHandledAt() {
            let firstTick = local(first)
            start = start.map { min($0, firstTick) } ?? firstTick
        }
        if record, let start { try setValue(start.description, forKey: Self.trackingStartKey) }
        return start
    }

    /// Per recipient, the latest day (`YYYY-MM-DD`) before `day` on which a
    /// notice of `kind` was handled: each supervisor's previous digest, for
    /// what is new since.
    public func lastHandledDays(kind: String, before day: String) throws(LedgerError) -> [String: String] {
        try read { db in
            var out: [String: String] = [:]
            let rows = try Row.fetchAll(
                db,
                sql:
                    "SELECT recipient, MAX(scheduled_for) AS day FROM handled_notice WHERE kind = ? AND scheduled_for < ? GROUP BY recipient",
                arguments: [kind, day]
            )
            for row in rows {
                if let recipient: String = row["recipient"], let last: String = row["day"] { out[recipient] = last }
            }
            return out
        }
    }
}
