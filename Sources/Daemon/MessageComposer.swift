import Config
import Foundation
import MailFormat
import Notices
import PlanFormat
import Scheduling
import Spool
import WorkCalendar

/// Turns decided notices into mail: subject, body, headers and the spool file
/// name derived from the notice key.
struct MessageComposer {
    var config: DaemonConfig
    var clock: LocalClock
    var policy: NoticePolicy
    var today: CivilDate

    struct Message {
        var name: String
        var subject: String
        var bytes: [UInt8]
        /// What a notice says, for the other channels (nil for digests).
        var content: NoticeContent? = nil
    }

    var language: MailLanguage { config.language == .en ? .en : .zh }

    var from: Mailbox {
        let f = config.mail.from
        if let open = f.lastIndex(of: "<"), f.hasSuffix(">") {
            let name = f[..<open].trimmingCharacters(in: .whitespaces)
            let address = String(f[f.index(after: open)..<f.index(before: f.endIndex)])
            return Mailbox(name: name, address: address)
        }
        return Mailbox(name: "plankeeper", address: f)
    }

    func envelope(to: Contact, key: String, at instant: Date) -> MailEnvelope {
        // A Message-ID derived from the notice key: the same notice, rebuilt
        // after a crash, is byte-for-byte the same message.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        return MailEnvelope(from: from, to: [Mailbox(name: to.name, address: to.address)],
                            date: clock.rfc5322(instant), messageID: "\(String(hash, radix: 16)).plankeeper@\(domain)")
    }

    /// The working days left are counted from today, not from the notice's
    /// own date: a reminder caught up after the service was down says how
    /// much time is really left.
    func notice(_ n: Notice, plan: Plan, doneCount: Int, at instant: Date) -> Message {
        let o = n.occurrence
        let item = plan.items.first { $0.id == o.itemID }
        let secretary = plan.contacts["secretary"]?.first ?? item.flatMap { plan.contacts[$0.notices.notify.first ?? ""]?.first }
        let content = NoticeContent(
            kind: MailFormat.NoticeKind(rawValue: n.kind.rawValue) ?? .reminder,
            planID: o.planID, itemID: o.itemID, period: o.period, owner: o.owner, planTitle: plan.title,
            itemTitle: o.title, due: o.due, workdaysLeft: policy.workdaysLeft(due: o.due, today: max(n.date, today)),
            requiredCount: o.requiredCount, doneCount: doneCount, note: item?.note,
            contact: secretary.map { Mailbox(name: $0.name, address: $0.address) },
            offset: n.kind == .reminder ? n.label : nil)
        let subject = NoticeMail.subject(content, language: language)
        let body = NoticeMail.body(content, language: language)
        let bytes = RFC5322.message(
            envelope: envelope(to: n.recipient, key: n.key, at: instant), subject: subject, body: body,
            extraHeaders: [
                ("X-Plankeeper-Plan", o.planID), ("X-Plankeeper-Item", o.itemID), ("X-Plankeeper-Period", o.period),
                ("X-Plankeeper-Kind", n.kind.rawValue), ("X-Plankeeper-Due", o.due.description),
            ])
        let name = SpoolName.make(plan: o.planID, item: o.itemID, period: o.period, kind: n.kind.rawValue,
                                  offset: n.label, recipient: n.recipient.address)
        return Message(name: name, subject: subject, bytes: bytes, content: content)
    }

    /// The digest lists the oldest `digest-limit` lines (cut while the tick
    /// gathered them) and counts the rest per branch.
    func backlog(_ digest: BacklogDigest, plans: [String: Plan], at instant: Date) -> Message {
        let totals = digest.isTruncated ? Self.totals(digest.branches, items: digest.total, escalated: 0) : nil
        let entries = digest.lines.map { line in
            BacklogEntry(owner: line.occurrence.owner, itemTitle: line.occurrence.title, period: line.occurrence.period,
                         planID: line.occurrence.planID, itemID: line.occurrence.itemID, due: line.occurrence.due,
                         workdaysOverdue: max(0, -policy.workdaysLeft(due: line.occurrence.due, today: digest.date)))
        }
        let recipient = Mailbox(name: digest.recipient.name, address: digest.recipient.address)
        let subject = NoticeMail.backlogSubject(count: digest.total, language: language)
        let body = NoticeMail.backlogBody(entries, recipient: recipient, language: language, totals: totals)
        let bytes = RFC5322.message(
            envelope: envelope(to: digest.recipient, key: digest.key, at: instant), subject: subject, body: body,
            extraHeaders: [("X-Plankeeper-Kind", "backlog"), ("X-Plankeeper-Count", String(digest.total))])
        let parts = digest.key.split(separator: "/").map(String.init)
        let name = SpoolName.make(plan: "digest", item: parts.count > 2 ? parts[2] : "", period: digest.date.description,
                                  kind: "backlog", offset: "", recipient: digest.recipient.address)
        return Message(name: name, subject: subject, bytes: bytes)
    }

    func overdueDigest(_ digest: OverdueDigest, at instant: Date) -> Message {
        let entries = digest.lines.map { line in
            OverdueDigestEntry(owner: line.occurrence.owner, itemTitle: line.occurrence.title, period: line.occurrence.period,
                               planID: line.occurrence.planID, itemID: line.occurrence.itemID, due: line.occurrence.due,
                               workdaysOverdue: line.workdaysLate, escalated: line.escalated)
        }
        let totals = Self.totals(digest.branches, items: digest.total, escalated: digest.escalatedTotal)
        let recipient = Mailbox(name: digest.recipient.name, address: digest.recipient.address)
        let subject = NoticeMail.overdueDigestSubject(count: digest.total, branches: digest.branches.count, date: digest.date,
                                                      language: language)
        let body = NoticeMail.overdueDigestBody(entries, recipient: recipient, date: digest.date, language: language, totals: totals)
        let bytes = RFC5322.message(
            envelope: envelope(to: digest.recipient, key: digest.key, at: instant), subject: subject, body: body,
            extraHeaders: [("X-Plankeeper-Kind", "digest"), ("X-Plankeeper-Count", String(digest.total))])
        let name = SpoolName.make(plan: "digest", item: "overdue", period: digest.date.description,
                                  kind: "digest", offset: "", recipient: digest.recipient.address)
        return Message(name: name, subject: subject, bytes: bytes)
    }

    /// The core's per-branch tallies as the mail text wants them.
    static func totals(_ branches: [BranchTally], items: Int, escalated: Int) -> DigestTotals {
        DigestTotals(items: items, escalated: escalated, branches: branches.map {
            DigestTotals.Branch(owner: $0.owner, items: $0.overdue, escalated: $0.escalated, oldestDue: $0.oldestDue)
        })
    }
}
