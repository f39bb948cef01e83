import CCurl
import FileOps
import Vocabulary

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the SMTP transport talks to and how.
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, CaseIterable {
        /// Plain SMTP: right for the local MTA on loopback (the default).
        case none
        /// `STARTTLS`, required: the exchange fails rather than continue in clear.
        case starttls
        /// TLS from the first byte (`smtps://`, usually port 465).
        case implicit
    }

    /// Where the password comes from. Never the configuration file itself,
    /// which is world-readable in many installs.
    public enum PasswordSource: Sendable, Equatable {
        /// A file holding the password (trailing newline ignored).
        case file(String)
        /// A systemd credential (`LoadCredential=NAME:/path`), read from
        /// `$CREDENTIALS_DIRECTORY/NAME`, so the secret stays root-only on
        /// disk and is visible to the service alone.
        case credential(String)
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var user: String?
    public var password: PasswordSource?
    /// Seconds allowed to connect, and for the whole exchange.
    public var connectTimeout = 20
    public var timeout = 120

    public init(
        host: String = "127.0.0.1",
        port: Int = 25,
        security: Security = .none,
        user: String? = nil,
        password: PasswordSource? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.password = password
    }

    /// `smtp://127.0.0.1:25`, `smtps://[::1]:465`: what logs and records show.
    public var url: String {
        let h = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(security == .implicit ? "smtps" : "smtp")://\(h):\(port)"
    }
}

/// Hands messages to an SMTP server with libcurl (Debian's
/// `libcurl4-openssl-dev`): a maintained implementation of SMTP, STARTTLS,
/// AUTH and dot-stuffing, instead of a hand-written one.
///
/// The server's answer decides: the final `250` is kept as the delivery
/// record; a `4xx` reply is temporary, a `5xx` reply permanent; no
/// connection, a broken one, a TLS or login failure are temporary and mark
/// the whole mail system as down for the rest of the pass (see
/// `classify`). One connection per message: a hospital sends a few dozen
/// a day, and a fresh exchange keeps every failure local to its message.
public struct SMTPTransport: MailTransport {
    public let settings: SMTPSettings
    /// Where `$CREDENTIALS_DIRECTORY` is looked up; the process environment
    /// unless a test passes its own.
    let environment: [String: String]

    public init(settings: SMTPSettings, environment: [String: String]) {
        self.settings = settings
        self.environment = environment
    }

    public var name: String { settings.url }

    public func send(_ mail: OutgoingMail) -> TransportResult {
        var password: String?
        if settings.user != nil, let source = settings.password {
            switch readPassword(source) {
            case .success(let p): password = p
            case .failure(let text): return .temporary(text, systemDown: true)
            }
        }
        _ = SMTPTransport.globalInit
        guard let handle = curl_easy_init() else {
            return .temporary(Message(zh: "无法初始化 libcurl", en: "cannot initialise libcurl"), systemDown: true)
        }
        defer { curl_easy_cleanup(handle) }

        let upload = Upload(bytes: mail.bytes)
        let replies = Replies()
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var recipients: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(recipients) }
        for address in mail.recipients { recipients = curl_slist_append(recipients, "<\(address)>") }

