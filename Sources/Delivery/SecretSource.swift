import FileOps
import Foundation
import Vocabulary

/// Where a channel's secret is read from: never the configuration file
/// itself (world-readable in many installs, copied into tickets and chats).
public enum SecretSource: Sendable, Equatable, CustomStringConvertible {
    /// A file holding the secret (one line; the trailing newline is ignored).
    case file(String)
    /// A systemd credential (`LoadCredential=NAME:/path` in the unit), read
    /// from `$CREDENTIALS_DIRECTORY/NAME`: root-only on disk, visible to the
    /// service alone.
    case credential(String)

    /// `file /etc/plankeeper/secrets/x.token` or `credential x-token`: names
    /// the source, never the secret.
    public var description: String {
        switch self {
        case .file(let path): return "file \(path)"
        case .credential(let name): return "credential \(name)"
        }
    }

    /// The secret, or why it cannot be read (in both languages, naming the
    /// file or credential, never any of its content).
    public func read(environment: [String: String]) -> Result<String, Message> {
        let path: String
        switch self {
        case .file(let p):
            path = p
        case .credential(let name):
            guard let folder = environment["CREDENTIALS_DIRECTORY"], !folder.isEmpty else {
                return .failure(
                    Message(
                        zh: "找不到 systemd 凭据“\(name)”：未设置 $CREDENTIALS_DIRECTORY（服务单元需要 LoadCredential=\(name):…）",
                        en:
                            "systemd credential '\(name)' not found: $CREDENTIALS_DIRECTORY is not set (the unit needs LoadCredential=\(name):...)"
                    )
                )
            }
            path = folder + "/" + name
        }
        switch FileBytes.read(path, limit: 4096) {
        case .success(let bytes):
            var text = String(decoding: bytes, as: UTF8.self)
            while let last = text.last, last.isNewline || last == " " { text.removeLast() }
            guard !text.isEmpty else {
                return .failure(Message(zh: "密钥文件 \(path) 是空的", en: "the secret file \(path) is empty"))
            }
            return .success(text)
        case .failure(let error):
            return .failure(
                Message(
                    zh: "无法读取密钥文件 \(path)：\(FileBytes.reason(error.number))",
                    en: "cannot read the secret file \(path): \(FileBytes.reason(error.number))"
                )
            )
        }
    }
}

/// The sources of one channel's secrets (`token-file`/`token-credential`,
/// `secret-file`/`secret-credential`).
public struct ChannelSecretSources: Sendable, Equatable {
    public var token: SecretSource?
    public var secret: SecretSource?

    public init(token: SecretSource? = nil, secret: SecretSource? = nil) {
        self.token = token
        self.secret = secret
    }
}
