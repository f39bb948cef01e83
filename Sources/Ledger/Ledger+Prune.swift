import GRDB

extension Ledger {
    /// Deletes the sent-notice audit rows (`handled_notice`) of notices
    /// scheduled before `day`, and nothing else (both dates `YYYY-MM-DD`): records of
    /// work done, the notice marks that keep a notice from going out twice,
    /// and evidence are never touched. Returns how many rows went.
    ///
    /// The daemon reads these rows only for today's digests, so any day up
    /// to today is safe; a later one is refused. The rows go in short
    /// transactions of `batch` rowids each, so that the daemon and
    /// `plankeeper done`, which share the file, never wait long for the
    /// write lock (a city has about two million rows a year).
    @discardableResult
    public func pruneHandledNotices(
        before day: String,
        today: String,
        batch: Int = 5_000
    )
        throws(LedgerError) -> Int
    {
        for date in [day, today] where !CivilDate.isValid(date) {
            throw LedgerError.invalid("日期“\(date)”无效，应写作 YYYY-MM-DD", "'\(date)' is not a date; write YYYY-MM-DD")
        }
        guard day <= today else {
            throw LedgerError.invalid(
                "不能清理今天（\(today)）之后的发送记录：今天的汇总邮件还要用到它们",
                "cannot prune sent-notice rows after today (\(today)): today's digests still need them"
            )
        }
        let bounds = try read { db in
            try Row.fetchOne(db, sql: "SELECT min(rowid) AS low, max(rowid) AS high FROM handled_notice")
        }
        guard let low: Int64 = bounds?["low"], let high: Int64 = bounds?["high"] else { return 0 }
        let cutoff = day
        var deleted = 0
        var start = low
        while start <= high {
            let end = start + Int64(max(batch, 1)) - 1
            deleted += try write { db in
                try db.execute(
                    sql: "DELETE FROM handled_notice WHERE rowid BETWEEN ? AND ? AND scheduled_for < ?",
                    arguments: [start, end, cutoff]
                )
                return db.changesCount
            }
            start = end + 1
        }
        return deleted
    }

    /// How many sent-notice audit rows are older than `day`: what a prune would delete.
    public func countHandledNotices(before day: String) throws(LedgerError) -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM handled_notice WHERE scheduled_for < ?",
                arguments: [day]
            )
                ?? 0
        }
    }
}
