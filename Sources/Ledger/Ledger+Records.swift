import GRDB
import Vocabulary

extension Ledger {
    /// Records a piece of work done and returns it with its new id.
    ///
    /// Several records may share a key: that is how an item to be done
    /// several times in a period is counted.
    public func addRecord(_ record: NewRecord) throws(LedgerError) -> Record {
        try Self.validate(record)
        return try write { db in
            try db.execute(
                sql: """
                    INSERT INTO record (plan, item, period, done_on, "by", note, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.plan, record.item, record.period, record.doneOn, record.by, record.note,
                    record.recordedAt,
                ])
            return Record(
                id: db.lastInsertedRowID, plan: record.plan, item: record.item, period: record.period,
                doneOn: record.doneOn, by: record.by, note: record.note, recordedAt: record.recordedAt)
        }
    }

    /// Removes the most recently added record for a key (what `undo` means)
    /// and returns it, or nil when the key has none. Finding and deleting
    /// happen in one transaction, so two `undo`s never remove the same row.
    @discardableResult
    public func removeLatestRecord(plan: String, item: String, period: String) throws(LedgerError) -> Record? {
        try write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM record WHERE plan = ? AND item = ? AND period = ?
                    ORDER BY id DESC LIMIT 1
                    """,
                arguments: [plan, item, period])
            guard let row = rows.first else { return nil }
            let record = try Self.record(row)
            try db.execute(sql: "DELETE FROM record WHERE id = ?", arguments: [record.id])
            return record
        }
    }

    /// All records, or one plan's, ordered by plan, item, period, then id
    /// (the order they were added in), so listings are stable.
    public func records(plan: String? = nil) throws(LedgerError) -> [Record] {
        try read { db in
            let rows: [Row]
            if let plan {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM record WHERE plan = ? ORDER BY plan, item, period, id",
                    arguments: [plan])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM record ORDER BY plan, item, period, id")
            }
            return try rows.map(Self.record)
        }
    }

    /// The records of one key, oldest first.
    public func records(for key: OccurrenceKey) throws(LedgerError) -> [Record] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM record WHERE plan = ? AND item = ? AND period = ? ORDER BY id",
                arguments: [key.plan, key.item, key.period]
            ).map(Self.record)
        }
    }

    /// How many records each key has (keys with none are absent), so the
    /// notice policy can tell "done", "done 2 of 3 times" and "not done"
    /// with one query.
    public func completionCounts(plan: String? = nil) throws(LedgerError) -> [OccurrenceKey: Int] {
        try read { db in
            let sql = """
                SELECT plan, item, period, COUNT(*) AS n FROM record
                \(plan == nil ? "" : "WHERE plan = ?")
                GROUP BY plan, item, period
                """
            let rows = try Row.fetchAll(db, sql: sql, arguments: plan.map { [$0] } ?? [])
            var counts: [OccurrenceKey: Int] = [:]
            for row in rows {
                let key = OccurrenceKey(
                    plan: try row.decode(String.self, forColumn: "plan"),
                    item: try row.decode(String.self, forColumn: "item"),
                    period: try row.decode(String.self, forColumn: "period"))
                counts[key] = try row.decode(Int.self, forColumn: "n")
            }
            return counts
        }
    }

    // MARK: - Private

    /// Decodes with `decode`, which throws, rather than the row subscript,
    /// which traps on a value of the wrong type (say, a NULL written by hand
    /// with the sqlite3 shell).
    static func record(_ row: Row) throws -> Record {
        Record(
            id: try row.decode(Int64.self, forColumn: "id"),
            plan: try row.decode(String.self, forColumn: "plan"),
            item: try row.decode(String.self, forColumn: "item"),
            period: try row.decode(String.self, forColumn: "period"),
            doneOn: try row.decode(String.self, forColumn: "done_on"),
            by: try row.decode(String?.self, forColumn: "by"),
            note: try row.decode(String?.self, forColumn: "note"),
            recordedAt: try row.decode(Int64.self, forColumn: "recorded_at"))
    }

    static func validate(_ record: NewRecord) throws(LedgerError) {
        for (name, value) in [("plan", record.plan), ("item", record.item), ("period", record.period)]
        where value.isEmpty {
            throw LedgerError.invalid("记录的 \(name) 不能为空", "a record's \(name) must not be empty")
        }
        guard CivilDate.isValid(record.doneOn) else {
            throw LedgerError.invalid(
                "完成日期“\(record.doneOn)”不是有效日期，应为 YYYY-MM-DD",
                "the done date \"\(record.doneOn)\" is not a valid date; expected YYYY-MM-DD")
        }
    }
}
