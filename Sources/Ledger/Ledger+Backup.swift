import Foundation
import GRDB

extension Ledger {
    /// What a backup copied, for the command's summary and for checks.
    public struct BackupSummary: Sendable, Equatable {
        /// The file written.
        public var path: String
        /// Rows of the `record` table (the 台账 itself) in the copy.
        public var records: Int
        /// Rows of the sent-notice audit trail (`handled_notice`) in the copy.
        public var handledNotices: Int
        /// The copy's size in bytes.
        public var bytes: Int
        /// The SHA-256 of every evidence file the copy's records name: the
        /// files a complete backup must hold beside it.
        public var evidenceDigests: Set<String> = []
    }

    /// Copies the ledger into a new file with SQLite's online backup, safe
    /// while the daemon and `plankeeper done` write to it: the copy is one
    /// consistent snapshot (a read transaction of the WAL database, which
    /// no writer waits for). The copy is a single self-contained file
    /// (rollback journal, no `-wal`), checked with `PRAGMA integrity_check`
    /// before it is renamed into place, so a half-written or damaged copy
    /// never bears the final name. `destination` must not exist yet.
    public func backup(to destination: String) throws(LedgerError) -> BackupSummary {
        guard !destination.isEmpty else {
            throw LedgerError.invalid("备份文件路径为空", "the backup file path is empty")
        }
        if FileManager.default.fileExists(atPath: destination) {
            throw LedgerError(
                .invalidInput,
                zh: "备份文件 \(destination) 已存在；请换一个新的文件名或文件夹",
                en: "the backup file \(destination) already exists; choose a new name or folder",
                path: destination
            )
        }
        let partial = destination + ".partial"
        Self.removeDatabaseFiles(partial)
        do {
            let copy = try DatabaseQueue(path: partial)
            try writer.backup(to: copy)
            let summary = try copy.writeWithoutTransaction { db -> BackupSummary in
                // A backup of a WAL database is a WAL database: make the copy
                // one file that any sqlite3 opens read-only from a USB stick.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else {
                    throw LedgerError(
                        .database,
                        zh: "备份副本未通过完整性检查：\(check.prefix(3).joined(separator: "；"))",
                        en: "the backup copy failed its integrity check: \(check.prefix(3).joined(separator: "; "))",
                        path: partial
                    )
                }
                let records = try Int.fetchOne(db, sql: "SELECT count(*) FROM record") ?? 0
                let handled = try Int.fetchOne(db, sql: "SELECT count(*) FROM handled_notice") ?? 0
                let digests =
                    try db.tableExists("evidence")
                    ? Set(String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM evidence")) : []
                return BackupSummary(
                    path: destination,
                    records: records,
                    handledNotices: handled,
                    bytes: 0,
                    evidenceDigests: digests
                )
            }
            try copy.close()
            try Self.syncFile(partial)
            guard rename(partial, destination) == 0 else {
                throw LedgerError(
                    .cannotOpen,
                    zh: "无法将备份改名为 \(destination)：\(String(cString: strerror(errno)))",
                    en: "cannot rename the backup to \(destination): \(String(cString: strerror(errno)))",
                    path: destination
                )
            }
            let size = ((try? FileManager.default.attributesOfItem(atPath: destination))?[.size] as? Int) ?? 0
            var result = summary
            result.bytes = size
            return result
        } catch let error as LedgerError {
            Self.removeDatabaseFiles(partial)
            throw error
        } catch {
            Self.removeDatabaseFiles(partial)
            throw LedgerError.wrapping(error, path: destination, busyTimeout: busyTimeout)
        }
    }

    /// Removes an SQLite file with its `-journal`, `-wal` and `-shm` companions.
    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            unlink(path + suffix)
        }
    }

    /// fsync of a file, so that the rename after it publishes complete bytes.
    static func syncFile(_ path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.synchronize()
    }
}
