import GRDB
import Vocabulary

/// How far one notice stream of one occurrence has been dealt with.
public struct NoticeMarkRow: Sendable, Hashable {
    /// The notice policy's 64-bit id of (occurrence, stream), stored bit for bit.
    public var id: Int64
    public var plan: String
    public var item: String
    public var period: String
    public var stream: String
    /// `YYYY-MM-DD`, for people reading the database.
    public var through: String
    /// The same date as a day number, for the policy.
    public var day: Int32
    /// The highest kind of notice dealt with in the stream (the policy's
    /// rank: reminder 0, due 1, overdue 2; 3 for marks from before v3).
    public var rank: Int32

    public init(
        id: Int64,
        plan: String,
        item: String,
        period: String,
        stream: String,
        through: String,
        day: Int32,
        rank: Int32 = 3
    ) {
        self.id = id
        self.plan = plan
        self.item = item
        self.period = period
        self.stream = stream
        self.through = through
        self.day = day
        self.rank = rank
    }
}

extension Ledger {
    /// Every stream mark: what a tick loads to skip notices already dealt with.
    public func noticeMarks() throws(LedgerError) -> [(id: Int64, day: Int32, rank: Int32)] {
        try read { db in
            var out: [(id: Int64, day: Int32, rank: Int32)] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, day, rank FROM notice_mark")
            while let row = try rows.next() {
                out.append((row[0], row[1], row[2]))
            }
            return out
        }
    }

    /// Records one tick's outcome in one transaction: the notices sent (an
    /// audit trail, and the keys of one-off messages such as digests) and
    /// the stream marks, which only ever move forward (date and rank each
    /// keep the larger of the old and the new value).
    ///
    /// `marks` may be a lazy view: a catching-up tick of a city writes
    /// 300,000 of them, and they need not all exist as rows at once.
    public func recordTick(handled: [HandledNoticeRow], marks: some Collection<NoticeMarkRow>) throws(LedgerError) {
        for notice in handled {
            try Self.validate(notice)
        }
        if handled.isEmpty && marks.isEmpty { return }
        try write { db in
            _ = try Self.insert(handled, into: db)
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO notice_mark (id, plan, item, period, stream, through, day, rank)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET
                        through = CASE WHEN excluded.day > notice_mark.day THEN excluded.through ELSE notice_mark.through END,
                        day = MAX(notice_mark.day, excluded.day),
                        rank = MAX(notice_mark.rank, excluded.rank)
                    WHERE excluded.day > notice_mark.day OR excluded.rank > notice_mark.rank
                    """
            )
            for m in marks {
                try upsert.execute(arguments: [m.id, m.plan, m.item, m.period, m.stream, m.through, m.day, m.rank])
            }
        }
    }

    /// The keys of the handled notices of one kind scheduled on or after a
    /// day (`YYYY-MM-DD`): today's digests, without loading the whole trail.
    public func handledNoticeKeys(kind: String, scheduledFrom day: String) throws(LedgerError) -> Set<String> {
        try read { db in
            try String.fetchSet(
                db,
                sql: "SELECT key FROM handled_notice WHERE kind = ? AND scheduled_for >= ?",
                arguments: [kind, day]
            )
        }
    }
}
