import GRDB
import Records

/// A signed-in person on the web desk, as the ledger keeps it.
///
/// The ledger never sees a session's cookie value, only a hash of it (the
/// caller hashes), so a copy of the ledger file — a backup, a support
/// request — hands out no sessions.
public struct WebSession: Sendable, Hashable {
    /// The hash of the cookie value (hex), the row's key.
    public var idHash: String
    /// The signed-in address, lower-cased.
    public var address: String
    /// The form token every POST of this session must carry.
    public var csrf: String
    /// Unix seconds.
    public var createdAt: Int64
    public var lastSeen: Int64
    /// Where the sign-in came from (the client's IP address), for the journal.
    public var client: String

    public init(idHash: String, address: String, csrf: String, createdAt: Int64, lastSeen: Int64, client: String) {
        self.idHash = idHash
        self.address = address
        self.csrf = csrf
        self.createdAt = createdAt
        self.lastSeen = lastSeen
        self.client = client
    }
}

extension Ledger {
    /// Migration `v6`: web sessions, one-time tokens already used, and each
    /// person's language on the web desk.
    static func migrateV6(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE web_session (
                    id_hash TEXT NOT NULL PRIMARY KEY,
                    address TEXT NOT NULL,
                    csrf TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    client TEXT NOT NULL
                );
                CREATE INDEX web_session_on_address ON web_session(address);

                CREATE TABLE used_token (
                    token_hash TEXT NOT NULL PRIMARY KEY,
                    purpose TEXT NOT NULL,
                    used_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                );

                CREATE TABLE web_person (
                    address TEXT NOT NULL PRIMARY KEY,
                    language TEXT NOT NULL
                );

                CREATE TABLE record_attendees (
                    record_id INTEGER NOT NULL PRIMARY KEY,
                    attendees TEXT NOT NULL
                );

                -- The supervision board of a city reads one period's records
                -- of every branch: by period label, not by plan.
                CREATE INDEX record_on_period ON record(period);
                """
        )
    }

    /// Stores a new session.
    public func createSession(_ session: WebSession) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO web_session (id_hash, address, csrf, created_at, last_seen, client)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.idHash, session.address.lowercased(), session.csrf, session.createdAt, session.lastSeen,
                    session.client,
                ]
            )
        }
    }

    /// The session with that hash if it was used within `idleSeconds` of
    /// `now`, else nil (an expired one is deleted).
    ///
    /// Recording each request's time would make every page view a write
    /// (and an fsync): `lastSeen` moves only when it is older than
    /// `touchAfter` seconds, which is precise enough for a 30-day idle limit.
    public func session(
        idHash: String,
        now: Int64,
        idleSeconds: Int64,
        touchAfter: Int64 = 3600
    )
        throws(LedgerError) -> WebSession?
    {
        let found = try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM web_session WHERE id_hash = ?", arguments: [idHash])
                .map(Self.webSession)
        }
        guard let found else { return nil }
        if now - found.lastSeen > idleSeconds {
            try write { db in try db.execute(sql: "DELETE FROM web_session WHERE id_hash = ?", arguments: [idHash]) }
            return nil
        }
        if now - found.lastSeen > touchAfter {
            try write { db in
                try db.execute(sql: "UPDATE web_session SET last_seen = ? WHERE id_hash = ?", arguments: [now, idHash])
            }
            var touched = found
            touched.lastSeen = now
            return touched
        }
        return found
    }

    /// Ends one session (sign out); returns whether it existed.
    @discardableResult
    public func deleteSession(idHash: String) throws(LedgerError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE id_hash = ?", arguments: [idHash])
            return db.changesCount > 0
        }
    }

    /// Ends every session of one address ("sign out everywhere"); returns how many.
    @discardableResult
    public func deleteSessions(address: String) throws(LedgerError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE address = ?", arguments: [address.lowercased()])
            return db.changesCount
        }
    }

    /// How many live sessions an address has (for "signed in on N devices").
    public func sessionCount(address: String) throws(LedgerError) -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM web_session WHERE address = ?",
                arguments: [address.lowercased()]
            ) ?? 0
        }
    }

    /// Marks a one-time token used. Returns true the first time, false when
    /// it was used before: checking and marking are one statement, so two
    /// requests racing with the same link cannot both win. Rows of tokens
    /// expired before `now` are dropped on the way (they can no longer be
    /// presented, so forgetting them is safe).
    public func useToken(hash: String, purpose: String, expiresAt: Int64, now: Int64) throws(LedgerError) -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM used_token WHERE expires_at < ?", arguments: [now])
            try db.execute(
                sql: "INSERT OR IGNORE INTO used_token (token_hash, purpose, used_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [hash, purpose, now, expiresAt]
            )
            return db.changesCount == 1
        }
    }

    /// Whether a one-time token was used already (a page that only shows the
    /// sign-in button asks, without using it).
    public func isTokenUsed(hash: String) throws(LedgerError) -> Bool {
        try read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS(SELECT 1 FROM used_token WHERE token_hash = ?)",
                arguments: [hash]
            ) ?? false
        }
    }

    /// One record by its id, or nil when there is none (undone, or never).
    public func record(id: Int64) throws(LedgerError) -> Record? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM record WHERE id = ?", arguments: [id]) else {
                return nil
            }
            return try Self.withEvidence([try Self.record(row)], db).first
        }
    }

    /// What the supervision board needs of the records whose period label is
    /// one of `periods` (every branch's): which occurrence, done when. Four
    /// columns read by position, no more: a city's month is ten thousand rows.
    public func completions(
        periods: Set<String>
    ) throws(LedgerError) -> [(plan: String, item: String, period: String, doneOn: String)] {
        guard !periods.isEmpty else { return [] }
        let labels = periods.sorted()
        return try read { db in
            let marks = Array(repeating: "?", count: labels.count).joined(separator: ",")
            var out: [(plan: String, item: String, period: String, doneOn: String)] = []
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT plan, item, period, done_on FROM record WHERE period IN (\(marks)) ORDER BY id",
                arguments: StatementArguments(labels)
            )
            while let row = try rows.next() {
                // `decode`, not the subscript: a value of the wrong type written
                // by hand throws rather than traps.
                out.append(
                    (
                        try row.decode(String.self, atIndex: 0), try row.decode(String.self, atIndex: 1),
                        try row.decode(String.self, atIndex: 2), try row.decode(String.self, atIndex: 3)
                    )
                )
            }
            return out
        }
    }

    /// A cheap fingerprint of the records of some plans: how many there are
    /// and the highest id. Any record added (ids only grow) or removed
    /// changes it, so a page built from those records can be kept until it
    /// does (the web desk's 我的待办).
    public func recordVersion(plans: [String]) throws(LedgerError) -> String {
        guard !plans.isEmpty else { return "0/0" }
        return try read { db in
            let marks = Array(repeating: "?", count: plans.count).joined(separator: ",")
            let row = try Row.fetchOne(
                db,
                sql: "SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM record WHERE plan IN (\(marks))",
                arguments: StatementArguments(plans)
            )
            let n = try row?.decode(Int64.self, forColumn: "n") ?? 0
            let m = try row?.decode(Int64.self, forColumn: "m") ?? 0
            return "\(n)/\(m)"
        }
    }

    /// Adds several records in one transaction (all or none): the web
    /// desk's acknowledgement of history in bulk.
    @discardableResult
    public func addRecords(_ records: [NewRecord]) throws(LedgerError) -> Int {
        for record in records { try Self.validate(record) }
        return try write { db in
            for record in records {
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
            }
            return records.count
        }
    }

    /// Keeps who attended, next to a record (the web form's optional field).
    public func setAttendees(recordID: Int64, attendees: String) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO record_attendees (record_id, attendees) VALUES (?, ?)",
                arguments: [recordID, attendees]
            )
        }
    }

    /// Attendees per record id, for the records given.
    public func attendees(recordIDs: [Int64]) throws(LedgerError) -> [Int64: String] {
        guard !recordIDs.isEmpty else { return [:] }
        return try read { db in
            var result: [Int64: String] = [:]
            for chunk in stride(from: 0, to: recordIDs.count, by: 500) {
                let ids = Array(recordIDs[chunk..<min(chunk + 500, recordIDs.count)])
                let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT record_id, attendees FROM record_attendees WHERE record_id IN (\(marks))",
                    arguments: StatementArguments(ids)
                )
                for row in rows {
                    result[try row.decode(Int64.self, forColumn: "record_id")] = try row.decode(
                        String.self,
                        forColumn: "attendees"
                    )
                }
            }
            return result
        }
    }

    /// Deletes sessions idle for longer than `idleSeconds`; returns how many.
    @discardableResult
    public func pruneSessions(now: Int64, idleSeconds: Int64) throws(LedgerError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE last_seen < ?", arguments: [now - idleSeconds])
            return db.changesCount
        }
    }

    /// The language a person chose on the web desk (`zh`, `en`), if any.
    public func webLanguage(address: String) throws(LedgerError) -> String? {
        try read { db in
            try String.fetchOne(
                db,
                sql: "SELECT language FROM web_person WHERE address = ?",
                arguments: [address.lowercased()]
            )
        }
    }

    public func setWebLanguage(address: String, language: String) throws(LedgerError) {
        try write { db in
            try db.execute(
                sql:
                    "INSERT INTO web_person (address, language) VALUES (?, ?) ON CONFLICT(address) DO UPDATE SET language = excluded.language",
                arguments: [address.lowercased(), language]
            )
        }
    }

    /// Opens the ledger in `folder` like `open(folder:)`, waiting at most
    /// `busyTimeout` for another process's write lock: a web page would
    /// rather say "busy, try again" after a few seconds than hang.
    public static func open(folder: String, waitingAtMost busyTimeout: Duration) throws(LedgerError) -> Ledger {
        try open(folder: folder, busyTimeout: busyTimeout)
    }

    static func webSession(_ row: Row) throws -> WebSession {
        WebSession(
            idHash: try row.decode(String.self, forColumn: "id_hash"),
            address: try row.decode(String.self, forColumn: "address"),
            csrf: try row.decode(String.self, forColumn: "csrf"),
            createdAt: try row.decode(Int64.self, forColumn: "created_at"),
            lastSeen: try row.decode(Int64.self, forColumn: "last_seen"),
            client: try row.decode(String.self, forColumn: "client")
        )
    }
}
