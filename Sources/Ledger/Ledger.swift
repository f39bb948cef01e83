import Foundation
import GRDB

/// The ledger (台账): records of work done, the notices already handled, and
/// a little key-value state, in one SQLite file.
///
/// The daemon and the CLI (`plankeeper done`, `undo`) open the same file from
/// different processes at the same time. So the file is in WAL mode (readers
/// never wait for the writer), every connection waits up to a busy timeout
/// for the write lock instead of failing at once, and every write is one
/// short transaction: nobody holds the lock for long, and a crash leaves
/// either all of a batch or none of it.
///
/// All calls are synchronous and brief (milliseconds); an async caller that
/// must never block a cooperative thread can hop to its own executor first.
public struct Ledger: Sendable {
    /// The file name inside the ledger folder.
    public static let fileName = "plankeeper.sqlite"

    /// How long a write waits for another process to finish its transaction
    /// before failing with `LedgerError.Code.busy`. Our own transactions take
    /// milliseconds, so five seconds only runs out when something is wrong
    /// (for example, someone left an `sqlite3` shell open in a transaction).
    public static let defaultBusyTimeout: Duration = .seconds(5)

    /// The connection(s). `DatabasePool` for a file, `DatabaseQueue` in memory.
    let writer: any DatabaseWriter

    /// The database file, or nil when the ledger lives in memory.
    public let path: String?

    /// Opens the ledger in `folder`, creating the folder and the file
    /// `plankeeper.sqlite` if needed, in WAL mode, with migrations applied.
    public static func open(folder: String) throws(LedgerError) -> Ledger {
        try open(folder: folder, busyTimeout: defaultBusyTimeout)
    }

    /// `open(folder:)` with a chosen busy timeout, so tests can see a lock
    /// time out in milliseconds rather than seconds.
    public static func open(folder: String, busyTimeout: Duration) throws(LedgerError) -> Ledger {
        guard !folder.isEmpty else {
            throw LedgerError.invalid("台账文件夹路径为空", "the ledger folder path is empty")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            let reason = Self.reason(error)
            throw LedgerError(
                .cannotCreateFolder,
                zh: "无法创建台账文件夹 \(folder)：\(reason)",
                en: "cannot create the ledger folder \(folder): \(reason)",
                path: folder,
                underlying: String(describing: error)
            )
        }
        let path = folder.hasSuffix("/") ? folder + fileName : folder + "/" + fileName

        // A brand-new file is switched from SQLite's default rollback
        // journal to WAL by whoever opens it first. When the daemon and the
        // CLI do that at the same instant, SQLite may answer "busy" at once,
        // without waiting, to avoid a deadlock between them. So an opening
        // that meets a busy database tries again until the busy timeout is
        // spent; once the file is in WAL mode this never happens again.
        let clock = ContinuousClock()
        let deadline = clock.now + busyTimeout
        while true {
            do {
                return try openOnce(path: path, busyTimeout: busyTimeout)
            } catch let error where error.code == .busy && clock.now < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    private static func openOnce(path: String, busyTimeout: Duration) throws(LedgerError) -> Ledger {
        var config = Configuration()
        config.label = "plankeeper.ledger"
        config.journalMode = .wal
        config.busyMode = .timeout(Self.seconds(busyTimeout))
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // GRDB sets `synchronous = NORMAL` for WAL, which may lose the
            // last commits on power loss. A lost "handled" mark means a
            // notice sent twice, and we write a few rows a day: pay for FULL.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        } catch {
            throw LedgerError.wrapping(error, path: path, busyTimeout: busyTimeout)
        }
        return try Ledger(checkedWriter: pool, path: path)
    }

    /// An empty ledger in memory, for tests.
    public static func inMemory() throws(LedgerError) -> Ledger {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(named: nil)
        } catch {
            throw LedgerError.wrapping(error, path: nil, busyTimeout: nil)
        }
        return try Ledger(checkedWriter: queue, path: nil)
    }

