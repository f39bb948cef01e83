#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A system error number as an `Error`, for `Result`.
struct Errno: Error, Equatable {
    var number: Int32
    init(_ number: Int32) { self.number = number }
}

/// Reading small files (a spooled message, a password, a retry state)
/// with a size cap, so a wrong path pointing at a huge file cannot make
/// the daemon allocate without bound.
enum FileBytes {
    static func read(_ path: String, limit: Int) -> Result<[UInt8], Errno> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Errno(errno)) }
        defer { _ = close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Errno(errno))
            }
            if n == 0 { return .success(out) }
            out += chunk[0..<n]
            if out.count > limit { return .failure(Errno(EFBIG)) }
        }
    }

    /// `No such file or directory (ENOENT)`.
    static func reason(_ number: Int32) -> String {
        let text = strerror(number).map { String(cString: $0) } ?? "error \(number)"
        guard let name = errnoNames[number] else { return text }
        return "\(text) (\(name))"
    }

    static let errnoNames: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", EIO: "EIO", EACCES: "EACCES", EEXIST: "EEXIST", ENOTDIR: "ENOTDIR",
        EISDIR: "EISDIR", EINVAL: "EINVAL", ENFILE: "ENFILE", EMFILE: "EMFILE", ENOSPC: "ENOSPC", EROFS: "EROFS",
        EFBIG: "EFBIG", ENAMETOOLONG: "ENAMETOOLONG", ELOOP: "ELOOP", EDQUOT: "EDQUOT", EXDEV: "EXDEV",
        ENOEXEC: "ENOEXEC", EAGAIN: "EAGAIN", ENOMEM: "ENOMEM",
    ]
}

/// The few file-system steps the queue is made of. Each returns an errno
/// instead of throwing, because the queue decides per step whether a
/// failure matters (ENOENT on a claim just means someone else was faster).
enum Files {
    /// rename(2) that refuses to replace: `renameat2(RENAME_NOREPLACE)`, or
    /// `link` + `unlink` where the file system lacks the flag. Nil on
    /// success, else the errno (EEXIST when the target exists).
    static func renameNoReplace(_ from: String, _ to: String) -> Int32? {
        #if os(Linux)
        if let renameat2 = renameat2Function {
            if renameat2(AT_FDCWD, from, AT_FDCWD, to, 1 /* RENAME_NOREPLACE */) == 0 { return nil }
            let e = errno
            if e != EINVAL && e != ENOSYS && e != EOPNOTSUPP { return e }
        }
        #endif
        if link(from, to) != 0 { return errno }
        // A crash here leaves the file under both names; the queue notices
        // (same inode) and drops the old name.
        _ = unlink(from)
        return nil
    }

    /// Plain rename(2); nil on success, else the errno.
    static func rename(_ from: String, _ to: String) -> Int32? {
        Glibc.rename(from, to) == 0 ? nil : errno
    }

    /// Writes `bytes` to `temporary`, flushes it, and renames it to `target`
    /// (replacing it), then flushes the target's folder: the target holds the
    /// old content or the new, never a part.
    static func writeAtomically(_ bytes: [UInt8], temporary: String, target: String, owner: Owner? = nil) -> Int32? {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return errno }
        if let owner { _ = fchown(fd, owner.uid, owner.gid) }
        var failure: Int32?
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = write(fd, base + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    failure = n < 0 ? errno : EIO
                    return
                }
            }
        }
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
    static func syncDirectory(_ path: String) -> Int32? {
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
    struct Owner: Sendable, Equatable {
        var uid: uid_t
        var gid: gid_t
    }

    /// The owner of `path` when this process is root and `path` belongs to
    /// someone else (the service user): a `plankeeper deliver` run as root on
    /// the service's spool then leaves files the service can still read.
    static func foreignOwner(of path: String) -> Owner? {
        guard geteuid() == 0 else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid != 0 else { return nil }
        return Owner(uid: info.st_uid, gid: info.st_gid)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// (device, inode, modification time in seconds) of a regular file.
    static func identity(_ path: String) -> (dev: UInt64, ino: UInt64, mtime: Int64)? {
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
    static func entries(_ path: String) -> Result<[String], Errno> {
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

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    #if os(Linux)
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32

    /// glibc has `renameat2` since 2.28 but Swift's Glibc module hides it
    /// (it needs `_GNU_SOURCE`): looked up once at run time.
    static let renameat2Function: RenameAt2? = {
        guard let symbol = dlsym(nil, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
    #endif
}
