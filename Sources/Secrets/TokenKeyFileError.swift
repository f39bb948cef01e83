#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the token keys could not be read or written. The message names the
/// file and, for a bad line, its number: never any of its content.
public struct TokenKeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// open/read/write/rename failed with this errno.
        case system(Int32)
        case notARegularFile
        case readableByOthers
        case unreadable(line: Int)
        case empty
        case duplicateID
    }

    public var reason: Reason
    public var path: String

    public init(_ reason: Reason, path: String) {
        self.reason = reason
        self.path = path
    }

    /// Whether trying again later may work (a full disk, a read-only state
    /// folder, too many open files): `mail-in` exits 75 then, so the MTA keeps
    /// the message. A broken key file needs the admin, but losing the mail
    /// would be worse, so it is temporary too; only the caller decides.
    public var errorNumber: Int32? {
        if case .system(let number) = reason { return number }
        return nil
    }

    public var zh: String {
        switch reason {
        case .system(let n): "无法读写令牌密钥文件 \(path)：\(Self.describe(n))"
        case .notARegularFile: "令牌密钥文件 \(path) 不是普通文件"
        case .readableByOthers: "令牌密钥文件 \(path) 对其他用户可读；请运行 chmod 600 \(path)，并用 plankeeper mail-in --rotate-key 更换密钥"
        case .unreadable(let line): "令牌密钥文件 \(path) 第 \(line) 行无法识别"
        case .empty: "令牌密钥文件 \(path) 中没有密钥"
        case .duplicateID: "令牌密钥文件 \(path) 中有重复的密钥编号"
        }
    }

    public var en: String {
        switch reason {
        case .system(let n): "cannot read or write the token key file \(path): \(Self.describe(n))"
        case .notARegularFile: "the token key file \(path) is not a regular file"
        case .readableByOthers:
            "the token key file \(path) is readable by other users; run chmod 600 \(path) and replace the key with plankeeper mail-in --rotate-key"
        case .unreadable(let line): "line \(line) of the token key file \(path) is not a key"
        case .empty: "the token key file \(path) holds no key"
        case .duplicateID: "the token key file \(path) names a key id twice"
        }
    }

    public var description: String { en }

    static func describe(_ number: Int32) -> String {
        strerror(number).map { String(cString: $0) } ?? "error \(number)"
    }
}
