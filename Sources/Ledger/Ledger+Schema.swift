import GRDB

extension Ledger {
    /// The one migrator. A migration that has shipped is never edited: change
    /// the schema by appending a new one ("v2", …). Table names are literal
    /// so that renaming a Swift type can never change what a migration does.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1") { db in
            // One row per piece of work done. AUTOINCREMENT so that an id,
            // once shown to someone, never comes back after `undo`.
            try db.execute(
                sql: """
                    CREATE TABLE record (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        plan TEXT NOT NULL,
                        item TEXT NOT NULL,
                        period TEXT NOT NULL,
                        done_on TEXT NOT NULL,
                        "by" TEXT,
                        note TEXT,
                        recorded_at INTEGER NOT NULL
                    );
                    CREATE INDEX record_on_plan_item_period ON record(plan, item, period);

                    CREATE TABLE handled_notice (
                        key TEXT NOT NULL PRIMARY KEY,
                        plan TEXT NOT NULL,
                        item TEXT NOT NULL,
                        period TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        recipient TEXT NOT NULL,
                        scheduled_for TEXT NOT NULL,
                        disposition TEXT NOT NULL,
                        handled_at INTEGER NOT NULL
                    );
                    CREATE INDEX handled_notice_on_plan ON handled_notice(plan);

                    CREATE TABLE state (
                        key TEXT NOT NULL PRIMARY KEY,
                        value TEXT NOT NULL
                    );
                    """
            )
        }

        migrator.registerMigration("v2") { db in
            // Per occurrence and notice stream (staff notices, escalation):
            // the date of the latest candidate already dealt with. The
            // candidates of a stream are handled in date order, all at once,
            // so one date stands for all of them: the ledger grows with the
            // occurrences, not with every superseded reminder and overdue
            // repeat. `id` is the FNV-1a hash the notice policy looks up.
            try db.execute(
                sql: """
                    CREATE TABLE notice_mark (
                        id INTEGER NOT NULL PRIMARY KEY,
                        plan TEXT NOT NULL,
                        item TEXT NOT NULL,
                        period TEXT NOT NULL,
                        stream TEXT NOT NULL,
                        through TEXT NOT NULL,
                        day INTEGER NOT NULL
                    );
                    """
            )
        }

        migrator.registerMigration("v3") { db in
            // How far up the kinds of a stream the mark reaches (reminder 0,
            // due 1, overdue 2; 3 = every kind), next to its date: a deadline
            // moved earlier than a reminder already sent still gets its due
            // notice. Marks written before knew only dates: 3 keeps their meaning.
            try db.execute(sql: "ALTER TABLE notice_mark ADD COLUMN rank INTEGER NOT NULL DEFAULT 3")
        }

        migrator.registerMigration("v4") { db in
            // Where a record came from (issue 16): `cli`, `mail` or `web`, and the
            // address of whoever made it by mail or on the web (for undo); its
            // evidence files, by SHA-256 in the evidence store, with the sender's
            // name and type as text. Records made before are the command line's.
            try db.execute(
                sql: """
                    ALTER TABLE record ADD COLUMN source TEXT NOT NULL DEFAULT 'cli';
                    ALTER TABLE record ADD COLUMN by_address TEXT;
                    CREATE TABLE evidence (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        type TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        sha256 TEXT NOT NULL
                    );
                    CREATE INDEX evidence_on_record ON evidence(record_id);
                    """
            )
        }

        migrator.registerMigration("v5") { db in
            // Mail received by `mail-in`, once per message and token (postfix
            // retries, a user sending twice), with the answer as spooled, so a
            // crash between the ledger and the spool re-spools the same answer.
            // And the digests sent with a reply token: their numbered lines,
            // which a reply "完成 1 3 5-7" names.
            try db.execute(
                sql: """
                    CREATE TABLE inbound_message (
                        key TEXT NOT NULL PRIMARY KEY,
                        message_id TEXT,
                        token TEXT,
                        from_address TEXT,
                        outcome TEXT NOT NULL,
                        answer_name TEXT,
                        answer BLOB,
                        received_at INTEGER NOT NULL
                    );
                    CREATE INDEX inbound_message_on_from ON inbound_message(from_address, received_at);

                    CREATE TABLE sent_digest (
                        id INTEGER NOT NULL PRIMARY KEY,
                        recipient TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        sent_on TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE sent_digest_line (
                        digest_id INTEGER NOT NULL REFERENCES sent_digest(id) ON DELETE CASCADE,
                        number INTEGER NOT NULL,
                        plan TEXT NOT NULL,
                        item TEXT NOT NULL,
                        period TEXT NOT NULL,
                        PRIMARY KEY (digest_id, number)
                    );
                    """
            )
        }

        return migrator
    }
}
