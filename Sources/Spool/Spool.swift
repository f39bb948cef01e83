import FileOps

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `Spool.spool(name:bytes:)` did.
public enum SpoolResult: Sendable, Equatable {
    /// The message is now in `new/`, complete and flushed to disk.
    case written
    /// A message of that name was already in the spool (waiting, delivered,
    /// failed or being delivered); nothing was written.
    case alreadySpooled
}

/// The Maildir folders a delivery agent moves messages between.
public enum SpoolFolder: String, Sendable, CaseIterable {
    /// Written by plankeeper, waiting for the delivery agent.
    case new
    /// Taken or delivered by the delivery agent.
    case cur
    /// Given up on by the delivery agent.
    case failed
}

/// An outgoing mail spool in Maildir layout (`tmp/`, `new/`, `cur/`, plus
/// `failed/`), written exactly once per message name.
///
/// The name, derived from the notice key (`SpoolName.make`), is the
/// exactly-once token: a message whose name is anywhere in the spool except
/// `tmp/` is never written again, so a tick that crashed after spooling but
/// before updating the ledger does not mail twice when it runs again.
///
/// Crash safety: the message is written to `tmp/`, flushed with `fsync`, and
/// published into `new/` with one atomic step that refuses to replace an
/// existing file (`renameat2(RENAME_NOREPLACE)`, or `link(2)` where the file
/// system lacks it), after which `new/` itself is flushed. Whenever the
/// process dies, `new/` holds no message or one complete message under that
/// name; what can be left behind is a file in `tmp/`, which `recover()`
/// removes.
///
/// Contract for the delivery agent: claim a message by `rename(2)` out of
/// `new/` (into `cur/`, optionally with a Maildir `:2,…` suffix, into
/// `failed/`, or into any other folder of the spool), never by copy and
/// delete, and keep delivered files (or the ledger's record) for as long as
/// their notices may be decided again. Checks run in delivery order (`new/`,
/// claim folders, `cur/`, `failed/`), so a message moving forward while it is
/// looked for is still found.
public struct Spool: Sendable {
    /// The spool directory, without a trailing slash.
    public let directory: String

    /// Opens the spool at `directory`, creating it (but not its parent) and
    /// its `tmp/`, `new/`, `cur/` and `failed/` folders with mode 0700 when
    /// missing, and checks that `tmp/` and `new/` are writable, so a daemon
    /// with a wrong `spool:` setting fails at start-up with a clear message
    /// rather than at the first notice weeks later.
    public init(directory: String) throws {
        var path = directory
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.directory = path
        var created = try Spool.makeFolder(path)
        for folder in ["tmp"] + SpoolFolder.allCases.map(\.rawValue) {
            if try Spool.makeFolder(path + "/" + folder) { created = true }
        }
        for folder in ["tmp", "new"] where access(path + "/" + folder, W_OK | X_OK) != 0 {
            throw SpoolError(.notWritable, path: path + "/" + folder, errorNumber: errno)
        }
        if created { Spool.syncDirectory(path) }
    }

    /// Writes `bytes` as `new/NAME` unless a message of that name is already
    /// in the spool. Throws `SpoolError` when the name is not a safe file
    /// name or the file system refuses (full, read-only, permissions); after
    /// a throw, nothing is left in `new/` under that name by this call.
    public func spool(name: String, bytes: [UInt8]) throws -> SpoolResult {
        guard Spool.isValid(name) else { throw SpoolError(.invalidName, path: name, errorNumber: nil) }
        if contains(name: name) { return .alreadySpooled }
        guard try publish(name: name, bytes: bytes) == .written else { return .alreadySpooled }
        // The rename is durable only once the directory entry is.
        let folder = directory + "/" + SpoolFolder.new.rawValue
        if let e = Spool.syncDirectory(folder) { throw SpoolError(.sync, path: folder, errorNumber: e) }
        return .written
    }

