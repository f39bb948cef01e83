import Config
import Foundation
import MailFormat
import Notices
import PlanFormat
import Reports
import Scheduling
import Spool
import WorkCalendar

/// The mails of issue 15: a person's notices of one moment in one mail, and
/// the supervisor's digest as text, HTML and a CSV of the full list.
extension MessageComposer {
    /// What a notice says, as the single-notice mail says it.
    func content(_ n: Notice, plan: Plan, doneCount: Int) -> NoticeContent {
        let o = n.occurrence
        let item = plan.items.first { $0.id == o.itemID }
        let secretary = plan.contacts["secretary"]?.first ?? item.flatMap { plan.contacts[$0.notices.notify.first ?? ""]?.first }
        return NoticeContent(
            kind: MailFormat.NoticeKind(rawValue: n.kind.rawValue) ?? .reminder,
            planID: o.planID, itemID: o.itemID, period: o.period, owner: o.owner, planTitle: plan.title,
            itemTitle: o.title, due: o.due, workdaysLeft: policy.workdaysLeft(due: o.due, today: max(n.date, today)),
            requiredCount: o.requiredCount, doneCount: doneCount, note: item?.note,
            contact: secretary.map { Mailbox(name: $0.name, address: $0.address) },
            offset: n.kind == .reminder ? n.label : nil)
    }

    /// The key of a combined mail: the day, the recipient, and every notice
    /// key in it, so a tick rerun after a crash finds it spooled and another
    /// set of notices gets another mail.
    static func combinedKey(_ notices: [Notice], day: CivilDate) -> (key: String, hash: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for key in notices.map(\.key).sorted() {
            for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0x1F) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        let padded = String(repeating: "0", count: 16 - hex.count) + hex
        return ("combined/\(day)/\(padded)/\(notices.first?.recipient.address ?? "")", padded)
    }

    /// Several notices to one person, due at the same moment, as one mail.
    func combined(_ notices: [Notice], plans: [String: Plan], completions: [OccurrenceKey: Int], at instant: Date) -> Message {
        let contents = notices.compactMap { n in
            plans[n.occurrence.planID].map { content(n, plan: $0, doneCount: completions[n.occurrence.key, default: 0]) }
        }
        let recipient = notices[0].recipient
        let (key, hash) = Self.combinedKey(notices, day: today)
        let subject = NoticeMail.combinedSubject(contents, language: language)
        let body = NoticeMail.combinedBody(contents, recipient: Mailbox(name: recipient.name, address: recipient.address),
                                           language: language)
        let items = notices.map { "\($0.occurrence.planID)/\($0.occurrence.itemID)/\($0.occurrence.period)" }.joined(separator: " ")
        let bytes = RFC5322.message(
            envelope: envelope(to: recipient, key: key, at: instant), subject: subject, body: body,
            extraHeaders: [("X-Plankeeper-Kind", "combined"), ("X-Plankeeper-Count", String(notices.count)),
                           ("X-Plankeeper-Items", items)])
        let name = SpoolName.make(plan: "combined", item: hash, period: today.description, kind: "combined", offset: "",
                                  recipient: recipient.address)
        return Message(name: name, subject: subject, bytes: bytes)
    }

    static func entry(_ line: OverdueLine) -> OverdueDigestEntry {
        OverdueDigestEntry(owner: line.occurrence.owner, itemTitle: line.occurrence.title, period: line.occurrence.period,
                           planID: line.occurrence.planID, itemID: line.occurrence.itemID, due: line.occurrence.due,
                           workdaysOverdue: line.workdaysLate, escalated: line.escalated)
    }

    /// The supervisor's digest: what is new first, then by branch, one line
    /// an item; HTML alternative; the full list as CSV.
    func supervisorDigest(_ digest: OverdueDigest, at instant: Date) -> Message {
        let content = SupervisorDigest(
            recipientName: digest.recipient.name, date: digest.date, previous: digest.previous,
            new: digest.newLines.map(Self.entry), newTotal: digest.newTotal, newlyEscalated: digest.newlyEscalated,
            listed: digest.lines.map(Self.entry), totals: Self.totals(digest.branches, items: digest.total, escalated: digest.escalatedTotal),
            all: digest.allLines.map(Self.entry), historyTotal: digest.historyTotal)
        let subject = NoticeMail.supervisorDigestSubject(content, language: language)
        let text = NoticeMail.supervisorDigestBody(content, language: language)
        let html = NoticeMail.supervisorDigestHTML(content, language: language)
        let csv = "\u{FEFF}" + NoticeMail.supervisorDigestRows(content, language: language).map(ReportRenderer.csvRow).joined()
        let fileName = language == .zh ? "督办日报-\(digest.date).csv" : "overdue-digest-\(digest.date).csv"
        let bytes = AlternativeMail.message(
            envelope: envelope(to: digest.recipient, key: digest.key, at: instant), subject: subject, text: text, html: html,
            attachment: ReportMail.Attachment(fileName: fileName, mediaType: "text/csv", bytes: Array(csv.utf8)), key: digest.key,
            extraHeaders: [("X-Plankeeper-Kind", "digest"), ("X-Plankeeper-Count", String(digest.total)),
                           ("X-Plankeeper-New", String(digest.newTotal))])
        let name = SpoolName.make(plan: "digest", item: "overdue", period: digest.date.description,
                                  kind: "digest", offset: "", recipient: digest.recipient.address)
        return Message(name: name, subject: subject, bytes: bytes)
    }
}
