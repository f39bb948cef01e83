import Foundation
import GRDB

/// Another process's long write transaction on the ledger file, as an
/// `sqlite3` shell left open in `BEGIN IMMEDIATE` would hold it.
struct GRDBHolder {
    let queue: DatabaseQueue

    init(path: String) throws {
        queue = try DatabaseQueue(path: path)
    }

    func whileLocked<T>(_ body: () throws -> T) throws -> T {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO state (key, value) VALUES ('holder', 'x')")
            return try body()
        }
    }
}