    /// Writes `bytes` to `tmp/`, flushes the file, and publishes it as
    /// `new/NAME` unless that exists; `new/` itself is not flushed (the
    /// caller does: `spool(name:bytes:)` at once, `SpoolBatch` once for many).
    func publish(name: String, bytes: [UInt8]) throws -> SpoolResult {
        try publish(temporary: try writeTemporary(name: name, bytes: bytes), as: name)
    }

    /// Writes `bytes` to a new file in `tmp/` and flushes it (`fsync`):
    /// complete on disk before anything can see it. Returns its path.
    func writeTemporary(name: String, bytes: [UInt8]) throws -> String {
        let (temporary, fd) = try createTemporary(name)
        do {
            try Spool.writeAll(fd, bytes, path: temporary)
            while fsync(fd) != 0 {
                guard errno == EINTR else { throw SpoolError(.sync, path: temporary, errorNumber: errno) }
            }
        } catch {
            _ = close(fd)
            _ = unlink(temporary)
            throw error
        }
        // After fsync, a close error can only be a late write error (NFS): the
        // file cannot be trusted.
        if close(fd) != 0 && errno != EINTR {
            let e = errno
            _ = unlink(temporary)
            throw SpoolError(.write, path: temporary, errorNumber: e)
        }
        return temporary
    }

    /// Moves a flushed temporary file to `new/NAME`, refusing to replace;
    /// the temporary is gone afterwards whatever happened.
    func publish(temporary: String, as name: String) throws -> SpoolResult {
        let target = path(.new, name)
        switch Spool.publish(temporary, as: target) {
        case .published:
            return .written
        case .exists:
            _ = unlink(temporary)
            return .alreadySpooled
        case .failed(let e):
            _ = unlink(temporary)
            throw SpoolError(.publish, path: target, errorNumber: e)
        }
    }

    /// Whether a message of that name is in `new/`, `cur/`, `failed/` or any
    /// other folder of the spool except `tmp/`, also under a Maildir flags
    /// suffix (`NAME:2,S`). An invalid name is never contained.
    public func contains(name: String) -> Bool {
        guard Spool.isValid(name) else { return false }
        if Spool.exists(path(.new, name)) { return true }
        let known = Set(["tmp"] + SpoolFolder.allCases.map(\.rawValue))
        let claims = ((try? Spool.entries(directory)) ?? []).filter { entry in
            !known.contains(entry) && !entry.hasPrefix(".") && Spool.isDirectory(directory + "/" + entry)
        }.sorted()
        for folder in claims + [SpoolFolder.cur.rawValue, SpoolFolder.failed.rawValue] {
            let dir = directory + "/" + folder
            if Spool.exists(dir + "/" + name) { return true }
            let flagged = name + ":"
            if let names = try? Spool.entries(dir), names.contains(where: { $0.hasPrefix(flagged) }) { return true }
        }
        return false
    }

    /// Removes files in `tmp/` last modified more than `age` seconds ago
    /// (a day by default): what a writer killed between creating and
    /// publishing a message leaves behind. `run` and `tick` call it at
    /// start-up. Younger files may belong to a write in progress (a `tick`
    /// from cron beside the daemon) and stay; a day is far beyond any write.
    /// Returns how many files were removed.
    public func recover(olderThan age: Int = 86_400) throws -> Int {
        let folder = directory + "/tmp"
        let cutoff = time(nil) - age
        var removed = 0
        for entry in try Spool.entries(folder) {
            let file = folder + "/" + entry
            var info = stat()
            guard lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            #if canImport(Darwin)
            let modified = info.st_mtimespec.tv_sec
            #else
            let modified = info.st_mtim.tv_sec
            #endif
            guard modified < cutoff else { continue }
            if unlink(file) == 0 {
                removed += 1
            } else if errno != ENOENT {  // ENOENT: another process recovered it first
                throw SpoolError(.remove, path: file, errorNumber: errno)
            }
        }
        if removed > 0 { Spool.syncDirectory(folder) }
        return removed
    }