        let code: CURLcode = withExtendedLifetime((upload, replies)) {
            let uploadContext = Unmanaged.passUnretained(upload).toOpaque()
            let replyContext = Unmanaged.passUnretained(replies).toOpaque()
            _ = pk_curl_setopt_string(handle, CURLOPT_URL, settings.url + "/" + SMTPTransport.heloName)
            _ = pk_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            // No proxy, whatever $all_proxy an admin's shell has: the MTA is
            // talked to directly (an empty string overrides the environment).
            _ = pk_curl_setopt_string(handle, CURLOPT_PROXY, "")
            _ = pk_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = pk_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, settings.connectTimeout)
            _ = pk_curl_setopt_long(handle, CURLOPT_TIMEOUT, settings.timeout)
            _ = pk_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
            if settings.security == .starttls {
                _ = pk_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
            }
            if let user = settings.user {
                _ = pk_curl_setopt_string(handle, CURLOPT_USERNAME, user)
                if let password { _ = pk_curl_setopt_string(handle, CURLOPT_PASSWORD, password) }
            }
            _ = pk_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(mail.sender)>")
            _ = pk_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
            _ = pk_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
            _ = pk_curl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(mail.bytes.count))
            _ = pk_curl_setopt_readfunction(handle, smtpRead)
            _ = pk_curl_setopt_pointer(handle, CURLOPT_READDATA, uploadContext)
            _ = pk_curl_setopt_headerfunction(handle, smtpReply)
            _ = pk_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, replyContext)
            return curl_easy_perform(handle)
        }
        var response = 0
        _ = pk_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return SMTPTransport.classify(
            curlCode: Int(code.rawValue),
            responseCode: response,
            lastReply: SMTPTransport.reply(to: response, in: replies.lines),
            curlMessage: message,
            server: settings.url
        )
    }

    /// The decision, apart from libcurl so every branch is unit-tested.
    /// `lastReply` is the server's last reply line; `responseCode` its code
    /// as libcurl saw it (0 when the server never answered).
    public static func classify(
        curlCode: Int,
        responseCode: Int,
        lastReply: String?,
        curlMessage: String,
        server: String
    ) -> TransportResult {
        let reply = lastReply?.trimmingSpaces ?? ""
        if curlCode == Int(CURLE_OK.rawValue) {
            return .accepted(answer: reply.isEmpty ? "\(responseCode == 0 ? 250 : responseCode)" : reply)
        }
        let said = reply.isEmpty ? "\(responseCode)" : reply
        switch curlCode {
        case Int(CURLE_LOGIN_DENIED.rawValue), Int(CURLE_AUTH_ERROR.rawValue):
            return .temporary(
                Message(
                    zh: "SMTP 服务器 \(server) 拒绝登录（\(said)）；请检查 mail.smtp.user 和密码",
                    en: "SMTP server \(server) refused the login (\(said)); check mail.smtp.user and the password"
                ),
                systemDown: true
            )
        case Int(CURLE_USE_SSL_FAILED.rawValue):
            return .temporary(
                Message(
                    zh: "SMTP 服务器 \(server) 不支持 STARTTLS（\(curlMessage)）；请检查 mail.smtp.tls",
                    en: "SMTP server \(server) does not offer STARTTLS (\(curlMessage)); check mail.smtp.tls"
                ),
                systemDown: true
            )
        case Int(CURLE_PEER_FAILED_VERIFICATION.rawValue), Int(CURLE_SSL_CONNECT_ERROR.rawValue):
            return .temporary(
                Message(
                    zh: "无法与 SMTP 服务器 \(server) 建立 TLS 连接：\(curlMessage)",
                    en: "TLS with SMTP server \(server) failed: \(curlMessage)"
                ),
                systemDown: true
            )
        default:
            break
        }
        if responseCode == 530 || responseCode == 538 {
            // "Authentication required": the setup, not the message.
            return .temporary(
                Message(
                    zh: "SMTP 服务器 \(server) 要求登录（\(said)）；请设置 mail.smtp.user 和密码",
                    en: "SMTP server \(server) requires a login (\(said)); set mail.smtp.user and a password"
                ),
                systemDown: true
            )
        }
        if (400..<500).contains(responseCode) {
            // 421: the server is closing the channel; the rest of the pass would get the same.
            return .temporary(
                Message(
                    zh: "SMTP 服务器 \(server) 暂时拒收：\(said)",
                    en: "SMTP server \(server) deferred it: \(said)"
                ),
                systemDown: responseCode == 421
            )
        }
        if (500..<600).contains(responseCode) {
            return .permanent(
                Message(
                    zh: "SMTP 服务器 \(server) 拒收：\(said)",
                    en: "SMTP server \(server) refused it: \(said)"
                )
            )
        }
        // No reply code: the connection could not be made or broke off.
        return .temporary(
            Message(
                zh: "无法连接 SMTP 服务器 \(server)：\(curlMessage)",
                en: "cannot reach SMTP server \(server): \(curlMessage)"
            ),
            systemDown: true
        )
    }

    /// The server's reply that carried `code`: the last line starting with
    /// it. After a refusal libcurl still says QUIT, so the very last line
    /// is often `221 Bye`, which explains nothing.
    public static func reply(to code: Int, in lines: [String]) -> String? {
        guard code > 0 else { return lines.last }
        let prefix = String(code)
        return lines.last { $0.hasPrefix(prefix + " ") || $0.hasPrefix(prefix + "-") || $0 == prefix } ?? lines.last
    }

    func readPassword(_ source: SMTPSettings.PasswordSource) -> Result<String, Message> {
        let path: String
        switch source {
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
            while let last = text.last, last.isNewline { text.removeLast() }
            return .success(text)
        case .failure(let error):
            return .failure(
                Message(
                    zh: "无法读取 SMTP 密码文件 \(path)：\(FileBytes.reason(error.number))",
                    en: "cannot read the SMTP password file \(path): \(FileBytes.reason(error.number))"
                )
            )
        }
    }

    /// `curl_global_init` is not thread-safe: done once, before any handle.
    /// 3 is CURL_GLOBAL_ALL (a macro Swift does not import).
    static let globalInit: CURLcode = curl_global_init(3)

    /// The name given in `EHLO`: this host's name, as an MTA expects.
    static let heloName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let clean = name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == ".")
        }
        return name.isEmpty || !clean ? "localhost" : name
    }()
}

/// The message being uploaded, read by libcurl in chunks.
private final class Upload {
    let bytes: [UInt8]
    var offset = 0
    init(bytes: [UInt8]) { self.bytes = bytes }
}

/// The server's reply lines, the last ones kept.
private final class Replies {
    var lines: [String] = []
}

private let smtpRead: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer,
    size,
    count,
    context in
    guard let buffer, let context else { return 0 }
    let upload = Unmanaged<Upload>.fromOpaque(context).takeUnretainedValue()
    let room = size * count
    let n = min(room, upload.bytes.count - upload.offset)
    guard n > 0 else { return 0 }
    upload.bytes.withUnsafeBufferPointer { source in
        guard let base = source.baseAddress else { return }
        UnsafeMutableRawPointer(buffer).copyMemory(from: base + upload.offset, byteCount: n)
    }
    upload.offset += n
    return n
}

private let smtpReply: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer,
    size,
    count,
    context in
    let n = size * count
    guard let buffer, let context else { return n }
    let replies = Unmanaged<Replies>.fromOpaque(context).takeUnretainedValue()
    let raw = UnsafeRawBufferPointer(start: buffer, count: n)
    var line = String(decoding: raw, as: UTF8.self)
    while let last = line.last, last.isNewline { line.removeLast() }
    if !line.isEmpty {
        replies.lines.append(String(line.prefix(500)))
        if replies.lines.count > 20 { replies.lines.removeFirst() }
    }
    return n
}
