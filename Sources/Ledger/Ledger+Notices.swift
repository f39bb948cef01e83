import GRDB
import Vocabulary

extension Ledger {
    /// Marks a batch of notices handled, all or none, in one short transaction.
    ///
    /// Idempotent (`INSERT OR IGNORE`): marking a notice again, after a crash
    /// between spooling and marking for instance, keeps the first mark.
    /// Returns the keys that were not already marked, in the batch's order,
    /// so a caller can log what is new.
    @discardableResult
    public func markHandled(_ notices: [HandledNoticeRow]) throws(LedgerError) -> [String] {
        for notice in notices {
            try Self.validate(notice)
        }
        if notices.isEmpty { return [] }
        return try write { db in try Self.insert(notices, into: db) }
    }

    /// `INSERT OR IGNORE`s the notices; returns the keys that were new.
    static func insert(_ notices: [HandledNoticeRow], into db: Database) throws -> [String] {
        var inserted: [String] = []
        let statement = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO handled_notice
                    (key, plan, item, period, kind, recipient, scheduled_for, disposition, handled_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        for notice in notices {
            try statement.execute(arguments: [
                notice.key, notice.plan, notice.item, notice.period, notice.kind, notice.recipient,
                notice.scheduledFor, notice.disposition.rawValue, notice.handledAt,
            ])
            if db.changesCount > 0 { inserted.append(notice.key) }
        }
        return inserted
    }

    /// The keys of every handled notice, or of one plan's: what the daemon
    /// loads once per tick to skip notices already dealt with.
    public func handledNoticeKeys(plan: String? = nil) throws(LedgerError) -> Set<String> {
        try read { db in
            if let plan {
                return try String.fetchSet(db, sql: "SELECT key FROM handled_notice WHERE plan = ?", arguments: [plan])
            }
            return try String.fetchSet(db, sql: "SELECT key FROM handled_notice")
        }
    }

    /// Whether one notice has been handled.
    public func isHandled(_ key: String) throws(LedgerError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM handled_notice WHERE key = ?)", arguments: [key])
                ?? false
        }
    }

    /// The handled notices in full, or one plan's, ordered by date then key:
    /// for status listings and audits of what went out.
    public func handledNotices(plan: String? = nil) throws(LedgerError) -> [HandledNoticeRow] {
        try read { db in
            let rows: [Row]
            if let plan {
                rows = try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM handled_notice WHERE plan = ? ORDER BY scheduled_for, key",
                    arguments: [plan]
                )
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM handled_notice ORDER BY scheduled_for, key")
            }
            return try rows.map { row in
                let disposition = try row.decode(String.self, forColumn: "disposition")
                guard let known = NoticeDisposition(rawValue: disposition) else {
                    throw LedgerError.invalid(
                        "未知的通知处理方式“\(disposition)”",
                        "unknown notice disposition \"\(disposition)\""
                    )
                }
                return HandledNoticeRow(
                    key: try row.decode(String.self, forColumn: "key"),
                    plan: try row.decode(String.self, forColumn: "plan"),
                    item: try row.decode(String.self, forColumn: "item"),
                    period: try row.decode(String.self, forColumn: "period"),
                    kind: try row.decode(String.self, forColumn: "kind"),
                    recipient: try row.decode(String.self, forColumn: "recipient"),
                    scheduledFor: try row.decode(String.self, forColumn: "scheduled_for"),
                    disposition: known,
                    handledAt: try row.decode(Int64.self, forColumn: "handled_at")
                )
            }
        }
    }

    /// Checked before the transaction opens, so a bad notice anywhere in a
    /// batch leaves the ledger untouched.
    static func validate(_ notice: HandledNoticeRow) throws(LedgerError) {
        guard !notice.key.isEmpty else {
            throw LedgerError.invalid("通知的 key 不能为空", "a notice's key must not be empty")
        }
        guard CivilDate.isValid(notice.scheduledFor) else {
            throw LedgerError.invalid(
                "通知 \(notice.key) 的计划日期“\(notice.scheduledFor)”不是有效日期，应为 YYYY-MM-DD",
                "the scheduled date \"\(notice.scheduledFor)\" of notice \(notice.key) is not a valid date; expected YYYY-MM-DD"
            )
        }
    }
}
