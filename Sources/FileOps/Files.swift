import CPlatform

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system steps the spool and the delivery queue are made of,
/// written once for both. Each returns an errno instead of throwing, because
/// the caller decides per step whether a failure matters (ENOENT on a claim
/// just means someone else was faster).
public enum Files {
    /// rename(2) that refuses to replace: `renameat2(RENAME_NOREPLACE)`
    /// (through CPlatform), or `link` + `unlink` where the file system lacks
    /// the flag. Nil on success, else the errno (EEXIST when the target exists).
    ///
    /// A crash between `link` and `unlink` leaves the file under both names,
    /// complete under each: the spool finds the message published (and its
    /// recovery removes the stale temporary file); the queue notices the same
    /// inode and drops the old name.
    ///
    /// - Parameter useRenameat2: false forces the `link(2)` path (tests).
    public static func renameNoReplace(_ from: String, _ to: String, useRenameat2: Bool = true) -> Int32? {
        if useRenameat2 {
            if pk_rename_noreplace(from, to) == 0 { return nil }
            let e = errno
            if e != EINVAL && e != ENOSYS && e != EOPNOTSUPP { return e }
        }
        if link(from, to) != 0 { return errno }
        _ = unlink(from)
        return nil
    }

    /// Plain rename(2); nil on success, else the errno.
    public static func rename(_ from: String, _ to: String) -> Int32? {
        Glibc.rename(from, to) == 0 ? nil : errno
    }

    /// Writes `bytes` to `temporary`, flushes it, and renames it to `target`
    /// (replacing it), then flushes the target's folder: the target holds the
    /// old content or the new, never a part.
    public static func writeAtomically(
        _ bytes: [UInt8],
        temporary: String,
        target: String,
        owner: Owner? = nil
    ) -> Int32? {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return errno }
        if let owner { _ = fchown(fd, owner.uid, owner.gid) }
        var failure = writeAll(fd, bytes)
        if failure == nil {
            while fsync(fd) != 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
        }
        if close(fd) != 0 && failure == nil && errno != EINTR { failure = errno }
        if let failure {
            _ = unlink(temporary)
            return failure
        }
        if let e = rename(temporary, target) {
            _ = unlink(temporary)
            return e
        }
        return syncDirectory(parent(of: target))
    }

    /// Flushes a folder's entries so a rename into it survives a power cut.
    @discardableResult
    public static func syncDirectory(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { _ = close(fd) }
        while fsync(fd) != 0 {
            let e = errno
            if e == EINTR { continue }
            return e == EINVAL || e == EBADF ? nil : e
        }
        return nil
    }

    /// Who should own what a pass creates.
    public struct Owner: Sendable, Equatable {
        public var uid: uid_t
        public var gid: gid_t
    }

    /// The owner of `path` when this process is root and `path` belongs to
    /// someone else (the service user): a `plankeeper deliver` run as root on
    /// the service's spool then leaves files the service can still read.
    public static func foreignOwner(of path: String) -> Owner? {
        guard geteuid() == 0 else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid != 0 else { return nil }
        return Owner(uid: info.st_uid, gid: info.st_gid)
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR; nil
    /// on success, else the errno (EIO for a write that wrote nothing).
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = write(fd, base + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return n < 0 ? errno : EIO
                }
            }
            return nil
        }
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// (device, inode, modification time in seconds) of a regular file.
    public static func identity(_ path: String) -> (dev: UInt64, ino: UInt64, mtime: Int64)? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        #if canImport(Darwin)
        let seconds = Int64(info.st_mtimespec.tv_sec)
        #else
        let seconds = Int64(info.st_mtim.tv_sec)
        #endif
        return (UInt64(info.st_dev), UInt64(info.st_ino), seconds)
    }

    /// Entry names of a folder, without `.` and `..`; nil with the errno.
    public static func entries(_ path: String) -> Result<[String], Errno> {
        guard let dir = opendir(path) else { return .failure(Errno(errno)) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names)
    }

    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
