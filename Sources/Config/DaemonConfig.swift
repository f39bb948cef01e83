import Diagnostics
import Foundation
import Vocabulary
import YAMLSource

/// The service's configuration file (`/etc/plankeeper/plankeeper.yaml`).
/// Every key has a default, so an empty file is a working configuration;
/// relative paths resolve against the file's own folder, so a config in a
/// checkout works from any current directory.
public struct DaemonConfig: Sendable {
    public static let defaultPath = "/etc/plankeeper/plankeeper.yaml"

    public var file: String?
    public var plans: String = "/etc/plankeeper/plans"
    public var holidays: String? = "/etc/plankeeper/holidays"
    public var state: String = "/var/lib/plankeeper"
    public var spool: String = "/var/spool/plankeeper"
    public var timezone: String = "Asia/Shanghai"
    /// Minutes after local midnight when the day's notices go out.
    public var sendAt: Int = 8 * 60 + 30
    /// The language plankeeper prints and logs in: the file's `language`,
    /// unless `--lang` or `PLANKEEPER_LANG` asks otherwise for the terminal.
    public var language: Language = .zh
    /// The language of the mail: the file's `language` only. The terminal's
    /// choice (`--lang`, `PLANKEEPER_LANG=en` in an admin's shell) must not
    /// turn what the branches read into English.
    public var mailLanguage: Language = .zh
    /// How old a notice may be and still go out on its own (minutes).
    public var catchUpMinutes: Int = 7 * 1440
    /// Overdue notices stop this many days after the plan's year ends.
    public var overdueHorizonDays: Int = 90
    /// When escalation recipients get the daily overdue digest: `workdays`
    /// (default), `daily` or `off`.
    public var overdueDigest: DigestDays = .workdays
    /// At most this many items listed one by one in a digest mail (the
    /// daily overdue digest and the backlog digest), the oldest first; the
    /// rest are counted per branch. Nil (`all`) lists everything: a hospital
    /// office on an open year would get 20,000 items a day.
    public var digestLimit: Int? = 200
    /// How many days the sent-notice audit trail (`handled_notice`) keeps a
    /// notice after its day; nil (`keep`, the default) keeps it for ever.
    /// The daemon prunes older rows once a day; records of work done and
    /// evidence are never pruned. (About two million rows a year for a city.)
    public var retentionDays: Int?
    public var mail = MailSettings()
    /// Period reports mailed after each period ends (`reports:`; see DaemonConfig+Reports.swift).
    public var reports: [ReportSchedule] = []
    /// Notice policy keys (`track-from`, `send-window`, `catch-up-at`,
    /// `escalation-mail`; see DaemonConfig+Notices.swift).
    public var notices = NoticeSettings()

    public init() {}

    public struct MailSettings: Sendable {
        public enum Transport: String, Sendable, CaseIterable { case sendmail, smtp, none }
        public var from = "党建工作计划提醒 <plankeeper@localhost>"
        public var transport: Transport = .sendmail
        public var sendmail = "/usr/sbin/sendmail"
        public var smtpHost = "127.0.0.1"
        public var smtpPort = 25
        public var smtpTLS = "none"
        public var smtpUser: String?
        public var smtpPasswordFile: String?
        /// A systemd credential holding the SMTP password (`LoadCredential=NAME:…`),
        /// read from `$CREDENTIALS_DIRECTORY/NAME`; the alternative to `password-file`.
        public var smtpPasswordCredential: String?
        /// How long a message may keep failing temporarily before it is given up (minutes).
        public var giveUpAfterMinutes = 3 * 1440
        /// Answering by mail (issue 16; see DaemonConfig+MailIn.swift).
        public var replies = ReplySettings()
        public init() {}
    }

    static let topKeys =
        [
            "plans", "holidays", "state", "spool", "timezone", "send-at", "language", "catch-up", "overdue-horizon",
            "overdue-digest", "digest-limit", "retention", "mail", "reports",
        ] + noticeKeys
    static let mailKeys = ["from", "transport", "sendmail", "smtp", "give-up-after"] + replyKeys
    static let smtpKeys = ["host", "port", "tls", "user", "password-file", "password-credential"]

    /// Parses a configuration file; `path` is where it was read from (for
    /// diagnostics and for resolving relative paths).
    public static func parse(_ bytes: [UInt8], path: String) -> (DaemonConfig?, [Diagnostic]) {
        var config = DaemonConfig()
        config.file = path
        let base = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String {
            if p.hasPrefix("/") { return p }
            let joined = base.isEmpty ? p : base + "/" + p
            return (joined as NSString).standardizingPath
        }
        config.plans = resolve("plans")
        config.holidays = resolve("holidays")
        let root: YAMLNode
        switch YAMLDocument.parse(bytes, file: path) {
        case .failure(let d): return (nil, [d])
        case .success(nil): return (config, [])
        case .success(let node?): root = node
        }
        var r = NodeReader(file: path)
        func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }
        guard let top = r.mapping(root, what: m("配置文件", "the configuration"), known: topKeys) else {
            return (nil, r.diagnostics)
        }

