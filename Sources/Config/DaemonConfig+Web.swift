import Diagnostics
import Vocabulary
import YAMLSource

extension DaemonConfig {
    /// The web desk (`plankeeper serve`): where it listens, the address links
    /// in mail point to, who administers it, and its limits.
    ///
    /// ```yaml
    /// web:
    ///   listen: 127.0.0.1:8470          # host:port; under systemd the socket unit's descriptor wins
    ///   url: https://dangjian.hospital.example   # what links in mail point to; https makes cookies Secure
    ///   admins: [信息科 <it@hospital.example>]    # see every plan
    ///   proxies: [127.0.0.1, "::1"]      # peers whose X-Forwarded-For names the real client
    ///   session-idle: 30d                # a session ends after this long unused
    ///   sign-in-link: 15m                # how long a mailed sign-in link works (once)
    ///   feed-expiry: 400d                # how long a calendar-feed address works
    ///   limits:
    ///     upload-size: 20MB              # one attached file
    ///     uploads: 10                    # files in one record
    ///     request-size: 60MB             # a whole form with its files
    ///     sign-in-per-address: 5/1h      # sign-in mails to one address
    ///     sign-in-per-client: 30/1h      # sign-in requests from one client
    ///     ledger-wait: 3s                # how long a page waits for a busy ledger
    /// ```
    public struct WebSettings: Sendable, Hashable {
        public var host = "127.0.0.1"
        public var port = 8470
        /// `https://dangjian.hospital.example` (no trailing slash), or nil:
        /// then pages work but mails carry no links.
        public var url: String?
        /// Lower-cased addresses.
        public var admins: [String] = []
        /// Peers trusted to say who the client is (`X-Forwarded-For`).
        public var proxies: [String] = ["127.0.0.1", "::1"]
        public var sessionIdleSeconds = 30 * 86_400
        public var signInLinkSeconds = 15 * 60
        /// How long a calendar-feed address keeps working.
        public var feedSeconds = 400 * 86_400
        public var limits = Limits()

        public init() {}

        /// Whether cookies must be `Secure`: the desk is reached over https.
        public var isHTTPS: Bool { url?.lowercased().hasPrefix("https://") ?? false }

        public struct Limits: Sendable, Hashable {
            public var uploadBytes = 20 << 20
            public var uploads = 10
            public var requestBytes = 60 << 20
            public var signInPerAddress = Rate(count: 5, seconds: 3600)
            public var signInPerClient = Rate(count: 30, seconds: 3600)
            public var ledgerWaitMilliseconds = 3000
            public init() {}
        }

        /// At most `count` events in any `seconds`-long window.
        public struct Rate: Sendable, Hashable, CustomStringConvertible {
            public var count: Int
            public var seconds: Int
            public init(count: Int, seconds: Int) {
                self.count = count
                self.seconds = seconds
            }
            public var description: String { "\(count)/\(seconds)s" }
        }
    }

    static let webKeys = [
        "listen", "url", "admins", "proxies", "session-idle", "sign-in-link", "feed-expiry", "limits",
    ]
    static let webLimitKeys = [
        "upload-size", "uploads", "request-size", "sign-in-per-address", "sign-in-per-client", "ledger-wait",
    ]

