import GRDB

extension Ledger {
    /// A small piece of state (for example the instant of the last tick),
    /// or nil when never set.
    public func value(forKey key: String) throws(LedgerError) -> String? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT value FROM state WHERE key = ?", arguments: [key])
                .map { row in try row.decode(String.self, forColumn: "value") }
        }
    }

    /// Sets a piece of state; nil removes it.
    public func setValue(_ value: String?, forKey key: String) throws(LedgerError) {
        guard !key.isEmpty else {
            throw LedgerError.invalid("状态的 key 不能为空", "a state key must not be empty")
        }
        try write { db in
            if let value {
                try db.execute(
                    sql: """
                        INSERT INTO state (key, value) VALUES (?, ?)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value
                        """,
                    arguments: [key, value]
                )
            } else {
                try db.execute(sql: "DELETE FROM state WHERE key = ?", arguments: [key])
            }
        }
    }
}