        for (key, set) in [
            ("plans", { (v: String) in config.plans = resolve(v) }),
            ("state", { config.state = resolve($0) }),
            ("spool", { config.spool = resolve($0) }),
        ] as [(String, (String) -> Void)] {
            if let pair = top[key], let v = r.singleLine(pair.value, what: m(key, "'\(key)'")) { set(v) }
        }
        if let pair = top["holidays"] {
            config.holidays =
                pair.value.isNull ? nil : r.singleLine(pair.value, what: m("holidays", "'holidays'")).map(resolve)
        }
        if let pair = top["timezone"], let tz = r.singleLine(pair.value, what: m("timezone", "'timezone'")) {
            if TimeZone(identifier: tz) == nil {
                r.error(pair.value, m("未知的时区“\(tz)”，例如 Asia/Shanghai", "unknown time zone '\(tz)', e.g. Asia/Shanghai"))
            } else {
                config.timezone = tz
            }
        }
        if let pair = top["send-at"], let s = r.singleLine(pair.value, what: m("send-at", "'send-at'")) {
            let parts = s.split(separator: ":")
            if parts.count == 2, let h = Int(parts[0]), let mi = Int(parts[1]), (0..<24).contains(h),
                (0..<60).contains(mi), parts[1].count == 2
            {
                config.sendAt = h * 60 + mi
            } else {
                r.error(
                    pair.value,
                    m("send-at 应写作 HH:MM（24 小时制），例如 \"08:30\"", "send-at must be HH:MM (24-hour), e.g. \"08:30\"")
                )
            }
        }
        if let pair = top["language"], let s = r.singleLine(pair.value, what: m("language", "'language'")) {
            if let l = Language(rawValue: s) {
                config.language = l
                config.mailLanguage = l
            } else {
                r.error(pair.value, m("language 只能是 zh 或 en", "language must be zh or en"))
            }
        }
        if let pair = top["catch-up"], let minutes = duration(pair.value, reader: &r) {
            config.catchUpMinutes = minutes
        }
        if let pair = top["overdue-horizon"], let minutes = duration(pair.value, reader: &r) {
            config.overdueHorizonDays = minutes / 1440
        }
        if let pair = top["overdue-digest"],
            let s = r.singleLine(pair.value, what: m("overdue-digest", "'overdue-digest'"))
        {
            if let v = DigestDays(rawValue: s) {
                config.overdueDigest = v
            } else {
                r.error(
                    pair.value,
                    m(
                        "overdue-digest 只能是 workdays（每个工作日）、daily（每天）或 off（不发送）",
                        "overdue-digest must be workdays, daily or off"
                    )
                )
            }
        }
        if let pair = top["digest-limit"], let s = r.singleLine(pair.value, what: m("digest-limit", "'digest-limit'")) {
            if s == "all" {
                config.digestLimit = nil
            } else if let n = Int(s), (1...100_000).contains(n) {
                config.digestLimit = n
            } else {
                r.error(
                    pair.value,
                    m(
                        "digest-limit 应当是 1–100000 之间的整数（汇总邮件逐条列出的最多项数），或 all（全部列出），这里是“\(s)”",
                        "digest-limit must be a whole number from 1 to 100000 (the most items a digest mail lists one by one) or all, not '\(s)'"
                    )
                )
            }
        }
        if let pair = top["retention"], let s = r.singleLine(pair.value, what: m("retention", "'retention'")) {
            if let days = Self.retentionDays(s) {
                config.retentionDays = days == 0 ? nil : days
            } else {
                r.error(
                    pair.value,
                    m(
                        "retention 应写作 Nd 或 Ny（发送记录保留的天数或年数，至少 31 天，例如 730d 或 2y），或 keep（永久保留），这里是“\(s)”",
                        "retention must be Nd or Ny (how long sent-notice rows are kept, at least 31 days, e.g. 730d or 2y) or keep, not '\(s)'"
                    )
                )
            }
        }
        if let pair = top["mail"], let mail = r.mapping(pair.value, what: m("mail", "'mail'"), known: mailKeys) {
            if let p = mail["from"], let s = r.singleLine(p.value, what: m("mail.from", "'mail.from'")) {
                if s.contains("@") && s.contains("<") && s.hasSuffix(">") {
                    config.mail.from = s
                } else {
                    r.error(p.value, m("mail.from 应写作 名称 <用户@主机>", "mail.from must be 'Name <user@host>'"))
                }
            }
            if let p = mail["transport"], let s = r.singleLine(p.value, what: m("mail.transport", "'mail.transport'")) {
                if let t = MailSettings.Transport(rawValue: s) {
                    config.mail.transport = t
                } else {
                    r.error(
                        p.value,
                        m("mail.transport 只能是 sendmail、smtp 或 none", "mail.transport must be sendmail, smtp or none")
                    )
                }
            }
            if let p = mail["sendmail"], let s = r.singleLine(p.value, what: m("mail.sendmail", "'mail.sendmail'")) {
                config.mail.sendmail = s
            }
            if let p = mail["give-up-after"], let minutes = duration(p.value, reader: &r) {
                config.mail.giveUpAfterMinutes = minutes
            }
            config.mail.replies = parseReplies(mail, reader: &r)
            if let p = mail["smtp"], let smtp = r.mapping(p.value, what: m("mail.smtp", "'mail.smtp'"), known: smtpKeys)
            {
                if let h = smtp["host"], let s = r.singleLine(h.value, what: m("smtp.host", "'smtp.host'")) {
                    config.mail.smtpHost = s
                }
                if let h = smtp["port"],
                    let n = r.integer(h.value, what: m("smtp.port", "'smtp.port'"), range: 1...65535)
                {
                    config.mail.smtpPort = n
                }
                if let h = smtp["tls"], let s = r.singleLine(h.value, what: m("smtp.tls", "'smtp.tls'")) {
                    if ["none", "starttls", "implicit"].contains(s) {
                        config.mail.smtpTLS = s
                    } else {
                        r.error(
                            h.value,
                            m("smtp.tls 只能是 none、starttls 或 implicit", "smtp.tls must be none, starttls or implicit")
                        )
                    }
                }
                if let h = smtp["user"], let s = r.singleLine(h.value, what: m("smtp.user", "'smtp.user'")) {
                    config.mail.smtpUser = s
                }
                if let h = smtp["password-file"],
                    let s = r.singleLine(h.value, what: m("smtp.password-file", "'smtp.password-file'"))
                {
                    config.mail.smtpPasswordFile = resolve(s)
                }
                if let h = smtp["password-credential"],
                    let s = r.singleLine(h.value, what: m("smtp.password-credential", "'smtp.password-credential'"))
                {
                    if smtp["password-file"] != nil {
                        r.error(
                            h.value,
                            m(
                                "password-file 和 password-credential 只能设置一个",
                                "set password-file or password-credential, not both"
                            )
                        )
                    } else if s.contains("/") || s.hasPrefix(".") {
                        r.error(
                            h.value,
                            m(
                                "password-credential 是 systemd 凭据名（LoadCredential= 中的名称），不是路径",
                                "password-credential is a systemd credential name (as in LoadCredential=), not a path"
                            )
                        )
                    } else {
                        config.mail.smtpPasswordCredential = s
                    }
                }
            }
        }
        if let pair = top["reports"] { config.reports = parseReports(pair.value, reader: &r) }
        config.notices = parseNoticeSettings(top, sendAt: config.sendAt, reader: &r)
        return (r.diagnostics.hasErrors ? nil : config, r.diagnostics)
    }

    /// `730d`, `2y` (365 days a year, so a notice is kept at least that
    /// long) or `keep` (0: no pruning). Less than 31 days is refused: the
    /// trail is what an audit of last month's reminders reads.
    static func retentionDays(_ text: String) -> Int? {
        if text == "keep" { return 0 }
        guard let unit = text.last, let n = Int(text.dropLast()), n > 0 else { return nil }
        let days: Int
        switch unit {
        case "d": days = n
        case "y": days = n <= 100 ? n * 365 : 0
        default: return nil
        }
        return (31...36_500).contains(days) ? days : nil
    }

    /// `7d`, `36h` or `90m`, in minutes, at most `maximumDays` (a year unless the key says otherwise:
    /// a reply address is good for 400 days by default, so `reply-expiry` allows ten years).
    static func duration(_ node: YAMLNode, reader r: inout NodeReader, maximumDays: Int = 366) -> Int? {
        guard let s = r.singleLine(node, what: Message(zh: "时长", en: "a duration")) else { return nil }
        let units: [(String, Int)] = [("d", 1440), ("h", 60), ("m", 1)]
        for (suffix, factor) in units where s.hasSuffix(suffix) {
            if let n = Int(s.dropLast(suffix.count)), n >= 0, n <= maximumDays * 1440 / factor { return n * factor }
        }
        r.error(
            node,
            Message(
                zh: "时长“\(s)”无效；应写作 7d、36h 或 90m，最长 \(maximumDays)d",
                en: "duration '\(s)' is not valid; write 7d, 36h or 90m, at most \(maximumDays)d"
            )
        )
        return nil
    }
}