    /// Wraps a connection the caller configured (the `AppDatabase` pattern),
    /// applying migrations. Give it a busy timeout if other processes share the file.
    public init(writer: any DatabaseWriter) throws(LedgerError) {
        let path = writer.path
        try self.init(checkedWriter: writer, path: path.isEmpty || path == ":memory:" ? nil : path)
    }

    /// A connection opened read-only, taken as it is: no migration runs
    /// (see `openReadOnly(folder:)`).
    init(readOnly writer: any DatabaseWriter, path: String) {
        self.writer = writer
        self.path = path
    }

    private init(checkedWriter writer: any DatabaseWriter, path: String?) throws(LedgerError) {
        self.writer = writer
        self.path = path
        try migrate()
    }

    /// Applies the migrations, refusing a file that a newer plankeeper has
    /// migrated further: its schema may mean things this build does not know.
    private func migrate() throws(LedgerError) {
        let migrator = Self.migrator
        let superseded = try read { db in try migrator.hasBeenSuperseded(db) }
        if superseded {
            let shown = path ?? ":memory:"
            throw LedgerError(
                .newerSchema,
                zh: "台账 \(shown) 由更新版本的 plankeeper 创建，当前版本无法安全使用；请升级 plankeeper",
                en: "the ledger \(shown) was written by a newer plankeeper; upgrade plankeeper to use it",
                path: path
            )
        }
        do {
            try migrator.migrate(writer)
        } catch {
            // When the daemon and the CLI open a brand-new file at the same
            // moment, both see no migration applied; the second then fails
            // to create tables the first has just created. The schema is
            // complete all the same, so that failure is not one. With several
            // migrations the first may still be applying the later ones: look
            // again, and migrate again from where the other left off, until
            // it is complete or the busy timeout is spent.
            let clock = ContinuousClock()
            let deadline = clock.now + (busyTimeout ?? .zero)
            var last = error
            while true {
                let complete = (try? writer.read { db in try migrator.hasCompletedMigrations(db) }) ?? false
                if complete { return }
                guard clock.now < deadline else { throw wrapping(last) }
                Thread.sleep(forTimeInterval: 0.02)
                do {
                    try migrator.migrate(writer)
                    return
                } catch {
                    last = error
                }
            }
        }
    }

    // MARK: - Helpers shared by the extensions

    /// The busy timeout the connection was configured with, for messages.
    var busyTimeout: Duration? {
        if case .timeout(let seconds) = writer.configuration.busyMode {
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
        return nil
    }

    func wrapping(_ error: any Error, file: String = #fileID, line: Int = #line) -> LedgerError {
        LedgerError.wrapping(error, path: path, busyTimeout: busyTimeout, file: file, line: line)
    }

    /// One write transaction (BEGIN IMMEDIATE, so a busy lock is waited for
    /// up front rather than failing half-way), errors made readable.
    func write<T>(
        file: String = #fileID,
        line: Int = #line,
        _ body: (Database) throws -> T
    ) throws(LedgerError) -> T {
        do {
            return try writer.write(body)
        } catch {
            throw wrapping(error, file: file, line: line)
        }
    }

    /// One read transaction, errors made readable.
    func read<T>(
        file: String = #fileID,
        line: Int = #line,
        _ body: (Database) throws -> T
    ) throws(LedgerError) -> T {
        do {
            return try writer.read(body)
        } catch {
            throw wrapping(error, file: file, line: line)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The file system's reason ("Not a directory", "Permission denied")
    /// without Foundation's `Error Domain=… Code=…` dump.
    private static func reason(_ error: any Error) -> String {
        let underlying = (error as? CocoaError)?.underlying ?? error
        let nsError = underlying as NSError
        if nsError.domain == NSPOSIXErrorDomain, let text = strerror(Int32(nsError.code)) {
            return String(cString: text)
        }
        return nsError.localizedDescription
    }
}
