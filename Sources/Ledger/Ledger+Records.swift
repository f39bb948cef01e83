import GRDB
import Records
import Vocabulary

extension Ledger {
    /// Records a piece of work done and returns it with its new id.
    ///
    /// Several records may share a key: that is how an item to be done
    /// several times in a period is counted.
    public func addRecord(_ record: NewRecord) throws(LedgerError) -> Record {
        try Self.validate(record)
        return try write { db in try Self.insert(record, db) }
    }

    /// Inserts a record and its evidence rows inside a transaction.
    static func insert(_ record: NewRecord, _ db: Database) throws -> Record {
        try db.execute(
            sql: """
                INSERT INTO record (plan, item, period, done_on, "by", note, recorded_at, source, by_address)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.plan, record.item, record.period, record.doneOn, record.by, record.note,
                record.recordedAt, record.source.rawValue, record.byAddress,
            ]
        )
        let id = db.lastInsertedRowID
        for file in record.evidence {
            try db.execute(
                sql: "INSERT INTO evidence (record_id, name, type, size, sha256) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, file.name, file.type, file.size, file.sha256]
            )
        }
        return Record(
            id: id,
            plan: record.plan,
            item: record.item,
            period: record.period,
            doneOn: record.doneOn,
            by: record.by,
            note: record.note,
            recordedAt: record.recordedAt,
            source: record.source,
            byAddress: record.byAddress,
            evidence: record.evidence
        )
    }

    /// Removes one record (and its evidence rows; the files stay in the
    /// store, which may share them) and returns it, or nil when it is gone.
    @discardableResult
    public func removeRecord(id: Int64) throws(LedgerError) -> Record? {
        try write { db in try Self.remove(id: id, db) }
    }

    static func remove(id: Int64, _ db: Database) throws -> Record? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM record WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let record = try withEvidence([try Self.record(row)], db)[0]
        try db.execute(sql: "DELETE FROM evidence WHERE record_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM record WHERE id = ?", arguments: [id])
        return record
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
                arguments: [plan, item, period]
            )
            guard let row = rows.first else { return nil }
            return try Self.remove(id: try Self.record(row).id, db)
        }
    }

    /// All records, or one plan's, ordered by plan, item, period, then id
    /// (the order they were added in), so listings are stable.
    public func records(plan: String? = nil) throws(LedgerError) -> [Record] {
        try read { db in
            let rows: [Row]
            if let plan {
                rows = try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM record WHERE plan = ? ORDER BY plan, item, period, id",
                    arguments: [plan]
                )
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM record ORDER BY plan, item, period, id")
            }
            return try Self.withEvidence(try rows.map(Self.record), db)
        }
    }

    /// The records of one key, oldest first.
    public func records(for key: OccurrenceKey) throws(LedgerError) -> [Record] {
        try read { db in
            let records = try Row.fetchAll(
                db,
                sql: "SELECT * FROM record WHERE plan = ? AND item = ? AND period = ? ORDER BY id",
                arguments: [key.plan, key.item, key.period]
            ).map(Self.record)
            return try Self.withEvidence(records, db)
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
                    period: try row.decode(String.self, forColumn: "period")
                )
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
            recordedAt: try row.decode(Int64.self, forColumn: "recorded_at"),
            // A source written by a newer plankeeper or by hand reads as the command line's.
            source: RecordSource(rawValue: try row.decode(String.self, forColumn: "source")) ?? .cli,
            byAddress: try row.decode(String?.self, forColumn: "by_address")
        )
    }

    /// The records with their evidence rows filled in (one query for all).
    static func withEvidence(_ records: [Record], _ db: Database) throws -> [Record] {
        guard !records.isEmpty else { return records }
        var files: [Int64: [RecordEvidence]] = [:]
        let rows: [Row]
        if records.count == 1 {
            rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM evidence WHERE record_id = ? ORDER BY id",
                arguments: [records[0].id]
            )
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT * FROM evidence ORDER BY id")
        }
        for row in rows {
            let file = RecordEvidence(
                name: try row.decode(String.self, forColumn: "name"),
                type: try row.decode(String.self, forColumn: "type"),
                size: try row.decode(Int.self, forColumn: "size"),
                sha256: try row.decode(String.self, forColumn: "sha256")
            )
            files[try row.decode(Int64.self, forColumn: "record_id"), default: []].append(file)
        }
        return records.map { record in
            var copy = record
            copy.evidence = files[record.id] ?? []
            return copy
        }
    }

    static func validate(_ record: NewRecord) throws(LedgerError) {
        for (name, value) in [("plan", record.plan), ("item", record.item), ("period", record.period)]
        where value.isEmpty {
            throw LedgerError.invalid("记录的 \(name) 不能为空", "a record's \(name) must not be empty")
        }
        for file in record.evidence
        where file.size < 0 || file.sha256.utf8.count != 64
            || !file.sha256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        {
            throw LedgerError.invalid(
                "证据文件“\(file.name)”的 SHA-256 或大小无效",
                "the evidence file \"\(file.name)\" has an invalid SHA-256 or size"
            )
        }
        guard CivilDate.isValid(record.doneOn) else {
            throw LedgerError.invalid(
                "完成日期“\(record.doneOn)”不是有效日期，应为 YYYY-MM-DD",
                "the done date \"\(record.doneOn)\" is not a valid date; expected YYYY-MM-DD"
            )
        }
    }
}
