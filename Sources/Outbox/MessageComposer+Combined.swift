import MailFormat
import Notices
import PlanFormat
import Reports
import Scheduling
import TextLayout
import Tokens
import Vocabulary
import WorkCalendar

/// The mails of issue 15: a person's notices of one moment in one mail, and
/// the supervisor's digest as text, HTML and a CSV of the full list.
extension MessageComposer {
    /// What a notice says, as the single-notice mail says it.
    func content(_ n: Notice, plan: Plan, doneCount: Int) -> NoticeContent {
        let o = n.occurrence
        let item = plan.items.first { $0.id == o.itemID }
        let secretary =
            plan.contacts["secretary"]?.first ?? item.flatMap { plan.contacts[$0.notices.notify.first ?? ""]?.first }
        return NoticeContent(
            kind: n.kind,
            planID: o.planID,
            itemID: o.itemID,
            period: o.period,
            owner: o.owner,
            planTitle: plan.title,
            itemTitle: o.title,
            due: o.due,
            workdaysLeft: policy.workdaysLeft(due: o.due, today: max(n.date, today)),
            requiredCount: o.requiredCount,
            doneCount: doneCount,
            note: item?.note,
            contact: secretary,
            offset: n.kind == .reminder ? n.label : nil
        )
    }

    /// A combined mail and what a reply to it can name: its numbered lines
    /// (kept in the ledger as a sent digest when the mail has a reply address).
    public struct Combined: Sendable {
        public var message: OutboxMessage
        /// Line n of the mail is `lines[n - 1]`.
        public var lines: [OccurrenceKey]
        public var digestID: SentDigestID
    }

    /// Several notices to one person, due at the same moment, as one mail
    /// (`notice-mail: combined`). Its key covers every notice in it, so a tick
    /// rerun after a crash finds it spooled and another set gets another mail.
    public func combined(_ notices: [Notice], plans: [String: Plan], completions: [OccurrenceKey: Int]) -> Combined {
        let recipient = notices[0].recipient
        let contents = notices.compactMap { n in
            plans[n.occurrence.planID].map {
                content(n, plan: $0, doneCount: completions[n.occurrence.key, default: 0])
            }
        }
        let hash = StableHash.of(notices.map(\.key).sorted().joined(separator: "\u{1F}"))
        let hex = String(hash, radix: 16)
        let padded = String(repeating: "0", count: 16 - hex.count) + hex
        let key = "combined/\(today)/\(padded)/\(recipient.address)"
        let digestID = SentDigestID(truncating: hash)
        let replyTo = replies?.address(forDigest: digestID, to: recipient, date: today)
        let lines = NoticeMail.combinedOrder(contents).map {
            OccurrenceKey(plan: $0.planID, item: $0.itemID, period: $0.period)
        }
        let name = SpoolName.make(
            plan: "combined",
            item: padded,
            period: today.description,
            kind: "combined",
            offset: "",
            recipient: recipient.address
        )
        let message = OutboxMessage(
            kind: NoticeMail.combinedKind(contents),
            key: key,
            name: name,
            from: from,
            to: [recipient],
            replyTo: replyTo,
            messageID: messageID(key: key),
            subject: NoticeMail.combinedSubject(contents, language: language),
            text: NoticeMail.combinedBody(
                contents,
                recipient: recipient,
                replyable: replyTo != nil,
                language: language
            ),
            facts: [
                ("X-Plankeeper-Kind", "combined"), ("X-Plankeeper-Count", String(notices.count)),
                ("X-Plankeeper-Items", lines.map { "\($0.plan)/\($0.item)/\($0.period)" }.joined(separator: " ")),
            ],
            language: language
        )
        return Combined(message: message, lines: lines, digestID: digestID)
    }

    static func entry(_ line: OverdueLine) -> OverdueDigestEntry {
        OverdueDigestEntry(
            owner: line.occurrence.owner,
            itemTitle: line.occurrence.title,
            period: line.occurrence.period,
            planID: line.occurrence.planID,
            itemID: line.occurrence.itemID,
            due: line.occurrence.due,
            workdaysOverdue: line.workdaysLate,
            escalated: line.escalated
        )
    }

    /// The supervisor's daily overdue digest: what is new first, then by
    /// branch, one line an item, no command; an HTML alternative; the full
    /// list as a CSV file (UTF-8 with BOM, the report CSV's formula guard).
    public func supervisorDigest(_ digest: OverdueDigest) -> OutboxMessage {
        let content = SupervisorDigest(
            recipientName: digest.recipient.name,
            date: digest.date,
            previous: digest.previous,
            new: digest.newLines.map(Self.entry),
            newTotal: digest.newTotal,
            newlyEscalated: digest.newlyEscalated,
            listed: digest.lines.map(Self.entry),
            totals: Self.totals(digest.branches, items: digest.total, escalated: digest.escalatedTotal),
            all: digest.allLines.map(Self.entry),
            historyTotal: digest.historyTotal
        )
        let csv = CSV.byteOrderMark + NoticeMail.supervisorDigestRows(content, language: language).map(CSV.row).joined()
        let fileName = language.pick("督办日报-\(digest.date).csv", "overdue-digest-\(digest.date).csv")
        let name = SpoolName.make(
            plan: "digest",
            item: "overdue",
            period: digest.date.description,
            kind: NoticeKind.digest.rawValue,
            offset: "",
            recipient: digest.recipient.address
        )
        return OutboxMessage(
            kind: .digest,
            key: digest.key,
            name: name,
            from: from,
            to: [digest.recipient],
            messageID: messageID(key: digest.key),
            subject: NoticeMail.supervisorDigestSubject(content, language: language),
            text: NoticeMail.supervisorDigestBody(content, language: language),
            attachment: OutboxMessage.Attachment(fileName: fileName, mediaType: "text/csv", bytes: Array(csv.utf8)),
            html: NoticeMail.supervisorDigestHTML(content, language: language),
            facts: [
                ("X-Plankeeper-Kind", NoticeKind.digest.rawValue), ("X-Plankeeper-Count", String(digest.total)),
                ("X-Plankeeper-New", String(digest.newTotal)),
            ],
            language: language
        )
    }
}
