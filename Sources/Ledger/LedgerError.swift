import GRDB
import Vocabulary

/// Why the ledger (台账) could not do what was asked, in words an office
/// worker running `plankeeper done` or an admin reading the journal can act on.
///
/// A struct wrapping a private code enum (as swift-service-lifecycle does) so
/// that new kinds of failure break no caller's `switch`. The Chinese and English
/// texts are produced here, where the cause is known; `description` gives both
/// so the message is readable wherever it ends up, and `debugDescription` adds
/// the source position and SQLite's own words for bug reports.
public struct LedgerError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is, for callers that react differently
    /// (for example: retry later on `.busy`, give up on `.cannotOpen`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case busy
            case cannotCreateFolder
            case cannotOpen
            case readOnly
            case diskFull
            case notALedger
            case newerSchema
            case invalidInput
            case database
        }

        private var base: Base

        private init(_ base: Base) { self.base = base }

        public var description: String { base.rawValue }

        /// Another connection (the daemon or another CLI run) held the write
        /// lock longer than the busy timeout. Transient: trying again later works.
        public static let busy = Code(.busy)
        /// The ledger's folder does not exist and could not be created.
        public static let cannotCreateFolder = Code(.cannotCreateFolder)
        /// SQLite could not open the ledger file.
        public static let cannotOpen = Code(.cannotOpen)
        /// The file or its folder is not writable by this process.
        public static let readOnly = Code(.readOnly)
        /// The disk is full.
        public static let diskFull = Code(.diskFull)
        /// The file is not an SQLite database or is damaged.
        public static let notALedger = Code(.notALedger)
        /// The file was migrated by a newer plankeeper than this one.
        public static let newerSchema = Code(.newerSchema)
        /// A value passed in was rejected before touching the database.
        public static let invalidInput = Code(.invalidInput)
        /// Any other database failure.
        public static let database = Code(.database)
    }

    /// The kind of failure.
    public let code: Code
    /// The message in Chinese, the language of the people who read it.
    public let zh: String
    /// The same message in English, for admins who ask for it.
    public let en: String
    /// Both, to be said in the configured language.
    public var message: Message { Message(zh: zh, en: en) }
    /// The folder or database file concerned, when there is one.
    public let path: String?
    /// The lower layer's own text (SQLite's message, the file system's error),
    /// kept for diagnosis.
    public let underlying: String?
    /// Where in this module the error was raised.
    public let file: String
    public let line: Int

    init(
        _ code: Code,
        zh: String,
        en: String,
        path: String? = nil,
        underlying: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.zh = zh
        self.en = en
        self.path = path
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// Chinese first, then English, on one line: no Swift type dump ever
    /// reaches a user.
    public var description: String { "\(zh) (\(en))" }

    public var debugDescription: String {
        var text = "LedgerError(\(code)) at \(file):\(line): \(en)"
        if let underlying { text += " [\(underlying)]" }
        return text
    }
}

extension LedgerError {
    /// Turns whatever a database call threw into a `LedgerError` that names
    /// the file and, for a lock, says plainly that the database is busy.
    static func wrapping(
        _ error: any Error,
        path: String?,
        busyTimeout: Duration?,
        file: String = #fileID,
        line: Int = #line
    ) -> LedgerError {
        if let error = error as? LedgerError { return error }
        let shown = path ?? ":memory:"
        guard let error = error as? DatabaseError else {
            return LedgerError(
                .database,
                zh: "读写台账 \(shown) 失败：\(String(describing: error))",
                en: "cannot read or write the ledger \(shown): \(String(describing: error))",
                path: path,
                underlying: String(describing: error),
                file: file,
                line: line
            )
        }
        let sqlite = error.message ?? "\(error.resultCode)"
        // SQLite's message with its extended code: BUSY_RECOVERY, BUSY_SNAPSHOT
        // and a plain BUSY call for different fixes.
        let detail = "\(sqlite) (extended result code \(error.extendedResultCode.rawValue))"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            let waited = busyTimeout.map { " \(seconds($0)) 秒" } ?? ""
            let waitedEn = busyTimeout.map { " for \(seconds($0)) s" } ?? ""
            return LedgerError(
                .busy,
                zh: "数据库被占用：另一个 plankeeper 进程（守护进程或命令行）正在写入台账 \(shown)，已等待\(waited)仍未释放；请稍后重试",
                en: "database is locked: another plankeeper process (daemon or CLI) is writing the ledger \(shown); "
                    + "waited\(waitedEn) without getting it; try again shortly",
                path: path,
                underlying: detail,
                file: file,
                line: line
            )
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return LedgerError(
                .cannotOpen,
                zh: "无法打开台账文件 \(shown)：\(sqlite)；请检查路径和权限",
                en: "cannot open the ledger file \(shown): \(sqlite); check the path and its permissions",
                path: path,
                underlying: detail,
                file: file,
                line: line
            )
        case .SQLITE_READONLY:
            return LedgerError(
                .readOnly,
                zh: "台账 \(shown) 只读，无法写入：请检查文件及其所在文件夹的权限",
                en: "the ledger \(shown) is read-only: check the permissions of the file and its folder",
                path: path,
                underlying: detail,
                file: file,
                line: line
            )
        case .SQLITE_FULL:
            return LedgerError(
                .diskFull,
                zh: "磁盘已满，无法写入台账 \(shown)",
                en: "the disk is full; cannot write the ledger \(shown)",
                path: path,
                underlying: detail,
                file: file,
                line: line
            )
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return LedgerError(
                .notALedger,
                zh: "\(shown) 不是有效的台账数据库或已损坏：\(sqlite)",
                en: "\(shown) is not a valid ledger database or is damaged: \(sqlite)",
                path: path,
                underlying: detail,
                file: file,
                line: line
            )
        default:
            return LedgerError(
                .database,
                zh: "读写台账 \(shown) 失败：\(sqlite)",
                en: "cannot read or write the ledger \(shown): \(sqlite)",
                path: path,
                underlying: detail,
                file: file,
                line: line
            )
        }
    }

    static func invalid(_ zh: String, _ en: String, file: String = #fileID, line: Int = #line) -> LedgerError {
        LedgerError(.invalidInput, zh: zh, en: en, file: file, line: line)
    }

    /// "5", "0.2": seconds as people write them.
    private static func seconds(_ duration: Duration) -> String {
        let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return millis % 1000 == 0 ? "\(millis / 1000)" : "\(Double(millis) / 1000)"
    }
}
