#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// Evidence files (会议记录, 签到表 photos, PDFs) kept by content under the
/// state folder: `<state>/evidence/ab/cdef…`, named by their SHA-256.
///
/// Why by content: the same photo sent twice (a retry, a second reply) is
/// kept once; a file's name in the ledger can never point at another file;
/// and no path is ever made from what a sender wrote (the sender's file name
/// lives only in the ledger, as text). Files are written to `tmp/`, flushed,
/// and renamed into place, so a crash leaves a whole file or none, and a file
/// in place is never rewritten.
public struct EvidenceStore: Sendable {
    /// `<state>/evidence`.
    public let directory: String

    public init(stateDirectory: String) {
        var state = stateDirectory
        while state.count > 1 && state.hasSuffix("/") { state.removeLast() }
        directory = state + "/evidence"
    }

    /// Keeps `bytes` and returns the file's digest and size. Storing the same
    /// bytes again does nothing and returns the same answer.
    @discardableResult
    public func store(_ bytes: [UInt8]) throws(EvidenceError) -> StoredEvidence {
        let digest = Self.sha256Hex(bytes)
        let stored = StoredEvidence(sha256: digest, size: bytes.count)
        let folder = directory + "/" + digest.prefix(2)
        let target = folder + "/" + digest.dropFirst(2)
        if Self.isRegularFile(target, size: bytes.count) { return stored }
        try makeFolder(directory)
        try makeFolder(directory + "/tmp")
        try makeFolder(folder)
        let temporary = directory + "/tmp/\(digest).\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw EvidenceError(errno, path: temporary) }
        var failure: Int32?
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = write(fd, base + offset, min(raw.count - offset, 1 << 20))
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
        if close(fd) != 0, failure == nil, errno != EINTR { failure = errno }
        if let failure {
            _ = unlink(temporary)
            throw EvidenceError(failure, path: temporary)
        }
        // Same name means same content: replacing a file another process just
        // wrote is harmless.
        guard rename(temporary, target) == 0 else {
            let e = errno
            _ = unlink(temporary)
            throw EvidenceError(e, path: target)
        }
        Self.syncFolder(folder)
        return stored
    }

    /// The file of a digest, when it is a well-formed SHA-256 (64 lower-case
    /// hex digits) and the file exists; nil otherwise. The only way from a
    /// ledger row to a path: a digest is checked character by character, so
    /// `../` can never get through.
    public func path(sha256 digest: String) -> String? {
        guard Self.isDigest(digest) else { return nil }
        let path = directory + "/" + digest.prefix(2) + "/" + digest.dropFirst(2)
        return Self.isRegularFile(path, size: nil) ? path : nil
    }

    /// The bytes of a stored file, checked against its digest (a file changed
    /// on disk is reported, not served). Nil when missing; at most `limit` bytes.
    public func read(sha256 digest: String, limit: Int = 64 << 20) throws(EvidenceError) -> [UInt8]? {
        guard let path = path(sha256: digest) else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw EvidenceError(errno, path: path) }
        defer { _ = close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw EvidenceError(errno, path: path)
            }
            if n == 0 { break }
            out += chunk[0..<n]
            if out.count > limit { throw EvidenceError(EFBIG, path: path) }
        }
        guard Self.sha256Hex(out) == digest else { throw EvidenceError(EIO, path: path, corrupt: true) }
        return out
    }

    /// Lower-case hex SHA-256: the name of a file and the `sha256` the ledger and `records` show.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isDigest(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
            }
    }

    func makeFolder(_ path: String) throws(EvidenceError) {
        if mkdir(path, 0o700) == 0 {
            Self.syncFolder(String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]))
            return
        }
        let e = errno
        guard e == EEXIST else { throw EvidenceError(e, path: path) }
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw EvidenceError(ENOTDIR, path: path)
        }
    }

    static func isRegularFile(_ path: String, size: Int?) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        return size.map { Int(info.st_size) == $0 } ?? true
    }

    static func syncFolder(_ path: String) {
        let fd = open(path.isEmpty ? "/" : path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }
}

/// What `EvidenceStore.store` kept: the content's digest and size.
public struct StoredEvidence: Sendable, Hashable {
    public var sha256: String
    public var size: Int
}
