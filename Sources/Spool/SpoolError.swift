#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the spool could not be opened or written, for a person to act on:
/// what was being done, to which path, the system's reason with its errno
/// name, and what usually fixes it (`ENOSPC` → free space; `EROFS` → the unit
/// cannot write there; `EACCES` → ownership). It prints as one sentence,
/// never as a Swift type dump.
///
/// A struct around a private code, so new failure kinds break nobody.
public struct SpoolError: Error, CustomStringConvertible, Sendable {
    enum Code: Sendable, Equatable {
        case createFolder, notADirectory, notWritable, createFile, write, sync, publish, readFolder, remove, invalidName
    }

    let code: Code
    /// The file or folder concerned.
    public let path: String
    /// The system error number, or nil when the problem is not a system call's.
    public let errorNumber: Int32?

    init(_ code: Code, path: String, errorNumber: Int32?) {
        self.code = code
        self.path = path
        self.errorNumber = errorNumber
    }

    /// Whether the spool refused a name the caller made (a programming error,
    /// not an environment problem).
    public var isInvalidName: Bool { code == .invalidName }

    public var description: String {
        let what: String
        switch code {
        case .createFolder: what = "cannot create spool folder \(path)"
        case .notADirectory: what = "spool path \(path) exists but is not a directory"
        case .notWritable: what = "spool folder \(path) is not writable"
        case .createFile: what = "cannot create spool file \(path)"
        case .write: what = "cannot write spool file \(path)"
        case .sync: what = "cannot flush \(path) to disk"
        case .publish: what = "cannot move the message into \(path)"
        case .readFolder: what = "cannot read spool folder \(path)"
        case .remove: what = "cannot remove stale temporary file \(path)"
        case .invalidName:
            return "invalid spool message name \(path.debugDescription): a name must be 1–200 bytes, must not start "
                + "with '.', and must not contain '/', ':' or control characters"
        }
        guard let number = errorNumber else { return what }
        var text = "\(what): \(SpoolError.reason(number))"
        if let hint = SpoolError.hint(number, code) { text += "; " + hint }
        return text
    }

    /// `No space left on device (ENOSPC)`.
    static func reason(_ number: Int32) -> String {
        let text = strerror(number).map { String(cString: $0) } ?? "error \(number)"
        guard let name = names[number] else { return text }
        return "\(text) (\(name))"
    }

    static func hint(_ number: Int32, _ code: Code) -> String? {
        switch number {
        case ENOSPC, EDQUOT:
            "free disk space; the notices not yet spooled are written on the next run"
        case EROFS:
            "the file system is read-only here; under systemd the spool must be inside StateDirectory= or ReadWritePaths="
        case EACCES, EPERM:
            "check that the service user owns the spool directory and may write to it"
        case ENOENT where code == .createFolder:
            "its parent directory does not exist; create it or fix `spool:` in the configuration"
        default:
            nil
        }
    }

    static let names: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", EIO: "EIO", EACCES: "EACCES", EEXIST: "EEXIST", ENOTDIR: "ENOTDIR",
        EISDIR: "EISDIR", EINVAL: "EINVAL", ENFILE: "ENFILE", EMFILE: "EMFILE", ENOSPC: "ENOSPC", EROFS: "EROFS",
        EMLINK: "EMLINK", ENAMETOOLONG: "ENAMETOOLONG", ELOOP: "ELOOP", EDQUOT: "EDQUOT", EXDEV: "EXDEV",
    ]
}
