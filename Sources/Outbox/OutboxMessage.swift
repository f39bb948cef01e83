import Vocabulary

/// One outgoing message, composed but not yet rendered for a channel: what it
/// is, whom it is for, and what it says, in the language it was composed in.
///
/// Channel-neutral on purpose. Mail renders it as RFC 5322 bytes for the
/// spool (`mail(date:)`); another channel (企业微信, 钉钉) renders the same
/// subject, text and facts in its own form, and a reply address or links
/// travel with the message, not with the channel.
public struct OutboxMessage: Sendable {
    public var kind: NoticeKind
    /// What identifies the message for ever (the notice key, the digest key,
    /// the report's spool name): the Message-ID and the MIME boundary derive
    /// from it, so a message rebuilt after a crash is byte for byte the same.
    public var key: String
    /// The spool file name (`SpoolName`): the exactly-once token.
    public var name: String
    public var from: Address
    public var to: [Address]
    /// Where replies go when not to `from` (a reply address carrying a token,
    /// issue 16); nil writes no `Reply-To:`.
    public var replyTo: Address?
    /// Without the angle brackets; derived from `key`.
    public var messageID: String
    public var subject: String
    /// The plain-text body, every line of it (a digest's table included).
    public var text: String
    /// A report's HTML or CSV file, a digest's CSV list; nil for notices and text reports.
    public var attachment: Attachment?
    /// The same content as HTML, for mail clients that show it (the
    /// supervisor's digest, issue 15); other channels use `text`.
    public var html: String?
    /// Facts for programs, in order (`X-Plankeeper-Kind: reminder`, …): mail
    /// headers in mail, fields or nothing in other channels.
    public var facts: [(name: String, value: String)]
    public var language: Language

    public struct Attachment: Sendable {
        public var fileName: String
        /// `text/html` or `text/csv`.
        public var mediaType: String
        public var bytes: [UInt8]

        public init(fileName: String, mediaType: String, bytes: [UInt8]) {
            self.fileName = fileName
            self.mediaType = mediaType
            self.bytes = bytes
        }
    }

    public init(
        kind: NoticeKind,
        key: String,
        name: String,
        from: Address,
        to: [Address],
        replyTo: Address? = nil,
        messageID: String,
        subject: String,
        text: String,
        attachment: Attachment? = nil,
        html: String? = nil,
        facts: [(name: String, value: String)],
        language: Language
    ) {
        self.html = html
        self.kind = kind
        self.key = key
        self.name = name
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.messageID = messageID
        self.subject = subject
        self.text = text
        self.attachment = attachment
        self.facts = facts
        self.language = language
    }
}
