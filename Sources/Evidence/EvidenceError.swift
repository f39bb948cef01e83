#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an evidence file could not be written or read.
public struct EvidenceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var errorNumber: Int32
    public var path: String
    /// The file on disk no longer matches its digest.
    public var corrupt: Bool

    public init(_ errorNumber: Int32, path: String, corrupt: Bool = false) {
        self.errorNumber = errorNumber
        self.path = path
        self.corrupt = corrupt
    }

    /// A full disk, a quota, a read-only or unwritable state folder: worth
    /// trying again later (`mail-in` exits 75 so the MTA keeps the message).
    public var isTemporary: Bool {
        [ENOSPC, EDQUOT, EROFS, EACCES, EPERM, EIO, EAGAIN, ENOMEM, EMFILE, ENFILE, EINTR].contains(errorNumber)
            && !corrupt
    }

    public var zh: String {
        corrupt ? "证据文件 \(path) 与其校验值不符（文件已被改动）" : "无法写入或读取证据文件 \(path)：\(reason)"
    }

    public var en: String {
        corrupt
            ? "the evidence file \(path) no longer matches its SHA-256 (it was changed)"
            : "cannot write or read the evidence file \(path): \(reason)"
    }

    public var description: String { en }

    var reason: String { strerror(errorNumber).map { String(cString: $0) } ?? "error \(errorNumber)" }
}
