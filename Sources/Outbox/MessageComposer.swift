import Config
import MailFormat
import Notices
import PlanFormat
import Scheduling
import Tokens
import Vocabulary
import WorkCalendar

/// Turns decided notices into outgoing messages: subject, body, recipients,
/// the facts for programs and the spool file name derived from the notice key.
public struct MessageComposer: Sendable {
    public var config: DaemonConfig
    public var policy: NoticePolicy
    public var today: CivilDate
    /// Reply addresses for notices (`mail.reply-to`, issue 16); nil: mails are as before.
    public var replies: ReplyAddressing?

    public init(config: DaemonConfig, policy: NoticePolicy, today: CivilDate, replies: ReplyAddressing? = nil) {
        self.config = config
        self.policy = policy
        self.today = today
        self.replies = replies
    }

    /// The configuration file's language: `--lang` and `PLANKEEPER_LANG` are for the terminal.
    var language: Language { config.mailLanguage }

    /// The configured sender (`mail.from`), `plankeeper` when it names no one.
    public var from: Address { Address(mailbox: config.mail.from, defaultName: "plankeeper") }

    /// A Message-ID derived from the notice key: the same notice, rebuilt
    /// after a crash, is byte-for-byte the same message.
    func messageID(key: String) -> String {
        "\(String(StableHash.of(key), radix: 16)).plankeeper@\(from.domain)"
    }

    /// The working days left are counted from today, not from the notice's
    /// own date: a reminder caught up after the service was down says how
    /// much time is really left.
    public func notice(_ n: Notice, plan: Plan, doneCount: Int) -> OutboxMessage {
        let o = n.occurrence
        let replyTo = replies?.address(for: o.key, to: n.recipient, date: n.date)
        var content = content(n, plan: plan, doneCount: doneCount)
        content.replyable = replyTo != nil
        let name = SpoolName.make(
            plan: o.planID,
            item: o.itemID,
            period: o.period,
            kind: n.kind.rawValue,
            offset: n.label,
            recipient: n.recipient.address
        )
        return OutboxMessage(
            kind: n.kind,
            key: n.key,
            name: name,
            from: from,
            to: [n.recipient],
            replyTo: replyTo,
            messageID: messageID(key: n.key),
            subject: NoticeMail.subject(content, language: language),
            text: NoticeMail.body(content, language: language),
            facts: [
                ("X-Plankeeper-Plan", o.planID), ("X-Plankeeper-Item", o.itemID), ("X-Plankeeper-Period", o.period),
                ("X-Plankeeper-Kind", n.kind.rawValue), ("X-Plankeeper-Due", o.due.description),
            ],
            language: language
        )
    }

    /// The digest lists the oldest `digest-limit` lines (cut while the tick
    /// gathered them) and counts the rest per branch.
    public func backlog(_ digest: BacklogDigest) -> OutboxMessage {
        let totals = digest.isTruncated ? Self.totals(digest.branches, items: digest.total, escalated: 0) : nil
        let entries = backlogEntries(digest)
        let parts = digest.key.split(separator: "/").map(String.init)
        let name = SpoolName.make(
            plan: "digest",
            item: parts.count > 2 ? parts[2] : "",
            period: digest.date.description,
            kind: NoticeKind.backlog.rawValue,
            offset: "",
            recipient: digest.recipient.address
        )
        let reply = digestReply(key: digest.key, numbering: NoticeMail.backlogNumbering(entries))
        let replyTo = reply.flatMap { replies?.address(forDigest: $0.id, to: digest.recipient, date: digest.date) }
        return OutboxMessage(
            kind: .backlog,
            key: digest.key,
            name: name,
            from: from,
            to: [digest.recipient],
            replyTo: replyTo,
            messageID: messageID(key: digest.key),
            subject: NoticeMail.backlogSubject(count: digest.total, language: language),
            text: NoticeMail.backlogBody(
                entries,
                recipient: digest.recipient,
                language: language,
                totals: totals,
                replyable: replyTo != nil
            ),
            facts: [("X-Plankeeper-Kind", NoticeKind.backlog.rawValue), ("X-Plankeeper-Count", String(digest.total))],
            language: language
        )
    }

    /// A digest's numbered lines, as the ledger keeps them for replies (issue
    /// 16, item 4): nil without reply addresses or with nothing listed.
    public struct DigestReply: Sendable, Hashable {
        /// The digest's key hashed to 48 bits: the same digest, the same id.
        public var id: SentDigestID
        /// Number (from 1, as the mail numbers them) → occurrence.
        public var lines: [Int: OccurrenceKey]
    }

    func digestReply(key: String, numbering: [OccurrenceKey]) -> DigestReply? {
        guard replies != nil, !numbering.isEmpty else { return nil }
        var lines: [Int: OccurrenceKey] = [:]
        for (index, key) in numbering.enumerated() { lines[index + 1] = key }
        return DigestReply(id: SentDigestID(truncating: StableHash.of(key)), lines: lines)
    }

    /// The numbered lines of a backlog digest as its mail lists them.
    public func reply(for digest: BacklogDigest) -> DigestReply? {
        digestReply(key: digest.key, numbering: NoticeMail.backlogNumbering(backlogEntries(digest)))
    }

    func backlogEntries(_ digest: BacklogDigest) -> [BacklogEntry] {
        digest.lines.map { line in
            BacklogEntry(
                owner: line.occurrence.owner,
                itemTitle: line.occurrence.title,
                period: line.occurrence.period,
                planID: line.occurrence.planID,
                itemID: line.occurrence.itemID,
                due: line.occurrence.due,
                workdaysOverdue: max(0, -policy.workdaysLeft(due: line.occurrence.due, today: digest.date))
            )
        }
    }

    /// The core's per-branch tallies as the mail text wants them.
    static func totals(_ branches: [BranchTally], items: Int, escalated: Int) -> DigestTotals {
        DigestTotals(
            items: items,
            escalated: escalated,
            branches: branches.map {
                DigestTotals.Branch(
                    owner: $0.owner,
                    items: $0.overdue,
                    escalated: $0.escalated,
                    oldestDue: $0.oldestDue
                )
            }
        )
    }
}