    /// The message names in a folder, without any Maildir `:2,…` suffix (so
    /// they compare equal to `SpoolName.make` results), sorted, hidden files
    /// left out.
    public func list(_ folder: SpoolFolder) throws -> [String] {
        try Spool.entries(directory + "/" + folder.rawValue)
            .filter { !$0.hasPrefix(".") }
            .map { entry in entry.firstIndex(of: ":").map { String(entry[..<$0]) } ?? entry }
            .sorted()
    }

    // MARK: Internals

    func path(_ folder: SpoolFolder, _ name: String) -> String {
        directory + "/" + folder.rawValue + "/" + name
    }

    /// 1–200 bytes (room for the temporary suffix within NAME_MAX), no `/`
    /// or `:` (Maildir's flag separator), no control characters, and no
    /// leading `.`, which Maildir readers treat as hidden.
    static func isValid(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= 200, bytes.first != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ":") }
    }

    /// `tmp/NAME.<pid>.<random>`, created exclusively: the pid tells which
    /// process left a file behind, the random part keeps concurrent writers
    /// of the same name in one process apart.
    func createTemporary(_ name: String) throws -> (String, Int32) {
        var attempt = 0
        while true {
            let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
            let temporary = directory + "/tmp/" + name + ".\(getpid())." + suffix
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 { return (temporary, fd) }
            let e = errno
            attempt += 1
            if e == EINTR || (e == EEXIST && attempt < 8) { continue }
            throw SpoolError(.createFile, path: temporary, errorNumber: e)
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        if let e = Files.writeAll(fd, bytes) { throw SpoolError(.write, path: path, errorNumber: e) }
    }

    enum Publication {
        case published, exists
        case failed(Int32)
    }

    /// Moves `temporary` to `target` only if `target` does not exist, in one
    /// atomic step. `preferRename: false` forces the `link(2)` path (tests).
    static func publish(_ temporary: String, as target: String, preferRename: Bool = true) -> Publication {
        switch Files.renameNoReplace(temporary, target, useRenameat2: preferRename) {
        case nil: .published
        case EEXIST?: .exists
        case let e?: .failed(e)
        }
    }

    /// Creates a folder with mode 0700; true if it was created, false if a
    /// directory was already there.
    static func makeFolder(_ path: String) throws -> Bool {
        if mkdir(path, 0o700) == 0 {
            inheritOwner(path)
            return true
        }
        let e = errno
        if e == EEXIST {
            guard isDirectory(path) else { throw SpoolError(.notADirectory, path: path, errorNumber: ENOTDIR) }
            return false
        }
        throw SpoolError(.createFolder, path: path, errorNumber: e)
    }

    /// A folder root creates (`plankeeper tick` or `deliver` run by the
    /// admin as root) in a spool the service user owns takes the owner of
    /// the folder it is in (FileOps' `foreignOwner`, as the delivery queue
    /// does): a root-owned `tmp/` would stop the service at its next start
    /// ("spool folder …/tmp is not writable"). Best effort: a failed chown
    /// leaves what mkdir made.
    static func inheritOwner(_ path: String) {
        let parent = (path.hasSuffix("/") ? String(path.dropLast()) : path).split(
            separator: "/",
            omittingEmptySubsequences: false
        ).dropLast().joined(separator: "/")
        guard !parent.isEmpty, let owner = Files.foreignOwner(of: parent) else { return }
        _ = chown(path, owner.uid, owner.gid)
    }

    /// Flushes a directory's entries (a file system that cannot fsync a
    /// directory is no failure); returns the errno on failure.
    @discardableResult
    static func syncDirectory(_ path: String) -> Int32? { Files.syncDirectory(path) }

    static func exists(_ path: String) -> Bool { Files.exists(path) }

    static func isDirectory(_ path: String) -> Bool { Files.isDirectory(path) }

    /// Entry names of a directory, without `.` and `..`.
    static func entries(_ path: String) throws -> [String] {
        switch Files.entries(path) {
        case .success(let names): return names
        case .failure(let e): throw SpoolError(.readFolder, path: path, errorNumber: e.number)
        }
    }
}