    /// Parses `web:`; every mistake is a diagnostic at the value, and the
    /// default stays in force for it.
    static func parseWeb(_ node: YAMLNode, reader r: inout NodeReader) -> WebSettings {
        func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }
        var web = WebSettings()
        guard let fields = r.mapping(node, what: m("web", "'web'"), known: webKeys) else { return web }
        if let p = fields["listen"], let s = r.singleLine(p.value, what: m("web.listen", "'web.listen'")) {
            if let (host, port) = listenAddress(s) {
                web.host = host
                web.port = port
            } else {
                r.error(
                    p.value,
                    m(
                        "web.listen 应写作 主机:端口，例如 127.0.0.1:8470 或 [::1]:8470，这里是“\(s)”",
                        "web.listen must be host:port, e.g. 127.0.0.1:8470 or [::1]:8470, not '\(s)'"
                    )
                )
            }
        }
        if let p = fields["url"], let s = r.singleLine(p.value, what: m("web.url", "'web.url'")) {
            if let url = baseURL(s) {
                web.url = url
            } else {
                r.error(
                    p.value,
                    m(
                        "web.url 应是 http:// 或 https:// 开头的地址，不带查询参数，例如 https://dangjian.hospital.example",
                        "web.url must start with http:// or https:// and have no query, e.g. https://dangjian.hospital.example"
                    )
                )
            }
        }
        if let p = fields["admins"], let items = r.list(p.value, what: m("web.admins", "'web.admins'")) {
            for item in items {
                guard let text = r.singleLine(item, what: m("管理员地址", "an admin address")) else { continue }
                for part in splitRecipients(text) {
                    if let rcpt = recipient(part) {
                        web.admins.append(rcpt.address.lowercased())
                    } else {
                        r.error(
                            item,
                            m(
                                "管理员“\(part)”格式不对；应写作 姓名 <用户@主机> 或 用户@主机",
                                "admin '\(part)' is not 'Name <user@host>' or 'user@host'"
                            )
                        )
                    }
                }
            }
        }
        if let p = fields["proxies"], let items = r.list(p.value, what: m("web.proxies", "'web.proxies'")) {
            web.proxies = items.compactMap { r.singleLine($0, what: m("代理地址", "a proxy address")) }
        }
        if let p = fields["session-idle"], let s = seconds(p.value, reader: &r), s > 0 { web.sessionIdleSeconds = s }
        if let p = fields["sign-in-link"], let s = seconds(p.value, reader: &r) {
            if (60...86_400).contains(s) {
                web.signInLinkSeconds = s
            } else {
                r.error(p.value, m("web.sign-in-link 应在 1m 到 24h 之间", "web.sign-in-link must be between 1m and 24h"))
            }
        }
        if let p = fields["feed-expiry"], let s = seconds(p.value, reader: &r), s >= 86_400 { web.feedSeconds = s }
        if let p = fields["limits"],
            let limits = r.mapping(p.value, what: m("web.limits", "'web.limits'"), known: webLimitKeys)
        {
            if let q = limits["upload-size"], let n = bytes(q.value, reader: &r) { web.limits.uploadBytes = n }
            if let q = limits["uploads"],
                let n = r.integer(q.value, what: m("web.limits.uploads", "'web.limits.uploads'"), range: 0...100)
            {
                web.limits.uploads = n
            }
            if let q = limits["request-size"], let n = bytes(q.value, reader: &r) { web.limits.requestBytes = n }
            if let q = limits["sign-in-per-address"], let rate = rate(q.value, reader: &r) {
                web.limits.signInPerAddress = rate
            }
            if let q = limits["sign-in-per-client"], let rate = rate(q.value, reader: &r) {
                web.limits.signInPerClient = rate
            }
            if let q = limits["ledger-wait"], let s = milliseconds(q.value, reader: &r) {
                web.limits.ledgerWaitMilliseconds = s
            }
        }
        return web
    }

    /// `127.0.0.1:8470`, `[::1]:8470`, `localhost:80`.
    static func listenAddress(_ text: String) -> (String, Int)? {
        var host: Substring
        var rest: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            rest = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            rest = text[text.index(after: colon)...]
            if host.contains(":") { return nil }
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && !$0.isWhitespace }),
            rest.allSatisfy(\.isASCII), let port = Int(rest), (1...65535).contains(port)
        else { return nil }
        return (String(host), port)
    }

    /// An http(s) base address without query, fragment or trailing slash.
    static func baseURL(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        guard
            text.unicodeScalars.allSatisfy({
                $0.isASCII && $0.value > 32 && !"\"<>\\^`{|}?#".unicodeScalars.contains($0)
            })
        else { return nil }
        let afterScheme = text[text.index(text.startIndex, offsetBy: lower.hasPrefix("https://") ? 8 : 7)...]
        guard let first = afterScheme.first, first != "/" else { return nil }
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// `90s`, `15m`, `1h`, `30d` in seconds.
    static func seconds(_ node: YAMLNode, reader r: inout NodeReader) -> Int? {
        guard let s = r.singleLine(node, what: Message(zh: "时长", en: "a duration")) else { return nil }
        for (suffix, factor) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where s.hasSuffix(suffix) {
            if let n = Int(s.dropLast(suffix.count)), n >= 0, n <= 366 * 86_400 / factor { return n * factor }
        }
        r.error(
            node,
            Message(
                zh: "时长“\(s)”无效；应写作 30d、1h、15m 或 90s",
                en: "duration '\(s)' is not valid; write 30d, 1h, 15m or 90s"
            )
        )
        return nil
    }

    /// `500ms`, `3s`, in milliseconds, at most a minute: a page that waits
    /// longer than that for the ledger has lost its reader anyway.
    static func milliseconds(_ node: YAMLNode, reader r: inout NodeReader) -> Int? {
        guard let s = r.singleLine(node, what: Message(zh: "时长", en: "a duration")) else { return nil }
        if s.hasSuffix("ms"), let n = Int(s.dropLast(2)), (0...60_000).contains(n) { return n }
        if s.hasSuffix("s"), let n = Int(s.dropLast()), (0...60).contains(n) { return n * 1000 }
        r.error(
            node,
            Message(
                zh: "时长“\(s)”无效；应写作 3s 或 500ms（最多 60s）",
                en: "duration '\(s)' is not valid; write 3s or 500ms (at most 60s)"
            )
        )
        return nil
    }

    /// `20MB`, `512KB`, `1GB` (binary multiples), or a plain byte count.
    static func bytes(_ node: YAMLNode, reader r: inout NodeReader) -> Int? {
        guard let s = r.singleLine(node, what: Message(zh: "大小", en: "a size")) else { return nil }
        let upper = s.uppercased()
        for (suffix, factor) in [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1)]
        where upper.hasSuffix(suffix) {
            if let n = Int(upper.dropLast(suffix.count)), n >= 0, n <= (4 << 30) / factor { return n * factor }
        }
        if let n = Int(s), n >= 0, n <= 4 << 30 { return n }
        r.error(
            node,
            Message(
                zh: "大小“\(s)”无效；应写作 20MB、512KB 或字节数（最多 4GB）",
                en: "size '\(s)' is not valid; write 20MB, 512KB or a byte count (at most 4GB)"
            )
        )
        return nil
    }

    /// `5/1h`: at most 5 in any hour.
    static func rate(_ node: YAMLNode, reader r: inout NodeReader) -> WebSettings.Rate? {
        guard let s = r.singleLine(node, what: Message(zh: "频率", en: "a rate")) else { return nil }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, let n = Int(parts[0]), (1...100_000).contains(n) {
            for (suffix, factor) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where parts[1].hasSuffix(suffix) {
                if let k = Int(parts[1].dropLast(suffix.count)), k > 0, k <= 7 * 86_400 / factor {
                    return WebSettings.Rate(count: n, seconds: k * factor)
                }
            }
        }
        r.error(
            node,
            Message(zh: "频率“\(s)”无效；应写作 次数/时长，例如 5/1h", en: "rate '\(s)' is not valid; write count/duration, e.g. 5/1h")
        )
        return nil
    }
}
