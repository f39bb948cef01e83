import Diagnostics
import Foundation
import Tokens
import Vocabulary
import YAMLSource

extension DaemonConfig {
    /// Answering notices by mail (issue 16): where replies go, how long a
    /// reply address stays good, and what `mail-in` accepts.
    public struct ReplySettings: Sendable, Hashable {
        /// `mail.reply-to`: the address replies go to, before the token is
        /// added (`plankeeper@hospital.example` → `plankeeper+TOKEN@…`). Nil:
        /// notices carry no Reply-To and mail-in has nothing to read.
        public var replyTo: String?
        /// `mail.reply-expiry`: how long after a notice its reply address is good (default 400 days,
        /// longer than a plan year, so a year-end item can still be answered in January).
        public var expiryDays = 400
        /// `mail.mail-in-limit`: the largest message `mail-in` reads, in bytes (default 25 MB);
        /// a larger one gets a polite answer and records nothing. Postfix's own
        /// `message_size_limit` (10 MB by default) must be at least this.
        public var sizeLimit = 25 * 1024 * 1024
        /// `mail.answer-limit`: at most this many answers to one address in 24 hours (default 20):
        /// the brake on a mail loop with a robot that does not mark its mail as automatic.
        public var answersPerDay = 20

        public init() {}

        /// The address part of `replyTo` (`Name <a@b>` or `a@b`).
        public var replyAddress: String? {
            guard let replyTo else { return nil }
            if let open = replyTo.lastIndex(of: "<"), replyTo.hasSuffix(">") {
                return String(replyTo[replyTo.index(after: open)..<replyTo.index(before: replyTo.endIndex)])
            }
            return replyTo
        }
    }

    static let replyKeys = ["reply-to", "reply-expiry", "mail-in-limit", "answer-limit"]

    static func parseReplies(_ mail: [String: YAMLNode.Pair], reader r: inout NodeReader) -> ReplySettings {
        var settings = ReplySettings()
        func m(_ zh: String, _ en: String) -> Message { Message(zh: zh, en: en) }
        if let p = mail["reply-to"], let s = r.singleLine(p.value, what: m("mail.reply-to", "'mail.reply-to'")) {
            settings.replyTo = s
            let address = settings.replyAddress ?? s
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            let longest = ReplyAddress.longestBaseLocalPart
            if parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty || address.contains(" ") {
                r.error(
                    p.value,
                    m(
                        "mail.reply-to 应写作 用户@主机（例如 plankeeper@hospital.example）",
                        "mail.reply-to must be user@host (e.g. plankeeper@hospital.example)"
                    )
                )
                settings.replyTo = nil
            } else if parts[0].contains("+") {
                r.error(
                    p.value,
                    m(
                        "mail.reply-to 的用户名中不能有“+”：回复令牌就加在“+”之后",
                        "mail.reply-to must not contain '+' before the '@': the reply token goes after a '+'"
                    )
                )
                settings.replyTo = nil
            } else if parts[0].count > longest {
                r.error(
                    p.value,
                    m(
                        "mail.reply-to 的用户名“\(parts[0])”太长：加上回复令牌后不能超过 64 个字符，最多 \(longest) 个",
                        "the user part '\(parts[0])' of mail.reply-to is too long: with the reply token it must stay within 64 characters, so at most \(longest)"
                    )
                )
                settings.replyTo = nil
            }
        }
        if let p = mail["reply-expiry"], let minutes = duration(p.value, reader: &r, maximumDays: 3650) {
            if minutes < 1440 {
                r.error(p.value, m("reply-expiry 至少为 1d", "reply-expiry must be at least 1d"))
            } else {
                settings.expiryDays = minutes / 1440
            }
        }
        if let p = mail["mail-in-limit"],
            let s = r.singleLine(p.value, what: m("mail.mail-in-limit", "'mail.mail-in-limit'"))
        {
            if let bytes = byteSize(s), (64 * 1024...1024 * 1024 * 1024).contains(bytes) {
                settings.sizeLimit = bytes
            } else {
                r.error(
                    p.value,
                    m(
                        "mail-in-limit 应写作 25MB、500KB 或字节数（64KB 到 1GB），这里是“\(s)”",
                        "mail-in-limit must be like 25MB, 500KB or a number of bytes (64KB to 1GB), not '\(s)'"
                    )
                )
            }
        }
        if let p = mail["answer-limit"],
            let n = r.integer(p.value, what: m("mail.answer-limit", "'mail.answer-limit'"), range: 1...10_000)
        {
            settings.answersPerDay = n
        }
        return settings
    }

    /// `25MB`, `25M`, `500KB`, `1GB` (powers of 1024) or plain bytes.
    static func byteSize(_ text: String) -> Int? {
        let upper = text.uppercased()
        for (suffix, factor) in [
            ("GB", 1 << 30), ("G", 1 << 30), ("MB", 1 << 20), ("M", 1 << 20), ("KB", 1 << 10), ("K", 1 << 10), ("B", 1),
        ]
        where upper.hasSuffix(suffix) {
            let number = upper.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            return Int(number).flatMap { $0 >= 0 && $0 <= Int.max / factor ? $0 * factor : nil }
        }
        return Int(upper)
    }
}
